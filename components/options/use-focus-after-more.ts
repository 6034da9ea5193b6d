import { useEffect, useRef } from 'react';
import { hashKey, type QueryKey } from '@tanstack/react-query';

/** A press of "Load more": the rows after `after`, in the list `list` (its query key, hashed). */
interface Press { after: string; list: string; settled: boolean }

/**
 * "Load more" takes the keyboard to the first row it added, where reading goes on (WCAG 2.4.3):
 * the button is gone after the last page, and focus would fall back to the page's top. The row is
 * found by key, not by place, because a live list (the run history) may add rows above meanwhile.
 *
 * Only for the press that asked (WCAG 3.2.2): a press whose page failed or came empty, or that
 * another filter or search overtook (`queryKey` changed), is over. It moved the focus before from
 * a filter just chosen to a row of the new list.
 *
 * `keys` are the rows shown, in order; `focusRow(index)` focuses the row at that index. Call the
 * returned function with the `fetchNextPage()` promise when "Load more" is pressed.
 */
export function useFocusAfterMore(keys: readonly string[], queryKey: QueryKey, focusRow: (index: number) => void) {
  const press = useRef<Press | null>(null);
  const list = hashKey(queryKey);
  useEffect(() => {
    const p = press.current;
    if (!p) return;
    const at = keys.indexOf(p.after);
    // Another list, or its last row went away (deleted meanwhile): there is no "first new row".
    if (p.list !== list || at === -1) { press.current = null; return; }
    if (at + 1 < keys.length) {
      press.current = null;
      focusRow(at + 1);
      return;
    }
    // Its page failed or came empty. (The list's render with the page comes after the promise
    // settles: react-query tells its observers in a later task.)
    if (p.settled) press.current = null;
  });
  return (fetching: Promise<unknown>) => {
    const last = keys.at(-1);
    if (last === undefined) return;
    const p: Press = { after: last, list, settled: false };
    press.current = p;
    const settle = () => { p.settled = true; };
    void fetching.then(settle, settle);
  };
}
