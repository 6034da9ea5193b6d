import { useEffect, useId, useRef, useState } from 'react';

interface Props {
  variables: readonly string[];
  onPick(variable: string): void;
  label: string;
}

/** A small "Insert variable" menu: arrow keys, Enter, Esc. */
export function VariableMenu({ variables, onPick, label }: Props) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const menu = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [open]);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') setOpen(false);
    else if (e.key === 'ArrowDown') { e.preventDefault(); items[(at + 1) % items.length]?.focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); items[(at - 1 + items.length) % items.length]?.focus(); }
  };
  return (
    <div className="variable-menu">
      <button type="button" className="small" aria-haspopup="menu" aria-expanded={open} aria-controls={menuId}
        aria-label={`Insert variable into ${label}`} onClick={() => setOpen(!open)}>
        {'{{ }}'} Insert variable
      </button>
      {open && (
        <ul id={menuId} role="menu" ref={menu} aria-label="Variables" onKeyDown={onKeyDown} className="menu">
          {variables.map((v) => (
            <li key={v} role="none">
              <button type="button" role="menuitem" onClick={() => { onPick(v); setOpen(false); }}>{v}</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
