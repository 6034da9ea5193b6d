import type { PageAdapter } from './types';

// The companion's own inbox (server/inbox) marks its composer toolbar with
// `data-composer-toolbar`, the open conversation with `data-conversation-id` and, while someone
// is signed in, its shell with `data-signed-in-user-id` / `-name` (server/inbox/src/app.ts).
const TOOLBAR = '[data-composer-toolbar]';
const CONVERSATION = '[data-conversation-id]';
const SIGNED_IN = '[data-signed-in-user-id]';

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
  /**
   * Written by the page itself from its own GET /me: only a script of this origin can set it (a
   * frame or window of another origin cannot reach this document), and this origin is the server's.
   */
  signedInUser(doc) {
    const shell = doc.querySelector<HTMLElement>(SIGNED_IN);
    const id = shell?.dataset.signedInUserId?.trim();
    return id ? { id, name: shell!.dataset.signedInUserName?.trim() || undefined } : null;
  },
};
