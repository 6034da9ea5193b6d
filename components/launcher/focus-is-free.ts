/**
 * Whether the focus is nowhere in particular (it fell to the page when the form it was in went
 * away) or still in the launcher: then a form coming back may take it without pulling the agent
 * out of what they went on to do.
 */
export function focusIsFree(panel: HTMLElement | null): boolean {
  const active = document.activeElement;
  if (!active || active === document.body) return true;
  const root = panel?.getRootNode();
  // In the content script the launcher lives in a shadow root: the page sees its host focused.
  if (root instanceof ShadowRoot) return active === root.host;
  return !!panel?.parentElement?.contains(active);
}
