import { sameRef, type ConversationRef, type PageAdapter } from './types';

export interface PageState {
  ref: ConversationRef | null;
  anchor: HTMLElement | null;
}

export interface WatchOptions {
  signal?: AbortSignal;
  /** Last-resort URL check for route changes no event announces. */
  pollMs?: number;
}

type NavigationLike = EventTarget;

/**
 * Calls `listener` with the page's state now, then whenever the anchor element is replaced
 * (re-render), the open conversation changes, or a single-page app changes its route
 * (history API: `navigation` events where the browser has them, popstate, DOM changes, polling).
 * Everything stops when `signal` aborts.
 */
export function watchPage(
  adapter: PageAdapter,
  win: Window,
  listener: (state: PageState, previous: PageState | null) => void,
  options: WatchOptions = {},
): () => void {
  const doc = win.document;
  let last: PageState | null = null;
  let stopped = false;
  const check = () => {
    if (stopped) return;
    const url = new URL(win.location.href);
    const next: PageState = { ref: adapter.conversationRef(doc, url), anchor: adapter.toolbarAnchor(doc) };
    if (last && next.anchor === last.anchor && sameRef(next.ref, last.ref)) return;
    const previous = last;
    last = next;
    listener(next, previous);
  };

  const observer = new MutationObserver(check);
  observer.observe(doc.documentElement, {
    subtree: true,
    childList: true,
    // The built-in inbox switches conversations by attribute; Chatwoot re-renders (childList).
    attributes: true,
    attributeFilter: ['data-conversation-id', 'data-composer-toolbar'],
  });
  const events = new AbortController();
  win.addEventListener('popstate', check, { signal: events.signal });
  win.addEventListener('hashchange', check, { signal: events.signal });
  // Route changes by history.pushState happen in the page's world, invisible to a content
  // script's listeners except through the Navigation API (Chrome 102+).
  const navigation = (win as Window & { navigation?: NavigationLike }).navigation;
  navigation?.addEventListener('currententrychange', check, { signal: events.signal });
  const timer = win.setInterval(check, options.pollMs ?? 500);

  const stop = () => {
    stopped = true;
    observer.disconnect();
    events.abort();
    win.clearInterval(timer);
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  check();
  return stop;
}
