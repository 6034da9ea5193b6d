import { STANDARD_CONTACT_FIELDS, STANDARD_CONTACT_FIELD_LABELS, type StandardContactField } from '../../lib/contracts/triggers';
import { Field } from './Field';
import { useFields } from './queries';

interface Props {
  value: string;
  onChange(key: string): void;
  path: string;
  label?: string;
  /**
   * Offer the standard contact fields (first name, email, …) too: all of them (true), as Contact
   * Field Updated watches them, or those listed (the steps write all but lifecycle, which has its own).
   */
  standard?: boolean | readonly StandardContactField[];
}

/** A contact field chosen from the workspace's custom field definitions (and the standard ones when asked). */
export function FieldPicker({ value, onChange, path, label = 'Contact field', standard = false }: Props) {
  const fields = useFields();
  const list = fields.data?.fields ?? [];
  const standardKeys: readonly StandardContactField[] = standard === true ? STANDARD_CONTACT_FIELDS : standard || [];
  return (
    <Field label={label} path={path} hint={fields.isError ? 'Could not load the fields' : list.length === 0 && fields.isSuccess ? 'No custom fields yet: add them under Settings' : undefined}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">Choose a field…</option>
          {value && !list.some((f) => f.key === value) && !(standardKeys as readonly string[]).includes(value) && <option value={value}>{value}</option>}
          {standardKeys.length > 0 && (
            <optgroup label="Contact fields">
              {standardKeys.map((k) => <option key={k} value={k}>{STANDARD_CONTACT_FIELD_LABELS[k]}</option>)}
            </optgroup>
          )}
          {standardKeys.length > 0 ? (
            <optgroup label="Custom fields">{list.map((f) => <option key={f.key} value={f.key}>{f.label} ({f.key})</option>)}</optgroup>
          ) : list.map((f) => <option key={f.key} value={f.key}>{f.label} ({f.key})</option>)}
        </select>
      )}
    </Field>
  );
}
