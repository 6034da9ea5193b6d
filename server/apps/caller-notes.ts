import { onceSkippedNote } from '../engine/dispatch/dispatcher';
import type { Executor } from '../store/database';

const ONCE_SKIPPED = onceSkippedNote([]);
/** Our workflow and contact ids (newId: a prefix and a ULID), wherever a stored note names them. */
const ID = /\b(?:wf|con)_[0-9A-HJKMNP-TV-Z]{26}\b/g;

interface Names { workflows: Map<string, string>; contacts: Map<string, string> }

/**
 * An event's note as an outside caller of Fire Trigger or /workflows/:id/start reads it in its
 * 202. The stored note names our workflow and contact ids for the admin (events, run log); the
 * caller knows neither, so it gets the workflow's name and the contact as the webhook route's
 * sender gets them (sender-notes.ts): by what the caller can know. `seesContacts`: the caller may
 * read contacts (an app key with contacts.read, a user); any other is told "the contact" only.
 */
export async function callerNotes(db: Executor, note: string | null | undefined, seesContacts: boolean): Promise<{ notes?: string[] }> {
  if (!note) return {};
  const names = await namesIn(db, note, seesContacts);
  // Dispatchers' notes are joined with "; " (recorder.ts); a part that is none of ours passes unchanged.
  const parts = note.split('; ').map((part) => (part.startsWith(ONCE_SKIPPED) ? onceSkipped(part, names) : part.replace(ID, (id) => nameOf(id, names))));
  return { notes: [parts.join('; ')] };
}

/** "once per contact: already enrolled, not started: wf_1 for con_1, wf_2 for con_1" → one sentence per contact. */
function onceSkipped(part: string, names: Names): string {
  const byContact = new Map<string, string[]>();
  for (const entry of part.slice(ONCE_SKIPPED.length).split(', ')) {
    const [workflowId = '', contactId = ''] = entry.split(' for ');
    byContact.set(contactId, [...(byContact.get(contactId) ?? []), workflowId]);
  }
  return [...byContact].map(([contactId, workflowIds]) => {
    const workflows = workflowIds.map((id) => nameOf(id, names));
    const list = workflows.length === 1 ? workflows[0] : `${workflows.slice(0, -1).join(', ')} and ${workflows.at(-1)}`;
    return `once per contact: ${nameOf(contactId, names)} was already enrolled in ${list}, so ${workflows.length === 1 ? 'it' : 'they'} did not start again`;
  }).join('; ');
}

function nameOf(id: string, names: Names): string {
  if (id.startsWith('wf_')) {
    const name = names.workflows.get(id);
    return name === undefined ? 'a workflow since deleted' : `workflow "${name}"`;
  }
  return names.contacts.get(id) ?? 'the contact';
}

async function namesIn(db: Executor, note: string, seesContacts: boolean): Promise<Names> {
  const ids = [...new Set(note.match(ID) ?? [])];
  const workflowIds = ids.filter((id) => id.startsWith('wf_'));
  const contactIds = seesContacts ? ids.filter((id) => id.startsWith('con_')) : [];
  const [workflows, contacts] = await Promise.all([
    workflowIds.length ? db.selectFrom('workflows').select(['id', 'name']).where('id', 'in', workflowIds).execute() : [],
    contactIds.length ? db.selectFrom('contacts').select(['id', 'first_name', 'last_name', 'phone', 'email']).where('id', 'in', contactIds).execute() : [],
  ]);
  return {
    workflows: new Map(workflows.map((w) => [w.id, w.name])),
    contacts: new Map(contacts.map((c) => [c.id, contactLabel(c)])),
  };
}

/** "Maria Lopez (+34600111222)": the name the inbox shows, with the phone or email the caller may have named it by. */
function contactLabel(c: { first_name: string; last_name: string; phone: string | null; email: string | null }): string {
  const name = `${c.first_name} ${c.last_name}`.trim();
  const reach = c.phone ?? c.email;
  if (name && reach) return `${name} (${reach})`;
  return name || reach || 'the contact';
}
