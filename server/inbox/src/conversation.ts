import type { z as zc } from 'zod';
import type { CloseConversationBody } from '../../../lib/contracts/conversations';
import { awaitingAnswerText } from '../../../lib/workflow/waiting-on';
import { Api, ApiError } from './api.js';
import { createAssignControl } from './assign.js';
import { isPlaceholderText, renderAttachments } from './attachments.js';
import { deliveryBadge } from './delivery.js';
import { $, contactName, fullTime, h, isolated, shortTime } from './dom.js';
import { createMessageAnnouncer } from './announce.js';
import { composerHint, createInboxBadge, deletedThere } from './elsewhere.js';
import { createAdBadge } from './ad-badge.js';
import { createTemplatePicker } from './template-picker.js';
import { activityItem, closeWarning, takeOverNote } from './activity.js';
import type { ChannelWindow, Contact, ConversationDetail, EarlierConversation, Me, Message, Teammate } from './wire.js';

const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });

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
  select(id: string): void;
  clear(): void;
  readonly currentId: string | null;
  setCategories(list: string[]): void;
  setContact(contact: Contact): void;
  rerenderNames(): void;
}

/**
 * The middle pane. Its elements are static in index.html and never rebuilt: the extension
 * mounts its launcher inside [data-composer-toolbar] and must not lose it on re-render.
 */
export function createConversationView({ showError, afterChange, navigate, me, userName, teammates }: ConversationViewOptions): ConversationView {
  const root = $('[data-testid="conversation"]');
  const placeholder = $('[data-testid="no-conversation"]');
  const list = $('[data-testid="message-list"]');
  const composer = $<HTMLFormElement>('[data-testid="composer"]');
  const input = $<HTMLTextAreaElement>('[data-testid="composer-input"]');
  const noteToggle = $<HTMLButtonElement>('[data-testid="note-toggle"]');
  const sendButton = $<HTMLButtonElement>('[data-testid="send-button"]');
  const closeButton = $<HTMLButtonElement>('[data-testid="close-button"]');
  const reopenButton = $<HTMLButtonElement>('[data-testid="reopen-button"]');
  const assign = createAssignControl({ me, userName, teammates, showError, afterChange });
  const dialog = $<HTMLDialogElement>('[data-testid="close-dialog"]');
  const categorySelect = $<HTMLSelectElement>('[data-testid="close-category"]');
  const summary = $<HTMLTextAreaElement>('[data-testid="close-summary"]');
  const dialogError = h('p', { class: 'dialog-error', 'data-testid': 'close-error', hidden: true });
  // Added once (never rebuilt, like the composer): what the channel lets through right now.
  const windowNotice = h('p', { class: 'channel-window', 'data-testid': 'channel-window', role: 'status', hidden: true });
  composer.prepend(windowNotice);
  // WhatsApp: an approved template, the only reply once the window has closed (template-picker.ts).
  const templateButton = h('button', { type: 'button', class: 'ghost', 'data-testid': 'template-button', text: 'Templates', title: 'Send an approved WhatsApp template', hidden: true });
  sendButton.before(templateButton);
  const templatePicker = createTemplatePicker({ onSent: (id, message) => added(id, message) });
  // Before the agent writes: the customer's next message will go to a workflow's question, not to them.
  const awaitingText = h('span', { 'data-testid': 'awaiting-answer-text', role: 'status' });
  const takeOverButton = h('button', { type: 'button', class: 'ghost take-over', 'data-testid': 'take-over', text: 'Take over', title: 'Stop the workflow: the customer’s next message comes to you' });
  const awaitingNotice = h('p', { class: 'awaiting-answer', 'data-testid': 'awaiting-answer', hidden: true }, awaitingText, ' ', takeOverButton);
  composer.prepend(awaitingNotice);
  // After Take over: whether the conversation is now this agent's or stays a colleague's.
  const takeOverStatus = h('p', { class: 'take-over-note', 'data-testid': 'take-over-note', role: 'status', hidden: true });
  awaitingNotice.after(takeOverStatus);
  // In the close dialog: a workflow waiting here for the customer's answer stops with the close.
  const closeWarningText = h('p', { class: 'dialog-warning', 'data-testid': 'close-warning', hidden: true });
  $('h3', dialog).after(closeWarningText);
  let awaitingRunId: string | null = null;
  let awaitingTimer: ReturnType<typeof setTimeout> | undefined;
  // In place of the composer on a closed conversation: replies go to an open one (the API refuses them here).
  const closedText = h('span', { 'data-testid': 'closed-notice-text' });
  const closedAction = h('button', { type: 'button', class: 'primary', 'data-testid': 'closed-notice-action' });
  const closedNotice = h('div', { class: 'closed-notice', 'data-testid': 'closed-notice', role: 'status', hidden: true }, closedText, closedAction);
  // Above the composer: on a conversation deleted in Chatwoot both show (notes are still taken).
  composer.before(closedNotice);
  $('.dialog-actions', dialog).before(dialogError);
  const inboxBadge = createInboxBadge();
  const adBadge = createAdBadge();
  const announcer = createMessageAnnouncer($('[data-testid="message-announcer"]'));
  const heading = $('[data-testid="conversation-title"]');
  // After a Reopen, the reply box of the conversation it opens (once shown) takes the focus.
  let focusComposerOnShow = false;

  let detail: ConversationDetail | null = null;
  let renderedKey = '';
  let categories: string[] = [];
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

  const CHANNEL_NAMES: Record<string, string> = { whatsapp: 'WhatsApp', messenger: 'Messenger' };
  /**
   * Says before the agent types whether a reply can reach the customer. A closed window blocks
   * Send (notes still work), except on Messenger up to 7 days, where a person's reply goes as a
   * Human Agent reply; on WhatsApp Templates is the way then.
   */
  function renderWindow() {
    windowNotice.hidden = !channel;
    const humanAgent = Boolean(channel && !channel.open && channel.kind === 'messenger' && channel.humanAgentUntil);
    const closed = Boolean(channel && !channel.open && !humanAgent);
    composer.classList.toggle('window-closed', closed);
    sendButton.disabled = sending || (closed && !noteMode);
    templateButton.hidden = channel?.kind !== 'whatsapp' || noteMode;
    templateButton.classList.toggle('primary', closed);
    templateButton.classList.toggle('ghost', !closed);
    if (!channel) return;
    const name = CHANNEL_NAMES[channel.kind] ?? channel.kind;
    windowNotice.textContent = channel.open
      ? `${name}: replies go to the customer (24-hour window open until ${shortTime(channel.closesAt)})`
      : humanAgent
        ? `${name}: the 24-hour window is closed, so your reply is sent as a Human Agent reply (Meta allows it up to 7 days after the customer’s last message: until ${fullTime(channel.humanAgentUntil)})`
        : channel.kind === 'whatsapp'
          ? `${name}: ${channel.note ?? 'the 24-hour window is closed'}. Send a template (Templates).`
          : `${name}: more than 7 days since the customer last wrote, so Meta takes no reply until they write again`;
    // Sends still go (the admin may have fixed it in Meta); the agent knows why one fails.
    if (channel.problem) windowNotice.textContent += `. Sending is failing: ${channel.problem}`;
    composer.classList.toggle('channel-problem', Boolean(channel.problem));
  }

  /** A message this page sent (a reply, a template, a Resend's outcome) shows at once, before the live refresh. */
  function added(id: string, message: Message) {
    if (detail?.id === id) {
      const others = detail.messages.filter((m) => m.id !== message.id);
      const at = detail.messages.findIndex((m) => m.id === message.id);
      detail = { ...detail, messages: at < 0 ? [...others, message] : detail.messages.map((m) => (m.id === message.id ? message : m)) };
      renderMessages(detail, at < 0);
    }
    afterChange(id);
  }

  const CLOSE_REASONS: Record<string, string> = { merge: 'contacts merged', superseded: 'another conversation was opened', deleted_in_chatwoot: 'deleted in Chatwoot' };
  /** The line under an earlier conversation: how it ended. */
  const closedLine = (c: EarlierConversation) => {
    if (c.status === 'open') return `Opened ${shortTime(c.openedAt)}`;
    const what = c.category ? `Closed · ${c.category}` : 'Closed';
    const why = c.closeReason ? CLOSE_REASONS[c.closeReason] ?? c.closeReason : null;
    return [what, why, c.summary, shortTime(c.closedAt)].filter(Boolean).join(' — ');
  };
  const divider = (testid: string, text: string) => h('li', { class: 'cycle', 'data-testid': testid }, h('span', { text }));

  const authorLabel = (m: Message) => {
    if (m.author.type === 'contact') return detail ? contactName(detail.contact) : 'Contact';
    // Which workflow wrote it, as Chatwoot names the bot (older messages of a deleted workflow have no name).
    if (m.author.type === 'workflow') return m.author.name ? `Workflow: ${m.author.name}` : 'Workflow';
    return userName(m.author.id);
  };

  /** The name in an author's label (for isolating it); the workflow's when it has one. */
  const authorName = (m: Message) => (m.author.type === 'workflow' ? m.author.name ?? '' : authorLabel(m));

  function renderMessages(current: ConversationDetail, scroll: boolean) {
    const messages = current.messages;
    const earlier = current.history?.conversations ?? [];
    // Delivery statuses change without new messages (Meta's status webhooks): part of the key. So
    // does the last one's time: a workflow's activity line is replaced in place (same id, new time).
    const key = `${current.id}:${messages.length}:${messages.at(-1)?.id ?? ''}@${messages.at(-1)?.createdAt ?? ''}:${messages.map((m) => m.delivery?.status ?? '').join('')}`
      + `|${earlier.map((c) => `${c.id}:${c.status}:${c.messages.length}:${c.messages.at(-1)?.id ?? ''}`).join(',')}`;
    if (key === renderedKey) return;
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    renderedKey = key;
    const items: HTMLLIElement[] = [];
    let day = '';
    const deliveryOptions = {
      conversationId: current.id, canReply: current.status === 'open',
      onResent: (message: Message) => added(current.id, message), onError: (err: unknown) => showError(err, current.id),
    };
    const add = (m: Message, fromEarlier: boolean) => {
      const d = new Date(m.createdAt).toDateString();
      if (d !== day) {
        day = d;
        items.push(h('li', { class: 'day', 'aria-hidden': 'true' }, h('span', { text: dayFmt.format(new Date(m.createdAt)) })));
      }
      if (m.kind === 'activity') {
        items.push(activityItem(m, fromEarlier));
        return;
      }
      const note = m.kind === 'comment';
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
        isPlaceholderText(m) ? null : h('p', { class: 'msg-text', dir: 'auto', 'data-testid': 'message-text', text: m.text })),
      h('div', { class: 'msg-meta' },
        h('span', { class: 'msg-author', 'data-testid': 'message-author' }, isolated(authorLabel(m), [authorName(m)])),
        h('time', { datetime: m.createdAt, title: fullTime(m.createdAt), text: shortTime(m.createdAt) }),
        fromEarlier ? deliveryBadge(m, { ...deliveryOptions, canReply: false }) : deliveryBadge(m, deliveryOptions))));
    };
    // What came before (each open→close period is a conversation of its own): oldest first,
    // each followed by how it ended, then where this conversation starts.
    if (current.history?.truncated) items.push(h('li', { class: 'empty history-more', text: 'Older messages of this contact are not shown.' }));
    for (const c of earlier) {
      for (const m of c.messages) add(m, true);
      items.push(divider('history-divider', closedLine(c)));
    }
    if (earlier.length) items.push(divider('conversation-start', `This conversation opened ${shortTime(current.openedAt)}`));
    for (const m of messages) add(m, false);
    if (!messages.length) items.push(h('li', { class: 'empty', text: earlier.length ? 'No messages in this conversation yet.' : 'No messages yet.' }));
    list.replaceChildren(...items);
    if (scroll || nearBottom) list.scrollTop = list.scrollHeight;
  }

  function renderHead(c: ConversationDetail) {
    const open = c.status === 'open';
    heading.textContent = contactName(c.contact);
    const status = $('[data-testid="conversation-status"]');
    const why = !open && c.closeReason ? CLOSE_REASONS[c.closeReason] : undefined;
    status.replaceChildren(...(open ? ['Open'] : ['Closed', ...(c.category ? [' · ', h('bdi', { text: c.category })] : []), why ? ` — ${why}` : '']));
    status.className = `status ${c.status}`;
    const assigned = c.assigneeId ? ['Assigned to ', h('bdi', { text: userName(c.assigneeId) })] : ['Unassigned'];
    $('[data-testid="conversation-meta"]').replaceChildren(open ? `Opened ${shortTime(c.openedAt)}` : `Closed ${shortTime(c.closedAt)}`, ' · ', ...assigned);
    closeButton.hidden = !open;
    // Deleted in Chatwoot: the API refuses a reopen (409); a new conversation starts there.
    reopenButton.hidden = open || deletedThere(c);
    assign.render(c);
    inboxBadge.render(c);
    adBadge.render(c);
  }

  /** Shows a conversation (or refreshes the one shown); `switched` resets per-conversation state. */
  function show(next: ConversationDetail, { switched = false } = {}) {
    if (switched || detail?.id !== next.id) {
      renderedKey = '';
      setNoteMode(false);
      takeOverStatus.hidden = true;
    }
    const first = detail?.id !== next.id;
    detail = next;
    input.placeholder = composerHint(next, noteMode);
    placeholder.hidden = true;
    root.hidden = false;
    root.dataset.conversationId = next.id;
    renderHead(next);
    renderMessages(next, first);
    channel = next.status === 'open' ? next.channel ?? null : null;
    renderWindow();
    renderAwaiting(next);
    renderClosed(next);
    announcer.update(next.id, next.messages, authorLabel, (m) => m.author.type === 'user' && m.author.id === me()?.user.id);
    if (focusComposerOnShow && next.status === 'open') {
      focusComposerOnShow = false;
      input.focus();
    }
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

  function renderAwaiting(next: ConversationDetail) {
    clearTimeout(awaitingTimer);
    const awaiting = next.status === 'open' ? next.awaitingAnswer ?? null : null;
    // Past its time the question has timed out, whether or not a refresh said so yet.
    const left = awaiting ? Date.parse(awaiting.until) - Date.now() : 0;
    const live = awaiting !== null && left > 0;
    awaitingNotice.hidden = !live;
    awaitingRunId = live ? awaiting.runId : null;
    if (!live) return;
    awaitingText.replaceChildren(...isolated(awaitingAnswerText(awaiting)));
    // It goes at its time on its own: the run wakes for the timeout only when the engine gets to it.
    awaitingTimer = setTimeout(() => { if (detail?.id === next.id) renderAwaiting(next); }, Math.min(left + 50, 2 ** 31 - 1));
  }

  /** Marks the conversation as the open one before its detail arrives (the extension reads the id). */
  function select(id: string) {
    if (detail?.id === id) return;
    root.dataset.conversationId = id;
    if (detail) {
      drafts.set(detail.id, input.value);
      detail = null;
      renderedKey = '';
      awaitingNotice.hidden = true;
      list.replaceChildren(h('li', { class: 'empty', text: 'Loading…' }));
    }
    input.value = drafts.get(id) ?? '';
  }

  function clear() {
    detail = null;
    channel = null;
    awaitingNotice.hidden = true;
    renderedKey = '';
    root.hidden = true;
    placeholder.hidden = false;
    delete root.dataset.conversationId;
  }

  async function send() {
    const text = input.value.trim();
    if (!detail || !text || sending) return;
    sending = true;
    sendButton.disabled = true;
    const id = detail.id;
    try {
      const message = await Api.send(id, text, noteMode ? 'comment' : 'message');
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
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
  });
  noteToggle.addEventListener('click', () => { setNoteMode(!noteMode); input.focus(); });
  templateButton.addEventListener('click', () => { if (detail) templatePicker.open(detail.id); });

  closeButton.addEventListener('click', () => {
    const options = [h('option', { value: '', text: categories.length ? 'Choose a category…' : 'No category' })];
    for (const c of categories) options.push(h('option', { value: c, text: c }));
    categorySelect.replaceChildren(...options);
    summary.value = '';
    dialogError.hidden = true;
    const warning = closeWarning(detail?.status === 'open' ? detail.awaitingAnswers ?? [] : []);
    closeWarningText.replaceChildren(...isolated(warning ?? ''));
    closeWarningText.hidden = !warning;
    dialog.showModal();
    categorySelect.focus();
  });
  $('[data-testid="close-cancel"]').addEventListener('click', () => dialog.close());
  dialog.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!detail) return;
    const id = detail.id;
    const body: zc.input<typeof CloseConversationBody> = {};
    if (categorySelect.value) body.category = categorySelect.value;
    if (summary.value.trim()) body.summary = summary.value.trim();
    try {
      await Api.close(id, body);
      dialog.close();
      // Close gives way to Reopen: the focus goes to the conversation's heading, not lost to the page.
      heading.focus();
      afterChange(id);
    } catch (err) {
      dialogError.textContent = err instanceof ApiError ? err.message : String(err);
      dialogError.hidden = false;
    }
  });

  async function reopen() {
    if (!detail) return;
    const { contactId, id } = detail;
    const elsewhere = goesOnIn(detail);
    focusComposerOnShow = true;
    if (elsewhere) return navigate(elsewhere, 'open');
    try {
      const opened = await Api.open(contactId);
      navigate(opened.id, 'open');
    } catch (err) {
      // Someone (or a workflow) already opened one for this contact: go there.
      if (err instanceof ApiError && err.status === 409) {
        const existing = await Api.conversationsOf(contactId, 'open').catch(() => null);
        const target = existing?.conversations[0];
        if (target) return navigate(target.id, 'open');
      }
      focusComposerOnShow = false;
      showError(err, id);
    }
  }
  reopenButton.addEventListener('click', () => void reopen());
  closedAction.addEventListener('click', () => void reopen());

  // Chatwoot's bot handoff: the agent answers; the workflow's question stops waiting.
  takeOverButton.addEventListener('click', async () => {
    if (!detail || !awaitingRunId) return;
    const id = detail.id;
    takeOverButton.disabled = true;
    try {
      const result = await Api.takeOver(id, awaitingRunId);
      if (detail?.id === id) {
        // Until the refresh: the Close dialog no longer names the workflow just stopped.
        detail = { ...detail, awaitingAnswer: result.awaitingAnswer, awaitingAnswers: (detail.awaitingAnswers ?? []).filter((a) => a.runId !== result.stoppedRunId) };
        renderAwaiting(detail);
        takeOverStatus.textContent = takeOverNote(result.assignment, userName);
        takeOverStatus.hidden = false;
      }
      afterChange(id);
      input.focus();
    } catch (err) {
      showError(err, id);
    } finally {
      takeOverButton.disabled = false;
    }
  });

  return {
    show, select, clear,
    get currentId() { return root.dataset.conversationId ?? null; },
    setCategories(next) { categories = next; },
    setContact(contact) {
      if (detail?.contactId !== contact.id) return;
      detail = { ...detail, contact };
      renderHead(detail);
    },
    rerenderNames() { if (detail) { renderedKey = ''; renderHead(detail); renderMessages(detail, false); } },
  };
}
