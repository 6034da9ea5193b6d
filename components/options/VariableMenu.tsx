import { useEffect, useId, useRef, useState } from 'react';

interface Props {
  variables: readonly string[];
  /** What each variable reads as (variableMenuLabel: "Plan" for `$contact.fields.plan`); the path goes beside it. */
  labels?: Readonly<Record<string, string>>;
  /** Said beside a variable (and read as its description): how to use it, e.g. a path inside JSON. */
  notes?: Readonly<Record<string, string>>;
  onPick(variable: string): void;
  label: string;
}

/** What a search is compared with: `{{$contact.fields.plan}}`, `$contact.fields.plan` and `contact.fields.plan` all find it. */
const searchable = (text: string) => text.toLowerCase().replace(/[{}$\s]/g, '');

/**
 * A small "Insert variable" menu: each variable by its label with its path beside it (as n8n and
 * respond.io show them), a search over both, arrow keys, Enter, Esc.
 */
export function VariableMenu({ variables, labels = {}, notes = {}, onPick, label }: Props) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const menuId = useId();
  const menu = useRef<HTMLUListElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) search.current?.focus();
    else setQuery('');
  }, [open]);
  const wanted = searchable(query);
  const shown = variables.filter((v) => wanted === '' || searchable(labels[v] ?? v).includes(wanted) || searchable(v).includes(wanted));
  const items = () => [...(menu.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
  const onKeyDown = (e: React.KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    // Closing unmounts the focused item: focus goes back to the button, not to the page's top.
    if (e.key === 'Escape') { e.preventDefault(); setOpen(false); toggle.current?.focus(); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); list[(at + 1) % list.length]?.focus(); }
    else if (e.key === 'ArrowUp') {
      e.preventDefault();
      // Up from the first item goes back to the search, where typing goes on.
      if (at <= 0) search.current?.focus(); else list[at - 1]?.focus();
    }
  };
  return (
    <div className="variable-menu">
      <button type="button" ref={toggle} className="small" aria-haspopup="menu" aria-expanded={open} aria-controls={menuId}
        aria-label={`Insert variable into ${label}`} onClick={() => setOpen(!open)}>
        {'{{ }}'} Insert variable
      </button>
      {open && (
        <div className="menu" onKeyDown={onKeyDown}>
          <input ref={search} type="search" className="menu-search" aria-label="Search variables" placeholder="Search by name or path"
            aria-controls={menuId} value={query} onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && shown[0] !== undefined) { e.preventDefault(); onPick(shown[0]); setOpen(false); } }} />
          <ul id={menuId} role="menu" ref={menu} aria-label="Variables">
            {shown.map((v, i) => {
              const note = notes[v];
              const pathId = `${menuId}-path-${i}`;
              const noteId = `${menuId}-note-${i}`;
              return (
                <li key={v} role="none">
                  <button type="button" role="menuitem" title={`{{${v}}}`} aria-label={labels[v] ?? v}
                    aria-describedby={note ? `${pathId} ${noteId}` : pathId} onClick={() => { onPick(v); setOpen(false); }}>
                    <span className="menu-label">{labels[v] ?? v}</span>
                    <span id={pathId} className="menu-path">{`{{${v}}}`}</span>
                    {note && <span id={noteId} className="menu-note">{note}</span>}
                  </button>
                </li>
              );
            })}
            {shown.length === 0 && <li role="none" className="menu-empty">No variable matches “{query}”</li>}
          </ul>
        </div>
      )}
    </div>
  );
}
