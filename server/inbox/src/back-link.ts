import { $ } from './dom.js';

/**
 * "‹ Conversations", shown on a narrow screen where the thread replaces the list: back to the
 * list as any page change goes (app.ts's popstate listener), the focus on the row just left.
 */
export function wireBackLink(): void {
  const link = $<HTMLAnchorElement>('[data-testid="back-to-list"]');
  link.addEventListener('click', (event) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    const left = $('[data-testid="conversation"]').dataset.conversationId;
    // The list's search and filters come back with it.
    history.pushState(null, '', `/inbox/${location.search}`);
    dispatchEvent(new PopStateEvent('popstate'));
    const row = [...document.querySelectorAll<HTMLElement>('[data-testid="conversation-item"]')].find((li) => li.dataset.id === left);
    (row?.querySelector('a') ?? $('[data-testid="conversation-search"]')).focus();
  });
}
