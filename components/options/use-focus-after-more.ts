import { useEffect, useRef } from 'react';

/**
 * "Load more" takes the keyboard to the first row it added, where reading goes on (WCAG 2.4.3):
 * the button is gone after the last page, and focus would fall back to the page's top. The row is
 * found by key, not by place, because a live list (the run history) may add rows above meanwhile.
 *
 * `keys` are the rows shown, in order; `focusRow(index)` focuses the row at that index. Call the
 * returned function when "Load more" is pressed.
 */
export function useFocusAfterMore(keys: readonly string[], focusRow: (index: number) => void) {
  const after = useRef<string | null>(null);
  useEffect(() => {
    const last = after.current;
    if (last === null) return;
    const at = keys.indexOf(last);
    // The last row shown went away (deleted meanwhile): there is no "first new row" to go to.
    if (at === -1) { after.current = null; return; }
    if (at + 1 >= keys.length) return;
    after.current = null;
    focusRow(at + 1);
  });
  return () => { after.current = keys.at(-1) ?? null; };
}
