import { useLayoutEffect, useState, type CSSProperties, type RefObject } from 'react';
import { onLayoutChange } from './on-layout-change';

const GAP = 8;
/** About a two-line toast's height. */
const ROOM = 96;

/**
 * The composer the launcher sits in: the nearest ancestor of its shadow host that holds the text
 * box (a textarea or an editable element). Everything the inbox shows in it (the built-in inbox's
 * "Workflow … is waiting" line, Chatwoot's reply banners) is part of its box.
 */
function composerOf(button: HTMLElement): Element | null {
  let node: Element | null = (button.getRootNode() as ShadowRoot).host ?? null;
  for (let depth = 0; node && depth < 6; depth++, node = node.parentElement) {
    if (node.querySelector('textarea, [contenteditable="true"], [contenteditable=""]')) return node;
  }
  return null;
}

/** Its top edge, when it is composer-sized. */
function composerTop(composer: Element | null): number | null {
  const r = composer?.getBoundingClientRect();
  return r && r.height > 0 && r.height < window.innerHeight / 2 ? r.top : null;
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
  /** The panel's own placement (up or down): the toast is placed again once the panel has moved. */
  panelPlacement?: CSSProperties,
): CSSProperties | undefined {
  const [style, setStyle] = useState<CSSProperties | undefined>();

  useLayoutEffect(() => {
    if (!active) return;
    const composer = button.current ? composerOf(button.current) : null;
    const place = () => {
      const b = button.current?.getBoundingClientRect();
      if (!b || (b.width === 0 && b.height === 0)) return setStyle(undefined);
      const p = panelOpen ? panel.current?.getBoundingClientRect() : undefined;
      const panelBox = p && p.height > 0 ? p : undefined;
      const top = Math.min(b.top, composerTop(composer) ?? b.top, panelBox && panelBox.top < b.top ? panelBox.top : b.top);
      const left = Math.max(GAP, Math.min(b.left, window.innerWidth - 360 - GAP));
      // No room above (the launcher at the top of its page: the Dashboard App, a panel opened
      // downwards): below the button and its panel instead, never over the button itself.
      if (top < ROOM) {
        const bottom = Math.max(b.bottom, panelBox && panelBox.top >= b.top ? panelBox.bottom : b.bottom);
        return setStyle({ left, right: 'auto', bottom: 'auto', top: Math.min(bottom + GAP, window.innerHeight - ROOM) });
      }
      setStyle({ left, right: 'auto', top: 'auto', bottom: Math.min(Math.max(GAP, window.innerHeight - top + GAP), window.innerHeight - ROOM) });
    };
    place();
    const undo = onLayoutChange(place);
    // A composer grows upwards when the inbox shows a notice in it after the launch (a workflow's
    // question now waits on the customer) or the agent types more lines; the panel grows upwards
    // when the menu gives way to a taller form. The toast moves with either.
    const watched = [composer, panelOpen ? panel.current : null].filter((el): el is Element => el !== null);
    const grows = watched.length > 0 && typeof ResizeObserver === 'function' ? new ResizeObserver(place) : null;
    for (const el of watched) grows?.observe(el);
    return () => {
      undo();
      grows?.disconnect();
    };
  }, [active, button, panel, panelOpen, panelPlacement]);

  return active ? style : undefined;
}
