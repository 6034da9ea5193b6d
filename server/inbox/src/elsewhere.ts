import { $, h } from './dom.js';
import type { ConversationDetail } from './wire.js';

// A conversation that lives in Chatwoot: what the agent does here (reply, note, Close, Reopen,
// Assign) is done there by the API, and the page says so rather than look like a built-in one.

const NAMES: Record<string, string> = { chatwoot: 'Chatwoot' };

/** "Chatwoot" for a conversation that lives there; null for the companion's own. */
export const inboxName = (c: ConversationDetail | null): string | null => (c?.inbox ? NAMES[c.inbox.kind] ?? c.inbox.kind : null);

/** The composer's hint: where a reply or a note goes. */
export function composerHint(c: ConversationDetail | null, note: boolean): string {
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
      badge.textContent = `${name} #${c.inbox.externalId}`;
      badge.setAttribute('href', c.inbox.url);
      badge.title = `This conversation lives in ${name} (${c.inbox.name}): replies, notes, Close, Reopen and Assign act there. Opens it in ${name}.`;
    },
  };
}
