import { Field } from './Field';
import { useFields } from './queries';

interface Props {
  value: string;
  onChange(key: string): void;
  path: string;
  label?: string;
}

/** A contact field chosen from the workspace's custom field definitions. */
export function FieldPicker({ value, onChange, path, label = 'Contact field' }: Props) {
  const fields = useFields();
  const list = fields.data?.fields ?? [];
  return (
    <Field label={label} path={path} hint={fields.isError ? 'Could not load the fields' : list.length === 0 && fields.isSuccess ? 'No custom fields yet: add them under Settings' : undefined}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">Choose a field…</option>
          {value && !list.some((f) => f.key === value) && <option value={value}>{value}</option>}
          {list.map((f) => <option key={f.key} value={f.key}>{f.label} ({f.key})</option>)}
        </select>
      )}
    </Field>
  );
}
