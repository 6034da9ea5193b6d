/** `list` with the element at `index` moved one place up (-1) or down (1). */
export function moved<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const next = [...list];
  const [row] = next.splice(index, 1);
  if (row !== undefined) next.splice(index + delta, 0, row);
  return next;
}

/** `list` with the element at `index` replaced. */
export const replaced = <T>(list: readonly T[], index: number, row: T): T[] => list.map((old, i) => (i === index ? row : old));

/** `list` without the element at `index`. */
export const without = <T>(list: readonly T[], index: number): T[] => list.filter((_, i) => i !== index);
