import { useId, useState } from 'react';
import { FORM_FIELD_TYPES, type FormFieldInput, type FormFieldType } from '../../lib/contracts/forms';
import { GroupError } from './Field';
import { FIELD_TYPE_LABELS, FormFieldEditor } from './FormFieldEditor';
import { FormPreview } from './FormPreview';

const MAX_FIELDS = 20;

interface Props {
  fields: FormFieldInput[];
  onChange(fields: FormFieldInput[]): void;
  /** Draft path of the fields array (`trigger.form.fields`). */
  path: string;
}

function newField(type: FormFieldType, existing: readonly FormFieldInput[]): FormFieldInput {
  let n = existing.length + 1;
  while (existing.some((f) => f.variable === `field_${n}`)) n++;
  return { label: `Field ${n}`, type, variable: `field_${n}`, required: false, ...(type === 'list' ? { options: ['Option 1'] } : {}) };
}

/** The shortcut's form: fields added, reordered, removed, with the agent's view beside it. */
export function FormBuilder({ fields, onChange, path }: Props) {
  const typeId = useId();
  const [type, setType] = useState<FormFieldType>('text');
  const move = (index: number, delta: -1 | 1) => {
    const next = [...fields];
    const [item] = next.splice(index, 1);
    if (item) next.splice(index + delta, 0, item);
    onChange(next);
  };
  return (
    <div className="form-builder">
      <div className="form-builder-edit">
        <h4>Form fields</h4>
        <ol className="stack">
          {fields.map((field, index) => (
            <FormFieldEditor
              key={index}
              field={field}
              index={index}
              count={fields.length}
              path={`${path}.${index}`}
              onChange={(f) => onChange(fields.map((old, i) => (i === index ? f : old)))}
              onMove={(delta) => move(index, delta)}
              onRemove={() => onChange(fields.filter((_, i) => i !== index))}
            />
          ))}
        </ol>
        <div className="row">
          <label htmlFor={typeId}>New field type</label>
          <select id={typeId} value={type} onChange={(e) => setType(e.target.value as FormFieldType)}>
            {FORM_FIELD_TYPES.map((t) => <option key={t} value={t}>{FIELD_TYPE_LABELS[t]}</option>)}
          </select>
          <button type="button" disabled={fields.length >= MAX_FIELDS} onClick={() => onChange([...fields, newField(type, fields)])}>
            Add field
          </button>
        </div>
        <GroupError path={path} />
      </div>
      <FormPreview fields={fields} />
    </div>
  );
}
