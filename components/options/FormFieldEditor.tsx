import { FORM_FIELD_TYPES, type FormFieldInput, type FormFieldType } from '../../lib/contracts/forms';
import { Field } from './Field';

interface Props {
  field: FormFieldInput;
  index: number;
  count: number;
  path: string;
  onChange(field: FormFieldInput): void;
  onMove(delta: -1 | 1): void;
  onRemove(): void;
}

export const FIELD_TYPE_LABELS: Record<FormFieldType, string> = {
  text: 'Text', list: 'List', checkbox: 'Checkbox', number: 'Number', date: 'Date', time: 'Time', phone: 'Phone', email: 'Email', url: 'URL',
};

/** `Order number` -> `order_number`: a variable name the contract accepts. */
export function variableFromLabel(label: string): string {
  const slug = label.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 30);
  return /^[0-9]/.test(slug) ? `f_${slug}`.slice(0, 30) : slug;
}

/** One field of a shortcut form: label, type, variable, required, options, placeholder. */
export function FormFieldEditor({ field, index, count, path, onChange, onMove, onRemove }: Props) {
  const name = field.label || `Field ${index + 1}`;
  const setLabel = (label: string) => {
    // The variable follows the label until the admin edits it by hand.
    const follows = !field.variable || field.variable === variableFromLabel(field.label);
    onChange({ ...field, label, ...(follows ? { variable: variableFromLabel(label) } : {}) });
  };
  // Every field has a Label, a Type…: each control says whose it is ("Label of Order number").
  const of = (what: string) => ({ 'aria-label': `${what} of ${name}` });
  return (
    <li className="card form-field" aria-label={`Form field ${name}`}>
      <div className="card-head">
        <strong>{index + 1}. {name}</strong>
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => onMove(-1)}>↑</button>
        <button type="button" className="icon-button" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => onMove(1)}>↓</button>
        <button type="button" className="icon-button danger" aria-label={`Remove ${name}`} onClick={onRemove}>✕</button>
      </div>
      <div className="grid2">
        <Field label="Label" path={`${path}.label`}>
          {(p) => <input {...p} {...of('Label')} value={field.label} onChange={(e) => setLabel(e.target.value)} />}
        </Field>
        <Field label="Type" path={`${path}.type`}>
          {(p) => (
            <select {...p} {...of('Type')} value={field.type} onChange={(e) => {
              const type = e.target.value as FormFieldType;
              onChange({ ...field, type, options: type === 'list' ? field.options ?? [] : undefined });
            }}>
              {FORM_FIELD_TYPES.map((t) => <option key={t} value={t}>{FIELD_TYPE_LABELS[t]}</option>)}
            </select>
          )}
        </Field>
        <Field label="Variable" path={`${path}.variable`} hint={`Used as {{$trigger.${field.variable || 'name'}}}`}>
          {(p) => <input {...p} {...of('Variable')} value={field.variable} onChange={(e) => onChange({ ...field, variable: e.target.value })} />}
        </Field>
        {field.type !== 'checkbox' && (
          <Field label="Placeholder" path={`${path}.placeholder`}>
            {(p) => <input {...p} {...of('Placeholder')} value={field.placeholder ?? ''} onChange={(e) => onChange({ ...field, placeholder: e.target.value || undefined })} />}
          </Field>
        )}
      </div>
      {field.type === 'list' && (
        <Field label="Options (one per line)" path={`${path}.options`}>
          {(p) => (
            <textarea {...p} {...of('Options')} rows={3} value={(field.options ?? []).join('\n')}
              onChange={(e) => onChange({ ...field, options: e.target.value.split('\n') })} />
          )}
        </Field>
      )}
      <label className="check">
        <input type="checkbox" aria-label={`Required (${name})`} checked={field.required ?? false} onChange={(e) => onChange({ ...field, required: e.target.checked })} />
        Required
      </label>
    </li>
  );
}
