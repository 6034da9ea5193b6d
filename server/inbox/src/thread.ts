import { activityItem } from './activity.js';
import { bubbleText, renderAttachments } from './attachments.js';
import { deliveryBadge } from './delivery.js';
import { contactName, h, isolated, shortTime } from './dom.js';
import { editedMark, messageTimes, placedAt } from './message-time.js';
import { nextLoad, showsEarlier, type EarlierRun, type ThreadPages } from './thread-pages.js';
import type { Contact, ConversationDetail, Me, Message } from './wire.js';

// The message list of the middle pane: what the page holds of the thread (thread-pages.ts), under
// "Load older messages" while there is more: this conversation's latest pages, then, once its
// start is shown, the contact's earlier conversations above it. Rebuilt whole, but only when what
// it shows changed, so a refresh keeps the scroll.

const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });

/** Why the server closed a conversation, where no agent chose a category (also in the heading). */
export const CLOSE_REASONS: Record<string, string> = { merge: 'contacts merged', superseded: 'another conversation was opened', deleted_in_chatwoot: 'deleted in Chatwoot' };

/** The line under an earlier conversation: how it ended. */
const closedLine = (c: EarlierRun) => {
  if (c.status === 'open') return `Opened ${shortTime(c.openedAt)}`;
  const what = c.category ? `Closed · ${c.category}` : 'Closed';
  const why = c.closeReason ? CLOSE_REASONS[c.closeReason] ?? c.closeReason : null;
  return [what, why, c.summary, shortTime(c.closedAt)].filter(Boolean).join(' — ');
};
const LOAD_OLDER = 'Load older messages';
/** How close to the top of the list scrolling reads the older messages. */
const NEAR_TOP_PX = 200;
const divider = (testid: string, text: string) => h('li', { class: 'cycle', 'data-testid': testid }, h('span', { text }));

export interface ThreadOptions {
  userName: (id: string | null) => string;
  /** The signed-in agent: their own activity lines start with their name, which userName gives as "You". */
  me?: () => Me | null;
  /** A Resend (delivery.ts) gave a message back: it shows at once. */
  onResent: (conversationId: string, message: Message) => void;
  /** "Send a template" on a failed reply once WhatsApp's window is closed: the template picker. */
  onSendTemplate: (conversationId: string) => void;
  showError: (err: unknown, about?: string | null) => void;
  /** "Load older messages" (its button, or the agent scrolling to the top of the list). */
  onLoadOlder: () => void;
}

/** Where the list stays as it is drawn: at its end (opened, sent), where it was (a refresh), or on the same messages as older ones come above them. */
export type ThreadPlace = 'end' | 'stay' | 'older';

export interface Thread {
  render(current: ConversationDetail, pages: ThreadPages, place: ThreadPlace): void;
  /** While older messages are read: the button says so and takes no second click. */
  setLoadingOlder(on: boolean): void;
  /** The next render rebuilds even if nothing it keys on changed (another conversation, renamed teammates). */
  invalidate(): void;
  loading(): void;
  /** Who wrote a message, as its bubble says it. */
  authorLabel(m: Message, contact: Contact | null): string;
}

export function createThread(list: HTMLElement, { userName, me, onResent, onSendTemplate, showError, onLoadOlder }: ThreadOptions): Thread {
  const nameOf = (id: string | null) => { const self = me?.(); return self && id === self.user.id ? self.user.name : userName(id); };
  let renderedKey = '';
  // One button, kept across renders: a keyboard user who pressed it keeps the focus on it.
  const olderButton = h('button', { type: 'button', class: 'small', 'data-testid': 'load-older', text: LOAD_OLDER });
  const olderItem = h('li', { class: 'load-older' }, olderButton);
  let loadingOlder = false;
  olderButton.addEventListener('click', () => { if (!loadingOlder) onLoadOlder(); });
  // Chatwoot's and respond.io's threads read older messages as the agent scrolls up to them.
  list.addEventListener('scroll', () => {
    if (!loadingOlder && olderItem.isConnected && list.scrollTop < NEAR_TOP_PX) onLoadOlder();
  }, { passive: true });

  const authorLabel = (m: Message, contact: Contact | null) => {
    if (m.author.type === 'contact') return contact ? contactName(contact) : 'Contact';
    // Which workflow wrote it, as Chatwoot names the bot (older messages of a deleted workflow have no name).
    if (m.author.type === 'workflow') return m.author.name ? `Workflow: ${m.author.name}` : 'Workflow';
    // A mini-app's reply or note (posted with its API key), as Chatwoot names an integration.
    if (m.author.type === 'app') return m.author.name ? `App: ${m.author.name}` : 'App';
    return userName(m.author.id);
  };

  /** The name in an author's label (for isolating it); the workflow's or app's when it has one. */
  const authorName = (m: Message, contact: Contact) => (m.author.type === 'workflow' || m.author.type === 'app' ? m.author.name ?? '' : authorLabel(m, contact));

  function render(current: ConversationDetail, pages: ThreadPages, place: ThreadPlace) {
    const messages = pages.current.messages;
    const earlier = showsEarlier(pages) ? pages.earlier ?? [] : [];
    const more = nextLoad(pages) !== null;
    // Delivery statuses change without new messages (Meta's status webhooks): part of the key. So
    // does the last one's time: a workflow's activity line is replaced in place (same id, new time).
    // And whether WhatsApp's window is open: a failed reply offers Resend, or a template once it has closed.
    // A customer's edit changes a message in place: its time is part of the key too.
    const key = `${current.id}:${more}:${messages.length}:${messages[0]?.id ?? ''}:${messages.at(-1)?.id ?? ''}@${messages.at(-1)?.createdAt ?? ''}:${messages.map((m) => m.delivery?.status ?? '').join('')}:${current.channel?.open ?? ''}`
      + `:${messages.map((m) => m.edited?.at ?? '').join(',')}`
      + `|${earlier.map((c) => `${c.id}:${c.status}:${c.messages.length}:${c.messages[0]?.id ?? ''}:${c.messages.at(-1)?.id ?? ''}`).join(',')}`;
    if (key === renderedKey) return;
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    const fromBottom = list.scrollHeight - list.scrollTop;
    const hadFocus = document.activeElement === olderButton;
    renderedKey = key;
    const items: HTMLLIElement[] = [];
    let day = '';
    const deliveryOptions = {
      conversationId: current.id, canReply: current.status === 'open',
      // WhatsApp's window closed (by time, or WhatsApp's 131047): a Resend could only fail again.
      templateInstead: current.channel?.kind === 'whatsapp' && !current.channel.open,
      onTemplate: () => onSendTemplate(current.id),
      onResent: (message: Message) => onResent(current.id, message), onError: (err: unknown) => showError(err, current.id),
    };
    const add = (m: Message, fromEarlier: boolean) => {
      // By where it sits in the thread; its bubble says when it was sent (message-time.ts).
      const d = new Date(placedAt(m)).toDateString();
      if (d !== day) {
        day = d;
        items.push(h('li', { class: 'day', 'aria-hidden': 'true' }, h('span', { text: dayFmt.format(new Date(placedAt(m))) })));
      }
      if (m.kind === 'activity') {
        items.push(activityItem(m, fromEarlier, m.author.type === 'user' ? nameOf(m.author.id) : null));
        return;
      }
      const note = m.kind === 'comment';
      const text = bubbleText(m);
      items.push(h('li', {
        class: `msg ${m.direction}${note ? ' note' : ''}${fromEarlier ? ' earlier' : ''}`,
        // The contact's earlier conversations are shown above, told apart from this one's messages.
        'data-testid': `${fromEarlier ? 'history-' : ''}${note ? 'note' : 'message'}`,
        dataset: { id: m.id, kind: m.kind, direction: m.direction },
      },
      h('div', { class: 'bubble' },
        note ? h('span', { class: 'note-label', text: 'Internal note' }) : null,
        renderAttachments(m),
        // dir=auto: a Hebrew or Arabic message reads right to left, its "?" and "!" at its end.
        text === null ? null : h('p', { class: 'msg-text', dir: 'auto', 'data-testid': 'message-text', text })),
      h('div', { class: 'msg-meta' },
        h('span', { class: 'msg-author', 'data-testid': 'message-author' }, isolated(authorLabel(m, current.contact), [authorName(m, current.contact)])),
        ...messageTimes(m),
        editedMark(m),
        fromEarlier ? deliveryBadge(m, { ...deliveryOptions, canReply: false }) : deliveryBadge(m, deliveryOptions))));
    };
    // What came before (each open→close period is a conversation of its own): oldest first,
    // each followed by how it ended, then where this conversation starts.
    if (more) items.push(olderItem);
    for (const c of earlier) {
      for (const m of c.messages) add(m, true);
      items.push(divider('history-divider', closedLine(c)));
    }
    if (earlier.length) items.push(divider('conversation-start', `This conversation opened ${shortTime(current.openedAt)}`));
    for (const m of messages) add(m, false);
    if (!messages.length) items.push(h('li', { class: 'empty', text: earlier.length ? 'No messages in this conversation yet.' : 'No messages yet.' }));
    list.replaceChildren(...items);
    if (place === 'end' || (place === 'stay' && nearBottom)) list.scrollTop = list.scrollHeight;
    // Older messages came above: the ones the agent was reading stay where they were.
    else if (place === 'older') list.scrollTop = list.scrollHeight - fromBottom;
    if (hadFocus) {
      if (more) olderButton.focus({ preventScroll: true });
      else { list.tabIndex = -1; list.focus({ preventScroll: true }); }
    }
  }

  return {
    render,
    invalidate() { renderedKey = ''; },
    setLoadingOlder(on) {
      loadingOlder = on;
      // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
      olderButton.setAttribute('aria-disabled', String(on));
      olderButton.textContent = on ? 'Loading older messages…' : LOAD_OLDER;
      list.setAttribute('aria-busy', String(on));
    },
    loading() {
      renderedKey = '';
      list.replaceChildren(h('li', { class: 'empty', text: 'Loading…' }));
    },
    authorLabel,
  };
}
