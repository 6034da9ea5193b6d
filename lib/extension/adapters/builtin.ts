import type { PageAdapter } from './types';

// The companion's own inbox (server/inbox) marks its composer toolbar with
// `data-composer-toolbar` and the open conversation with `data-conversation-id`.
const TOOLBAR = '[data-composer-toolbar]';
const CONVERSATION = '[data-conversation-id]';

function toolbarAnchor(doc: Document): HTMLElement | null {
  return doc.querySelector<HTMLElement>(TOOLBAR);
}

export const builtinAdapter: PageAdapter = {
  kind: 'builtin',
  label: 'Built-in inbox',
  matches: (url) => url.pathname === '/inbox' || url.pathname.startsWith('/inbox/'),
  /**
   * The conversation the composer writes to: the marked ancestor of the toolbar when there is
   * one (the list marks its rows with the same attribute), else the first marked one.
   */
  conversationRef(doc) {
    const owner = toolbarAnchor(doc)?.closest<HTMLElement>(CONVERSATION) ?? doc.querySelector<HTMLElement>(CONVERSATION);
    const id = owner?.getAttribute('data-conversation-id')?.trim();
    return id ? { conversationId: id } : null;
  },
  toolbarAnchor,
  /** The composer's text box nearest the toolbar. */
  focusTarget(doc) {
    let scope: Element | null = toolbarAnchor(doc);
    while (scope) {
      const input = scope.querySelector<HTMLElement>('textarea');
      if (input) return input;
      scope = scope.parentElement;
    }
    return null;
  },
  // Our own markup is tested with the inbox; the list view has rows marked but no composer.
  floatWhenAnchorMissing: false,
  resolvesThroughServer: false,
};
