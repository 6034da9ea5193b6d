import { useId } from 'react';

interface Props { label: string; checked: boolean; disabled?: boolean; onChange(checked: boolean): void; description?: string }

/** An on/off switch: a native checkbox with the switch role, so it works with keyboard and readers. */
export function Switch({ label, checked, disabled, onChange, description }: Props) {
  const id = useId();
  return (
    <div className="switch-row">
      <input id={id} type="checkbox" role="switch" className="switch" checked={checked} disabled={disabled}
        aria-describedby={description ? `${id}-d` : undefined} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
      {description && <span id={`${id}-d`} className="hint">{description}</span>}
    </div>
  );
}
