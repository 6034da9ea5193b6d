import { moved, without } from './rows';

interface Props<T> {
  /** "field 2": what the buttons name, for screen readers and tests. */
  what: string;
  list: readonly T[];
  index: number;
  onChange(list: T[]): void;
  /** Called instead of removing at once, e.g. to keep what pointed at the row. */
  onRemove?(): void;
}

/** Move up, move down, remove: buttons, so the order changes from the keyboard too. */
export function RowTools<T>({ what, list, index, onChange, onRemove }: Props<T>) {
  return (
    <span className="row-tools">
      <button type="button" className="icon-button" aria-label={`Move ${what} up`} disabled={index === 0} onClick={() => onChange(moved(list, index, -1))}>↑</button>
      <button type="button" className="icon-button" aria-label={`Move ${what} down`} disabled={index === list.length - 1} onClick={() => onChange(moved(list, index, 1))}>↓</button>
      <button type="button" className="icon-button danger" aria-label={`Remove ${what}`} onClick={() => (onRemove ? onRemove() : onChange(without(list, index)))}>✕</button>
    </span>
  );
}
