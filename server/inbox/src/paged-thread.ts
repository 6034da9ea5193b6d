import { Api } from './api.js';
import { createThread, type Thread, type ThreadOptions } from './thread.js';
import { nextLoad, refreshPages, showsEarlier, startPages, withBefore, withMessage, withPage, type NextLoad, type ThreadPages } from './thread-pages.js';
import type { ConversationDetail, Message } from './wire.js';

// The thread of the conversation shown and what of it the page holds (thread-pages.ts): the
// latest page as the conversation read gives it, older pages as the agent asks for them.

export interface PagedThread {
  readonly thread: Thread;
  /** The conversation read (opened: `first`, or a refresh, joined to the older pages shown). */
  show(detail: ConversationDetail, first: boolean): void;
  /** A message this page sent or resent, shown at once. */
  added(detail: ConversationDetail, message: Message): void;
  /** Drawn again as it is (renamed teammates). */
  redraw(detail: ConversationDetail): void;
  clear(): void;
  /** Whether reading conversation `id` should bring the contact's earlier conversations (`?history=true`): once they show. */
  wantsHistory(id: string): boolean;
}

const sameLoad = (a: NextLoad | null, b: NextLoad) => JSON.stringify(a) === JSON.stringify(b);

/** `shown`: the conversation on screen now (a result for another one is dropped). */
export function createPagedThread(list: HTMLElement, options: Omit<ThreadOptions, 'onLoadOlder'>, shown: () => ConversationDetail | null): PagedThread {
  let pages: ThreadPages | null = null;
  let loadingOlder = false;
  const thread = createThread(list, { ...options, onLoadOlder: () => void loadOlder() });

  /**
   * "Load older messages": the page before the oldest shown of this conversation; from its start,
   * of the earlier conversations above it, then what came before those. A result that arrives
   * after the agent moved on (another conversation, a refresh that started the thread over) is dropped.
   */
  async function loadOlder() {
    const step = pages && nextLoad(pages);
    if (!pages || !step || loadingOlder) return;
    const id = pages.conversationId;
    const stillNext = (p: ThreadPages | null): p is ThreadPages => p?.conversationId === id && sameLoad(nextLoad(p), step);
    loadingOlder = true;
    thread.setLoadingOlder(true);
    try {
      if (step.kind === 'page') {
        const page = await Api.messages(step.conversationId, step.cursor);
        if (stillNext(pages)) pages = withPage(pages, step.conversationId, page);
      } else {
        // `history`: the earlier conversations, not read yet; `before`: those before the oldest shown (its own history).
        const read = await Api.conversation(step.kind === 'history' ? id : step.conversationId, true);
        if (stillNext(pages)) pages = step.kind === 'history' ? refreshPages(pages, read) : withBefore(pages, read);
      }
    } catch (err) {
      options.showError(err, id);
    } finally {
      loadingOlder = false;
      thread.setLoadingOlder(false);
    }
    const detail = shown();
    if (detail?.id === id && pages?.conversationId === id) thread.render(detail, pages, 'older');
  }

  return {
    thread,
    show(detail, first) {
      pages = first || !pages ? startPages(detail) : refreshPages(pages, detail);
      thread.render(detail, pages, first ? 'end' : 'stay');
    },
    added(detail, message) {
      if (pages?.conversationId !== detail.id) return;
      const isNew = !pages.current.messages.some((m) => m.id === message.id);
      pages = withMessage(pages, message);
      thread.render(detail, pages, isNew ? 'end' : 'stay');
    },
    redraw(detail) {
      if (pages?.conversationId !== detail.id) return;
      thread.invalidate();
      thread.render(detail, pages, 'stay');
    },
    clear() { pages = null; },
    wantsHistory: (id) => !pages || pages.conversationId !== id || showsEarlier(pages),
  };
}
