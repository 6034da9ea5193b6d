import type { QueryKey } from '@tanstack/react-query';
import { useFocusAfterMore } from './use-focus-after-more';

interface Props {
  /** The list's useInfiniteQuery. */
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage(): Promise<unknown> };
  /** The list's query key: a press is over once another filter or search shows. */
  queryKey: QueryKey;
  /** The rows shown, in order, by key. */
  keys: readonly string[];
  /** Focuses the row at this index (once the page it is on has come). */
  focusRow(index: number): void;
  /** "Load more workflows". */
  label: string;
}

/**
 * The button under a paged list: the next page, then the keyboard on the first row it added
 * (use-focus-after-more.ts). Rendered while the list shows, also after its last page: the focus
 * moves once the button is gone.
 */
export function LoadMoreButton({ list, queryKey, keys, focusRow, label }: Props) {
  const focusNewRow = useFocusAfterMore(keys, queryKey, focusRow);
  if (!list.hasNextPage) return null;
  const more = () => { if (!list.isFetchingNextPage) focusNewRow(list.fetchNextPage()); };
  return (
    // aria-disabled, not disabled: a disabled button drops the keyboard's focus while it loads.
    <p><button type="button" onClick={more} aria-disabled={list.isFetchingNextPage}>
      {list.isFetchingNextPage ? 'Loading…' : label}
    </button></p>
  );
}
