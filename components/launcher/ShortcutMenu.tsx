import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ShortcutSummary } from '../../lib/contracts/shortcuts';
import { filterShortcuts } from './filter';
import { LAUNCHER_CLICK_MARK, MENU_RENDERED_MARK } from './types';

/** Rows rendered at first; more are added as the list scrolls or the arrows go past them. */
export const PAGE = 20;

interface Props {
  shortcuts: readonly ShortcutSummary[];
  offline: boolean;
  onPick(shortcut: ShortcutSummary): void;
  onClose(): void;
  /** Whether the agent left a half-filled form of this shortcut in this conversation (kept, see drafts.ts). */
  hasDraft?(shortcutId: string): boolean;
}

/** The filterable list of shortcuts: a combobox whose input keeps focus while arrows move. */
export function ShortcutMenu({ shortcuts, offline, onPick, onClose, hasDraft }: Props) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [limit, setLimit] = useState(PAGE);
  const listRef = useRef<HTMLUListElement>(null);
  const keyboardMoved = useRef(false);
  const matching = useMemo(() => filterShortcuts(shortcuts, query), [shortcuts, query]);
  const current = Math.min(active, Math.max(matching.length - 1, 0));
  // Hundreds of rows would cost more than a frame to lay out; nobody reads past a screenful.
  const visible = matching.slice(0, Math.max(limit, current + 1));
  const optionId = (i: number) => `${id}-o${i}`;

  useLayoutEffect(() => {
    performance.mark(MENU_RENDERED_MARK);
    if (performance.getEntriesByName(LAUNCHER_CLICK_MARK, 'mark').length > 0) {
      performance.measure('ic:menu-open', LAUNCHER_CLICK_MARK, MENU_RENDERED_MARK);
      performance.clearMarks(LAUNCHER_CLICK_MARK);
    }
  }, []);

  useLayoutEffect(() => {
    if (!keyboardMoved.current) return;
    keyboardMoved.current = false;
    const el = listRef.current?.children[current] as HTMLElement | undefined;
    el?.scrollIntoView?.({ block: 'nearest' });
  }, [current]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const last = matching.length - 1;
    keyboardMoved.current = true;
    if (e.key === 'ArrowDown') setActive(current >= last ? 0 : current + 1);
    else if (e.key === 'ArrowUp') setActive(current <= 0 ? last : current - 1);
    else if (e.key === 'Home' && e.ctrlKey) setActive(0);
    else if (e.key === 'End' && e.ctrlKey) setActive(last);
    else if (e.key === 'Enter') {
      const picked = matching[current];
      if (picked && !picked.unavailable) onPick(picked);
    } else if (e.key === 'Escape') onClose();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className="ic-menu">
      <input
        className="ic-filter"
        type="text"
        role="combobox"
        aria-label="Filter shortcuts"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={matching.length > 0 ? optionId(current) : undefined}
        placeholder="Type to filter shortcuts"
        autoComplete="off"
        spellCheck={false}
        autoFocus
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setLimit(PAGE);
        }}
        onKeyDown={onKeyDown}
      />
      {offline && <p className="ic-note">Offline: showing the shortcuts saved on this computer.</p>}
      <ul className="ic-list" role="listbox" id={`${id}-list`} aria-label="Shortcuts" ref={listRef}
        onScroll={(e) => {
          const el = e.currentTarget;
          if (visible.length < matching.length && el.scrollTop + el.clientHeight > el.scrollHeight - 200) setLimit((n) => n + PAGE);
        }}
      >
        {visible.map((s, i) => (
          <li
            key={s.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === current}
            // Listed but not launchable (its workflow assigns to someone deactivated): greyed, with
            // the server's reason, rather than failing at that step on every launch.
            aria-disabled={s.unavailable ? true : undefined}
            className="ic-option"
            onMouseMove={() => i !== current && setActive(i)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => { if (!s.unavailable) onPick(s); }}
          >
            <span className="ic-icon" aria-hidden="true">{s.icon}</span>
            <span className="ic-option-text">
              <span className="ic-name">{s.name}</span>
              {s.description && <span className="ic-description">{s.description}</span>}
              {s.unavailable && <span className="ic-unavailable-reason" data-testid="launcher-unavailable-reason">{s.unavailable}</span>}
            </span>
            {hasDraft?.(s.id) && <span className="ic-draft" data-testid="launcher-draft-mark" title="What you typed in its form is kept">Draft</span>}
          </li>
        ))}
      </ul>
      {visible.length < matching.length && <p className="ic-note">{matching.length - visible.length} more: scroll or type to filter.</p>}
      {matching.length === 0 && <p className="ic-note" role="status">No shortcut matches “{query}”.</p>}
    </div>
  );
}
