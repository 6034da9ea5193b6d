import { awaitingWho } from '../../../lib/workflow/waiting-on';
import { fullTime, h, isolated, shortTime } from './dom.js';
import type { AwaitingAnswer, Message } from './wire.js';

// Activity lines (messages of kind `activity`: "Ava launched “Mark VIP”", "Workflow “Order sync”
// failed: …", "Ben took over: …"), shown across the thread as Chatwoot shows its activity
// messages: not a bubble of anyone's, never mistaken for something the customer was sent.

// The server writes times in them in UTC, ISO 8601 (lib/contracts/conversations.ts).
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?Z\b/g;

/** The line's text, its times in the agent's own time: "at 09:40" today, with the date on another day. */
export function activityText(text: string): string {
  return text.replace(ISO_TIME, (iso) => {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return iso;
    return at.toDateString() === new Date().toDateString() ? shortTime(iso) : fullTime(iso);
  });
}

/**
 * The server writes the line as plain text; its names (“quoted” shortcuts and workflows, and `by`,
 * the agent a line of theirs starts with: "Ava launched …") are isolated here, so an Arabic or
 * Hebrew name does not reorder the English around it. Only `by` where a line of theirs puts it,
 * first or after its last "by " ("Assigned to Ben by Ava", "Conversation was closed by Ava
 * (Sale)"), and the name an assignment line puts between "Assigned to " and it: a short name
 * ("Al") would otherwise match inside other words.
 */
function lineParts(text: string, by: string | null): (Node | string)[] {
  if (by && text.startsWith(by)) return [h('bdi', { text: by }), ...isolated(text.slice(by.length))];
  const at = by ? text.lastIndexOf(` by ${by}`) : -1;
  const after = at + ` by ${by}`.length;
  if (!by || at < 0 || (after !== text.length && !text.startsWith(' (', after))) return isolated(text);
  const to = text.startsWith(ASSIGNED_TO) ? text.slice(ASSIGNED_TO.length, at) : null;
  return [
    ...(to ? [ASSIGNED_TO, h('bdi', { text: to })] : isolated(text.slice(0, at))),
    ' by ', h('bdi', { text: by }), ...isolated(text.slice(after)),
  ];
}
const ASSIGNED_TO = 'Assigned to ';

/** The thread's item for an activity line; `earlier`: of the contact's conversation before this one; `by`: its agent's name. */
export function activityItem(m: Message, earlier: boolean, by: string | null = null): HTMLLIElement {
  return h('li', { class: `activity${earlier ? ' earlier' : ''}`, 'data-testid': `${earlier ? 'history-' : ''}activity`, dataset: { id: m.id, kind: m.kind } },
    h('span', { class: 'activity-text', 'data-testid': 'activity-text' }, lineParts(activityText(m.text), by)),
    h('time', { datetime: m.createdAt, title: fullTime(m.createdAt), text: shortTime(m.createdAt) }));
}

/**
 * What the close dialog says first when workflows wait here for the customer's answer: closing
 * ends every one of those waits (server/domain/closing-questions.ts), not only the one the
 * conversation shows, and their answer will open a new conversation that no workflow waits on.
 * Null: nothing waits (or its time is past).
 */
export function closeWarning(awaiting: readonly AwaitingAnswer[], now = Date.now()): string | null {
  const live = awaiting.filter((a) => Date.parse(a.until) > now);
  if (live.length === 0) return null;
  // A run launched from a shortcut is named by the label the agent clicked, as the notice above the
  // composer names it (awaitingWho): "Shortcut “Ask the order”", not a workflow name they never saw.
  const byShortcut = live.some((a) => a.shortcutName);
  const names = live.map((a) => (byShortcut ? awaitingWho(a) : `“${a.workflowName}”`));
  const listed = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const what = byShortcut ? listed : `the workflow${names.length === 1 ? '' : 's'} ${listed}`;
  return `Closing stops ${what}, which ${names.length === 1 ? 'is' : 'are'} waiting for the customer’s answer: `
    + 'their next message opens a new conversation and no workflow gets it. Cancel to keep the conversation open.';
}

/** Beside the composer after Take over: whether the conversation is now the agent's. */
export function takeOverNote(assignment: { outcome: string; assigneeId: string | null; message?: string | undefined } | undefined, userName: (id: string | null) => string): string {
  switch (assignment?.outcome) {
    case 'assigned': return 'You took over: the conversation is assigned to you.';
    case 'kept': return `You took over; the conversation stays assigned to ${userName(assignment.assigneeId)}.`;
    case 'failed': return `You took over, but the conversation could not be assigned to you: ${assignment.message ?? 'refused'}`;
    default: return 'You took over.';
  }
}
