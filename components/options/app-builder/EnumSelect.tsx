import type { ControlProps } from '../Field';

interface Props extends ControlProps {
  value: string;
  options: Record<string, string>;
  onChange(value: string): void;
}

/**
 * A select over a contract's values. A pasted manifest's value the contract refuses stays
 * selected, named as such, rather than the select showing its first option as if chosen.
 */
export function EnumSelect({ value, options, onChange, ...control }: Props) {
  const known = value in options;
  return (
    <select {...control} value={value} onChange={(e) => onChange(e.target.value)}>
      {!known && <option value={value}>{value ? `${value} (not one of these)` : 'Choose…'}</option>}
      {Object.entries(options).map(([v, words]) => <option key={v} value={v}>{words}</option>)}
    </select>
  );
}
