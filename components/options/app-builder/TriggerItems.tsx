import { Field, GroupError } from '../Field';
import { uid, type FieldRow, type ItemRow, type TriggerRow } from './draft';
import { replaced } from './rows';
import { RowTools } from './RowTools';
import { FIELD_TYPE_WORDS } from './words';

interface Props {
  trigger: TriggerRow;
  /** `triggers.<i>` */
  path: string;
  fields: readonly FieldRow[];
  max: number;
  onChange(items: ItemRow[]): void;
}

const typeWords = (type: string) => FIELD_TYPE_WORDS[type as keyof typeof FIELD_TYPE_WORDS] ?? type;
const fieldName = (f: FieldRow) => `${f.label || '(no label)'} (${f.key || 'no key'})`;

/**
 * "Add Item" (UChat): what a trigger sends back, each item an existing app field. No field is
 * made here; a new one is added in App fields first.
 */
export function TriggerItems({ trigger, path, fields, max, onChange }: Props) {
  const items = trigger.items;
  const unused = fields.find((f) => !items.some((item) => item.field === f.uid));
  return (
    <div className="trigger-items">
      <h5>Items sent</h5>
      {items.map((item, i) => {
        const field = fields.find((f) => f.uid === item.field);
        return (
          <fieldset key={item.uid} className="builder-row item-row">
            <legend>Item {i + 1}</legend>
            <RowTools what={`item ${i + 1}`} list={items} index={i} onChange={onChange} />
            <Field label="App field" path={`${path}.items.${i}`}>
              {(p) => (
                <select {...p} value={item.field || ''} onChange={(e) => onChange(replaced(items, i, { uid: item.uid, field: e.target.value }))}>
                  {!field && <option value="">{item.missingKey ? `${item.missingKey} (not a field of this app)` : 'Choose a field…'}</option>}
                  {fields.map((f) => <option key={f.uid} value={f.uid}>{fieldName(f)}</option>)}
                </select>
              )}
            </Field>
            {field && (
              <p className="hint">Sent as <code>{field.key}</code>: {field.label}, {typeWords(field.type)}</p>
            )}
          </fieldset>
        );
      })}
      <GroupError path={`${path}.items`} />
      {fields.length === 0
        ? <p className="hint">Items are app fields: add one under App fields first.</p>
        : <p className="hint">As many as you need; many values can go in one JSON field instead.</p>}
      <button type="button" disabled={fields.length === 0 || items.length >= max}
        onClick={() => onChange([...items, { uid: uid(), field: (unused ?? fields[0])?.uid ?? '' }])}>
        Add item
      </button>
    </div>
  );
}
