import { channelBadge } from './channel-badge.js';
import { contactName, h, shortTime } from './dom.js';
import type { Contact, ConversationListItem } from './wire.js';

export function initials(contact: Contact): string {
  const name = contactName(contact);
  const parts = name.split(/\s+/).filter((p) => /\p{L}/u.test(p));
  return (parts.length ? parts.slice(0, 2).map((p) => p.match(/\p{L}/u)?.[0] ?? '') : ['#']).join('').toUpperCase();
}

export interface ListOptions {
  currentId: string | null;
  onSelect: (id: string) => void;
  /** A user's name ("You" for the agent). */
  userName: (id: string | null) => string;
  /** The search box's text: a row found by a message shows that message, the text marked. */
  query?: string;
}

/**
 * The message a search found, instead of the latest (Chatwoot's Messages tab, respond.io's
 * search): the server's plain-text snippet, the searched text in a <mark> (text nodes only).
 */
function matchPreview(match: NonNullable<ConversationListItem['match']>, query: string): HTMLElement {
  const text = match.snippet;
  const lower = text.toLowerCase();
  // Marked only where lowercasing kept every offset (it does but for a few letters, e.g. "İ").
  const at = query && lower.length === text.length ? lower.indexOf(query.toLowerCase()) : -1;
  const parts = at < 0 ? [text] : [text.slice(0, at), h('mark', { text: text.slice(at, at + query.length) }), text.slice(at + query.length)];
  return h('span', { class: 'item-preview', 'data-testid': 'match-snippet' }, match.kind === 'comment' ? 'Note · ' : '', h('bdi', {}, ...parts));
}

/**
 * The latest message as Chatwoot's list shows it: the customer's as it is, anything else by its
 * author. Names and text are isolated (<bdi>): an Arabic author and message do not swap places
 * around the English ": " and "(workflow)" or "(app)".
 */
function preview(c: ConversationListItem, userName: ListOptions['userName']): HTMLElement {
  const m = c.lastMessage;
  if (!m) return h('span', { class: 'item-preview', dir: 'auto', text: c.contact.phone || c.contact.email || 'New conversation' });
  if (m.author.type === 'contact' && m.kind === 'message') return h('span', { class: 'item-preview', dir: 'auto', text: m.text });
  const named = (what: 'workflow' | 'app') => (m.author.name ? [h('bdi', { text: m.author.name }), ` (${what})`] : [what === 'app' ? 'App' : 'Workflow']);
  const who = m.author.type === 'workflow' || m.author.type === 'app' ? named(m.author.type)
    : [h('bdi', { text: m.author.type === 'contact' ? contactName(c.contact) : userName(m.author.id) })];
  // A reply that did not reach the customer says so here too, as Chatwoot's and WhatsApp's lists mark it.
  const failed = m.delivery?.status === 'failed' ? h('span', { class: 'preview-failed', 'data-testid': 'preview-failed', text: 'Failed · ' }) : '';
  return h('span', { class: 'item-preview' }, failed, m.kind === 'comment' ? 'Note · ' : '', ...who, ': ', h('bdi', { text: m.text }));
}

/** A closed conversation's line: its category and summary, both written by agents. */
function closedPreview(c: ConversationListItem): HTMLElement {
  const category = c.category ? ['Closed · ', h('bdi', { text: c.category })] : ['Closed'];
  return h('span', { class: 'item-preview' }, ...category, ...(c.summary ? [' — ', h('bdi', { text: c.summary })] : []));
}

/**
 * The server's count of the customer's messages this user has not seen (Chatwoot's unread count,
 * "9+" past nine): it survives a reload and follows the user's other tabs. Said in words too.
 */
function unreadBadge(n: number): HTMLElement | null {
  if (n <= 0) return null;
  const words = n > 9 ? 'More than 9 unread messages' : `${n} unread ${n === 1 ? 'message' : 'messages'}`;
  return h('span', { class: 'unread-dot', 'data-testid': 'unread-count', title: words },
    h('span', { 'aria-hidden': 'true', text: n > 9 ? '9+' : String(n) }), h('span', { class: 'visually-hidden', text: words }));
}

/**
 * Renders the rows loaded so far, in the server's order (newest activity first: its latest
 * message, else its opening; a live change fetches the top again, which moves a row up). The
 * pages an agent loaded with "Load more" are rebuilt too: a few hundred rows cost well under a frame.
 */
export function renderList(ul: HTMLElement, conversations: ConversationListItem[], { currentId, onSelect, userName, query = '' }: ListOptions): void {
  const items = conversations.map((c) => {
    const isCurrent = c.id === currentId;
    const link = h('a', {
      class: 'conversation-link',
      href: `/inbox/c/${encodeURIComponent(c.id)}`,
      'aria-current': isCurrent ? 'true' : null,
      onclick: (event: MouseEvent) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        onSelect(c.id);
      },
    },
    h('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(c.contact) }),
    h('span', { class: 'item-body' },
      h('span', { class: 'item-top' },
        h('span', { class: 'item-name', dir: 'auto', 'data-testid': 'conversation-name', text: contactName(c.contact) }),
        channelBadge(c),
        h('time', { class: 'item-time', datetime: c.lastActivityAt, text: shortTime(c.lastActivityAt) })),
      c.match ? matchPreview(c.match, query) : c.status === 'closed' ? closedPreview(c) : preview(c, userName)),
    isCurrent ? null : unreadBadge(c.unread ?? 0));
    return h('li', { class: isCurrent ? 'conversation-item current' : 'conversation-item', 'data-testid': 'conversation-item', dataset: { id: c.id, status: c.status } }, link);
  });
  // Every live change redraws the rows: a keyboard user's focus on one stays on its new row (it
  // fell to the page's body at each message anywhere in the inbox). A row that left (read under
  // Unread, closed, taken out of Mine) hands it to the row now in its place, as a mail list does.
  const focusedRow = ul.contains(document.activeElement) ? document.activeElement?.closest<HTMLElement>('[data-testid="conversation-item"]') : null;
  const focusedAt = focusedRow ? [...ul.children].indexOf(focusedRow) : -1;
  ul.replaceChildren(...items);
  if (!focusedRow) return;
  const same = items.find((li) => li.dataset.id === focusedRow.dataset.id);
  const next = same ?? items[Math.min(focusedAt, items.length - 1)];
  if (next) next.querySelector<HTMLElement>('.conversation-link')?.focus({ preventScroll: true });
  else ul.closest<HTMLElement>('[role="tabpanel"]')?.focus({ preventScroll: true });
}
