// Where the launcher lives in an inbox page. The built-in inbox marks its composer toolbar with
// `data-composer-toolbar` and the open conversation with `data-conversation-id`; other inboxes
// can be taught the same by giving these functions other selectors.

export interface InboxSelectors {
  toolbar: string;
  conversation: string;
  composerInput: string;
}

export const BUILT_IN_INBOX: InboxSelectors = {
  toolbar: '[data-composer-toolbar]',
  conversation: '[data-conversation-id]',
  composerInput: 'textarea',
};

export interface InboxState {
  toolbar: HTMLElement | null;
  conversationId: string | null;
}

export function findToolbar(doc: Document, s: InboxSelectors = BUILT_IN_INBOX): HTMLElement | null {
  return doc.querySelector<HTMLElement>(s.toolbar);
}

/**
 * The conversation the composer writes to: the marked ancestor of the toolbar when there is
 * one (an inbox may list other conversations with the same attribute), else the first marked one.
 */
export function currentConversationId(doc: Document, s: InboxSelectors = BUILT_IN_INBOX): string | null {
  const toolbar = findToolbar(doc, s);
  const owner = toolbar?.closest<HTMLElement>(s.conversation) ?? doc.querySelector<HTMLElement>(s.conversation);
  const id = owner?.getAttribute(attributeOf(s.conversation))?.trim();
  return id ? id : null;
}

/** The composer's text box near the toolbar, where focus goes back when the menu closes. */
export function composerInput(doc: Document, s: InboxSelectors = BUILT_IN_INBOX): HTMLElement | null {
  let scope: Element | null = findToolbar(doc, s);
  while (scope) {
    const input = scope.querySelector<HTMLElement>(s.composerInput);
    if (input) return input;
    scope = scope.parentElement;
  }
  return null;
}

export function readInbox(doc: Document, s: InboxSelectors = BUILT_IN_INBOX): InboxState {
  return { toolbar: findToolbar(doc, s), conversationId: currentConversationId(doc, s) };
}

/**
 * Calls `listener` with the current state, then whenever the toolbar element is replaced
 * (re-render) or the open conversation changes. Stops when `signal` aborts.
 */
export function watchInbox(
  doc: Document,
  listener: (state: InboxState, previous: InboxState | null) => void,
  options: { signal?: AbortSignal; selectors?: InboxSelectors } = {},
): () => void {
  const s = options.selectors ?? BUILT_IN_INBOX;
  let last: InboxState | null = null;
  const check = () => {
    const next = readInbox(doc, s);
    if (last && next.toolbar === last.toolbar && next.conversationId === last.conversationId) return;
    const previous = last;
    last = next;
    listener(next, previous);
  };
  const observer = new MutationObserver(check);
  observer.observe(doc.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: [attributeOf(s.conversation), attributeOf(s.toolbar)],
  });
  const stop = () => observer.disconnect();
  options.signal?.addEventListener('abort', stop, { once: true });
  check();
  return stop;
}

/** `[data-conversation-id]` -> `data-conversation-id`. */
function attributeOf(selector: string): string {
  return /\[([^\]=~|^$*]+)/.exec(selector)?.[1] ?? selector;
}
