import { Api, ApiError } from './api.js';
import { $, contactName, h } from './dom.js';
import { createMessageAnnouncer } from './announce.js';
import { composerHint, deletedThere } from './elsewhere.js';
import { createConversationHead } from './conversation-head.js';
import { createTemplatePicker } from './template-picker.js';
import { createAwaitingNotice } from './awaiting-notice.js';
import { channelWindowText, humanAgentReply } from './channel-window.js';
import { createCloseDialog } from './close-dialog.js';
import { createPagedThread } from './paged-thread.js';
import { createQueuedSend, type ReplyKind } from './queued-send.js';
import { createReplyLength } from './reply-length.js';
import type { ChannelWindow, Contact, ConversationDetail, Me, Message, Teammate } from './wire.js';

export interface ConversationViewOptions {
  /** `about`: the conversation the failed call was about (the banner goes when the agent leaves it). */
  showError: (err: unknown, about?: string | null) => void;
  /** Something changed on the server because of this page (sent, closed, assigned). */
  afterChange: (id: string) => void;
  navigate: (id: string, tab?: 'open' | 'closed') => void;
  me: () => Me | null;
  userName: (id: string | null) => string;
  teammates: () => Iterable<Teammate>;
}

export interface ConversationView {
  show(next: ConversationDetail, opts?: { switched?: boolean }): void;
  /** `contact`: its list row's, to name it while it loads. */
  select(id: string, contact?: Contact | null): void;
  clear(): void;
  readonly currentId: string | null;
  setCategories(list: string[]): void;
  setContact(contact: Contact): void;
  rerenderNames(): void;
  /** Whether reading conversation `id` should bring the contact's earlier conversations (`?history=true`): once they show. */
  wantsHistory(id: string): boolean;
}

/**
 * The middle pane. Its elements are static in index.html and never rebuilt: the extension
 * mounts its launcher inside [data-composer-toolbar] and must not lose it on re-render.
 */
export function createConversationView({ showError, afterChange, navigate, me, userName, teammates }: ConversationViewOptions): ConversationView {
  const root = $('[data-testid="conversation"]');
  const placeholder = $('[data-testid="no-conversation"]');
  const composer = $<HTMLFormElement>('[data-testid="composer"]');
  const input = $<HTMLTextAreaElement>('[data-testid="composer-input"]');
  const noteToggle = $<HTMLButtonElement>('[data-testid="note-toggle"]');
  const sendButton = $<HTMLButtonElement>('[data-testid="send-button"]');
  const head = createConversationHead({ me, userName, teammates, showError, afterChange });
  const { heading, closeButton, reopenButton } = head;
  // The latest page of a long thread, older ones as the agent scrolls up (paged-thread.ts).
  const paged = createPagedThread($('[data-testid="message-list"]'), {
    userName, me, showError, onResent: (id, message) => added(id, message),
    // A failed reply once WhatsApp's window has closed: a template is what reaches the customer.
    onSendTemplate: (id) => { if (detail?.id === id) templatePicker.open(id); },
  }, () => detail);
  const { thread } = paged;
  // Added once (never rebuilt, like the composer): what the channel lets through right now.
  const windowNotice = h('p', { class: 'channel-window', 'data-testid': 'channel-window', role: 'status', hidden: true });
  composer.prepend(windowNotice);
  // WhatsApp: an approved template, the only reply once the window has closed (template-picker.ts).
  const templateButton = h('button', { type: 'button', class: 'ghost', 'data-testid': 'template-button', text: 'Templates', title: 'Send an approved WhatsApp template', hidden: true });
  sendButton.before(templateButton);
  const templatePicker = createTemplatePicker({ onSent: (id, message) => added(id, message) });
  // Prepended after the window notice: it reads first, above it.
  const awaiting = createAwaitingNotice(composer, {
    current: () => detail, replace: (next) => { detail = next; }, userName, afterChange, showError, focusComposer: () => input.focus(),
  });
  // In place of the composer on a closed conversation: replies go to an open one (the API refuses them here).
  const closedText = h('span', { 'data-testid': 'closed-notice-text' });
  const closedAction = h('button', { type: 'button', class: 'primary', 'data-testid': 'closed-notice-action' });
  const closedNotice = h('div', { class: 'closed-notice', 'data-testid': 'closed-notice', role: 'status', hidden: true }, closedText, closedAction);
  // Above the composer: on a conversation deleted in Chatwoot both show (notes are still taken).
  composer.before(closedNotice);
  // Close gives way to Reopen: the focus goes to the conversation's heading, not lost to the page.
  const closeDialog = createCloseDialog({ current: () => detail, onClosed: (id) => { heading.focus(); afterChange(id); } });
  const announcer = createMessageAnnouncer($('[data-testid="message-announcer"]'));
  const queued = createQueuedSend(composer);
  // Too long for where it goes: counted and said before Send (reply-length.ts).
  const length = createReplyLength(input);
  // After a Reopen, the reply box of the conversation it opens (once shown) takes the focus.
  let focusComposerOnShow = false;

  let detail: ConversationDetail | null = null;
  let noteMode = false;
  let sending = false;
  let channel: ChannelWindow | null = null;
  const drafts = new Map<string, string>();

  const setNoteMode = (on: boolean) => {
    noteMode = on;
    noteToggle.setAttribute('aria-pressed', String(on));
    composer.classList.toggle('note-mode', on);
    sendButton.textContent = on ? 'Add note' : 'Send';
    input.placeholder = composerHint(detail, on);
    renderWindow();
  };

  /** Says before the agent types whether a reply can reach the customer (channel-window.ts). */
  function renderWindow() {
    windowNotice.hidden = !channel;
    const closed = Boolean(channel && !channel.open && !humanAgentReply(channel));
    composer.classList.toggle('window-closed', closed);
    const tooLong = length.update(noteMode ? 'note' : channel?.kind === 'whatsapp' || channel?.kind === 'messenger' ? channel.kind : 'message');
    sendButton.disabled = sending || (closed && !noteMode) || tooLong;
    templateButton.hidden = channel?.kind !== 'whatsapp' || noteMode;
    templateButton.classList.toggle('primary', closed);
    templateButton.classList.toggle('ghost', !closed);
    if (!channel) return;
    windowNotice.textContent = channelWindowText(channel);
    composer.classList.toggle('channel-problem', Boolean(channel.problem));
  }

  /** A message this page sent (a reply, a template, a Resend's outcome) shows at once, before the live refresh. */
  function added(id: string, message: Message) {
    if (detail?.id === id) {
      const others = detail.messages.filter((m) => m.id !== message.id);
      const at = detail.messages.findIndex((m) => m.id === message.id);
      detail = { ...detail, messages: at < 0 ? [...others, message] : detail.messages.map((m) => (m.id === message.id ? message : m)) };
      paged.added(detail, message);
    }
    afterChange(id);
  }

  /** Shows a conversation (or refreshes the one shown); `switched` resets per-conversation state. */
  function show(next: ConversationDetail, { switched = false } = {}) {
    if (switched || detail?.id !== next.id) {
      thread.invalidate();
      setNoteMode(false);
      awaiting.resetNote();
    }
    const first = detail?.id !== next.id;
    detail = next;
    input.placeholder = composerHint(next, noteMode);
    placeholder.hidden = true;
    root.hidden = false;
    root.dataset.conversationId = next.id;
    head.render(next);
    paged.show(next, first);
    channel = next.status === 'open' ? next.channel ?? null : null;
    renderWindow();
    awaiting.render(next);
    renderClosed(next);
    announcer.update(next.id, next.messages, (m) => thread.authorLabel(m, next.contact), (m) => m.author.type === 'user' && m.author.id === me()?.user.id);
    if (focusComposerOnShow && next.status === 'open') {
      focusComposerOnShow = false;
      input.focus();
    }
    const kind = queued.take(next.id);
    if (kind) void send(kind);
  }

  /**
   * A closed conversation takes no replies: the composer gives way to reopening it, or to where it
   * goes on. One Chatwoot deleted keeps its composer for notes only (the API keeps them here and
   * refuses the rest), and offers no Reopen.
   */
  function renderClosed(c: ConversationDetail) {
    const open = c.status === 'open';
    const notesOnly = deletedThere(c);
    if (notesOnly !== noteToggle.hidden) {
      noteToggle.hidden = notesOnly;
      setNoteMode(notesOnly);
    }
    composer.hidden = !open && !notesOnly;
    closedNotice.hidden = open;
    if (open) return;
    const elsewhere = goesOnIn(c);
    closedAction.hidden = notesOnly && !elsewhere;
    if (notesOnly) closedText.replaceChildren('Deleted in Chatwoot: notes are kept here only. A new conversation starts when the customer writes in Chatwoot.');
    else closedText.replaceChildren(...(elsewhere
      ? ['This conversation is closed. ', h('bdi', { text: contactName(c.contact) }), '\'s conversation goes on in an open one.']
      : ['This conversation is closed. Reopen it to reply.']));
    closedAction.textContent = elsewhere ? 'Go to the open conversation' : 'Reopen';
  }

  /** The contact's open conversation when it is another one (a customer wrote again, someone reopened it). */
  const goesOnIn = (c: ConversationDetail) => (c.contactOpenConversationId && c.contactOpenConversationId !== c.id ? c.contactOpenConversationId : null);

  /** Marks the conversation as the open one before its detail arrives (the extension reads the id). */
  function select(id: string, contact?: Contact | null) {
    if (detail?.id === id) return;
    // The one left may still be loading (no detail yet): what was typed there is its draft too.
    const left = root.dataset.conversationId;
    if (left && left !== id) drafts.set(left, input.value);
    root.dataset.conversationId = id;
    queued.cancel();
    if (detail) {
      detail = null;
      awaiting.hide();
      thread.loading();
    }
    head.loading(contact);
    if (left !== id) input.value = drafts.get(id) ?? '';
  }

  function clear() {
    detail = null;
    queued.cancel();
    paged.clear();
    channel = null;
    awaiting.hide();
    thread.invalidate();
    root.hidden = true;
    placeholder.hidden = false;
    delete root.dataset.conversationId;
  }

  /** `queuedAs`: a reply that waited for its conversation to load, sent as what it was typed as (queued-send.ts). */
  async function send(queuedAs?: ReplyKind) {
    const text = input.value.trim();
    if (!text) return;
    // Over its channel's limit: the composer says so under the text, which stays.
    if (length.tooLong) return;
    if (!detail) {
      if (root.dataset.conversationId) queued.wait(root.dataset.conversationId, noteMode ? 'comment' : 'message');
      return;
    }
    if (sending && !queuedAs) return;
    const kind = queuedAs ?? (noteMode ? 'comment' : 'message');
    // Closed, notes only (deleted in Chatwoot), or its channel's window shut: the page says why above; the text stays.
    if (queuedAs && (composer.hidden || (kind === 'message' && (noteToggle.hidden || composer.classList.contains('window-closed'))))) return queued.refuse();
    queued.cancel();
    sending = true;
    sendButton.disabled = true;
    const id = detail.id;
    try {
      const message = await Api.send(id, text, kind);
      if (detail?.id === id) {
        input.value = '';
        drafts.delete(id);
      }
      added(id, message);
    } catch (err) {
      showError(err, id);
    } finally {
      sending = false;
      renderWindow();
      input.focus();
    }
  }

  composer.addEventListener('submit', (event) => { event.preventDefault(); void send(); });
  input.addEventListener('input', () => renderWindow());
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
  });
  noteToggle.addEventListener('click', () => { setNoteMode(!noteMode); input.focus(); });
  templateButton.addEventListener('click', () => { if (detail) templatePicker.open(detail.id); });
  closeButton.addEventListener('click', () => closeDialog.open());

  /**
   * What was typed on a conversation closed meanwhile goes on with its conversation (Reopen makes a
   * new one, and drafts are kept by conversation): Chatwoot reopens the same one and keeps it. A
   * draft already typed in the other one stays.
   */
  function carryDraft(from: string, to: string) {
    const text = detail?.id === from ? input.value : drafts.get(from) ?? '';
    if (!text.trim() || drafts.get(to)?.trim()) return;
    drafts.set(to, text);
    drafts.delete(from);
    if (detail?.id === from) input.value = '';
  }

  async function reopen() {
    if (!detail) return;
    const { contactId, id } = detail;
    const elsewhere = goesOnIn(detail);
    focusComposerOnShow = true;
    const goTo = (target: string) => { carryDraft(id, target); navigate(target, 'open'); };
    if (elsewhere) return goTo(elsewhere);
    try {
      goTo((await Api.open(contactId)).id);
    } catch (err) {
      // Someone (or a workflow) already opened one for this contact: go there.
      if (err instanceof ApiError && err.status === 409) {
        const existing = await Api.conversationsOf(contactId, 'open').catch(() => null);
        const target = existing?.conversations[0];
        if (target) return goTo(target.id);
      }
      focusComposerOnShow = false;
      showError(err, id);
    }
  }
  reopenButton.addEventListener('click', () => void reopen());
  closedAction.addEventListener('click', () => void reopen());

  return {
    show, select, clear,
    get currentId() { return root.dataset.conversationId ?? null; },
    setCategories(next) { closeDialog.setCategories(next); },
    setContact(contact) {
      if (detail?.contactId !== contact.id) return;
      detail = { ...detail, contact };
      head.render(detail);
    },
    rerenderNames() { if (detail) { head.render(detail); paged.redraw(detail); } },
    wantsHistory: paged.wantsHistory,
  };
}
