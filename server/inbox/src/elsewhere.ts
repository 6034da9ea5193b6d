import { $, h } from './dom.js';
import type { ConversationDetail } from './wire.js';

// A conversation that lives in Chatwoot: what the agent does here (reply, note, Close, Reopen,
// Assign) is done there by the API, and the page says so rather than look like a built-in one.

const NAMES: Record<string, string> = { chatwoot: 'Chatwoot' };

/** "Chatwoot" for a conversation that lives there; null for the companion's own. */
export const inboxName = (c: ConversationDetail | null): string | null => (c?.inbox ? NAMES[c.inbox.kind] ?? c.inbox.kind : null);

/**
 * Chatwoot deleted it: the API refuses a reply, Reopen, Assign and Close there (409) and keeps
 * notes here, its only copy; the page offers only notes. The server says so (`inbox.deleted`), by
 * the rule it refuses with, so the two cannot drift.
 */
export const deletedThere = (c: Pick<ConversationDetail, 'inbox'> | null): boolean => c?.inbox?.deleted === true;

/** The composer's hint: where a reply or a note goes. */
export function composerHint(c: ConversationDetail | null, note: boolean): string {
  if (deletedThere(c)) return 'Internal note (kept here only: the conversation was deleted in Chatwoot)… (Enter to save)';
  // A disconnected account's conversation: what is written here stays here.
  if (c?.inbox?.disconnected) return `${note ? 'Internal note' : 'Write a reply'} (kept here only: its ${inboxName(c)} account is disconnected)… (Enter to ${note ? 'save' : 'send'})`;
  const there = inboxName(c);
  return note
    ? `Internal note: only your team sees it${there ? ` (a private note in ${there})` : ''} (Enter to save)`
    : `Write a reply${there ? ` (sent through ${there})` : ''}… (Enter to send, Shift+Enter for a new line)`;
}

/** The badge beside the conversation's status (added once, never rebuilt), linking to it there. */
export function createInboxBadge(): { render(c: ConversationDetail): void } {
  const badge = h('a', { class: 'inbox-badge', 'data-testid': 'conversation-inbox', target: '_blank', rel: 'noopener noreferrer', hidden: true });
  $('[data-testid="conversation-status"]').after(badge);
  return {
    render(c) {
      const name = inboxName(c);
      badge.hidden = !c.inbox || !name;
      if (!c.inbox || !name) return;
      // Which inbox there ("Website", "WhatsApp Support"): an agent tells the channel at a glance.
      const where = c.inbox.name && c.inbox.name !== c.inbox.account ? ` · ${c.inbox.name}` : '';
      const account = c.inbox.account && c.inbox.account !== c.inbox.name ? `the ${c.inbox.name} inbox of ${c.inbox.account}` : c.inbox.name;
      const deleted = deletedThere(c);
      badge.textContent = `${name}${deleted ? ' (deleted)' : c.inbox.disconnected ? ' (disconnected)' : ''}${where} #${c.inbox.externalId}`;
      badge.setAttribute('href', c.inbox.url);
      badge.title = deleted
        ? `This conversation was deleted in ${name} (${account}): a sync closed it here, where its only copy is kept with its notes.`
        : c.inbox.disconnected
        ? `This conversation was mirrored from ${name} (${account}), whose account is disconnected: nothing done here reaches ${name} until it is connected again. Opens it in ${name}.`
        : `This conversation lives in ${name} (${account}): replies, notes, Close, Reopen and Assign act there. Opens it in ${name}.`;
    },
  };
}
