import { useLayoutEffect, useState, type CSSProperties, type RefObject } from 'react';
import { onLayoutChange } from './on-layout-change';

const GAP = 8;
const OFFSET = 6;
const TALLEST = 420;

/**
 * Which way the panel opens from the launcher, and how tall it may be. Up, over the thread, as
 * inboxes put the composer at the bottom; down when the button sits high on the page (a short
 * layout, a composer docked at the top) and there is more room below. Either way the panel stays
 * on screen, its list scrolling. A panel laid out by its page (the Dashboard App's, static) is left as it is.
 * Sideways too: on a phone-wide inbox (320 px) the panel would hang past an edge, its labels cut off.
 */
export function usePanelPlacement(open: boolean, button: RefObject<HTMLElement | null>, panel: RefObject<HTMLElement | null>): CSSProperties | undefined {
  const [style, setStyle] = useState<CSSProperties | undefined>();
  useLayoutEffect(() => {
    if (!open) return setStyle(undefined);
    const place = () => {
      const b = button.current?.getBoundingClientRect();
      const p = panel.current;
      if (!b || !p || getComputedStyle(p).position === 'static') return setStyle(undefined);
      const above = b.top - OFFSET - GAP;
      const below = window.innerHeight - b.bottom - OFFSET - GAP;
      const vertical: CSSProperties = above >= TALLEST || above >= below
        ? { maxHeight: Math.max(120, Math.min(TALLEST, above)) }
        : { top: `calc(100% + ${OFFSET}px)`, bottom: 'auto', maxHeight: Math.min(TALLEST, below) };
      setStyle({ ...vertical, ...sideways(p) });
    };
    place();
    return onLayoutChange(place);
  }, [open, button, panel]);
  return style;
}

/**
 * The panel's left within its launcher such that it stays GAP inside the window (its CSS width is
 * at most the window's less 2 × GAP). Nothing for a panel anchored on its right (the floating button's).
 */
function sideways(panel: HTMLElement): CSSProperties {
  const root = panel.getRootNode();
  const box = panel.offsetParent?.getBoundingClientRect();
  if (!box || (root instanceof ShadowRoot && root.host.classList.contains('ic-floating'))) return {};
  // In the page's coordinates: the panel hanging out may already have scrolled the page sideways.
  const from = box.left + window.scrollX;
  const width = Math.min(panel.offsetWidth, window.innerWidth - 2 * GAP);
  const left = Math.max(GAP - from, Math.min(0, window.innerWidth - GAP - width - from));
  return left === 0 ? {} : { left };
}
