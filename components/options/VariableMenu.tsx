import { useEffect, useId, useRef, useState } from 'react';

interface Props {
  variables: readonly string[];
  /** Said beside a variable (and read as its description): how to use it, e.g. a path inside JSON. */
  notes?: Readonly<Record<string, string>>;
  onPick(variable: string): void;
  label: string;
}

/** A small "Insert variable" menu: arrow keys, Enter, Esc. */
export function VariableMenu({ variables, notes = {}, onPick, label }: Props) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const menu = useRef<HTMLUListElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [open]);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    // Closing unmounts the focused item: focus goes back to the button, not to the page's top.
    if (e.key === 'Escape') { e.preventDefault(); setOpen(false); toggle.current?.focus(); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); items[(at + 1) % items.length]?.focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); items[(at - 1 + items.length) % items.length]?.focus(); }
  };
  return (
    <div className="variable-menu">
      <button type="button" ref={toggle} className="small" aria-haspopup="menu" aria-expanded={open} aria-controls={menuId}
        aria-label={`Insert variable into ${label}`} onClick={() => setOpen(!open)}>
        {'{{ }}'} Insert variable
      </button>
      {open && (
        <ul id={menuId} role="menu" ref={menu} aria-label="Variables" onKeyDown={onKeyDown} className="menu">
          {variables.map((v, i) => {
            const note = notes[v];
            const noteId = `${menuId}-note-${i}`;
            // The name stays the variable; the note is its description.
            return (
              <li key={v} role="none">
                <button type="button" role="menuitem" aria-label={note ? v : undefined} aria-describedby={note ? noteId : undefined}
                  onClick={() => { onPick(v); setOpen(false); }}>
                  {v}
                  {note && <span id={noteId} className="menu-note">{note}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
