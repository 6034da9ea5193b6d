import { useLayoutEffect, useState, type CSSProperties, type RefObject } from 'react';

const GAP = 8;

/**
 * The top edge of the composer the launcher sits in: the nearest ancestor of its shadow host that
 * holds the text box (a textarea or an editable element), when that ancestor is composer-sized.
 */
function composerTop(button: HTMLElement): number | null {
  let node: Element | null = (button.getRootNode() as ShadowRoot).host ?? null;
  for (let depth = 0; node && depth < 6; depth++, node = node.parentElement) {
    if (!node.querySelector('textarea, [contenteditable="true"], [contenteditable=""]')) continue;
    const r = node.getBoundingClientRect();
    return r.height > 0 && r.height < window.innerHeight / 2 ? r.top : null;
  }
  return null;
}

/**
 * Where the toast goes: just above the composer (and above the launcher's panel while one is
 * open), starting at the launcher's left edge. A fixed bottom-right corner sat on the composer's
 * Send button in most inboxes; above the composer nothing the agent types in or clicks is covered.
 */
export function useToastPlacement(
  active: boolean,
  button: RefObject<HTMLElement | null>,
  panel: RefObject<HTMLElement | null>,
  panelOpen: boolean,
): CSSProperties | undefined {
  const [style, setStyle] = useState<CSSProperties | undefined>();

  useLayoutEffect(() => {
    if (!active) return;
    const place = () => {
      const b = button.current?.getBoundingClientRect();
      if (!b || (b.width === 0 && b.height === 0)) return setStyle(undefined);
      const p = panelOpen ? panel.current?.getBoundingClientRect() : undefined;
      const top = Math.min(b.top, composerTop(button.current!) ?? b.top, p && p.height > 0 ? p.top : b.top);
      const left = Math.max(GAP, Math.min(b.left, window.innerWidth - 360 - GAP));
      setStyle({ left, right: 'auto', top: 'auto', bottom: Math.min(Math.max(GAP, window.innerHeight - top + GAP), window.innerHeight - 96) });
    };
    place();
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, true);
    return () => {
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place, true);
    };
  }, [active, button, panel, panelOpen]);

  return active ? style : undefined;
}
