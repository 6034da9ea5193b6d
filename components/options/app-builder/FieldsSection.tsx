import { MAX_APP_FIELDS } from '../../../lib/contracts/apps';
import { Field, GroupError } from '../Field';
import { EnumSelect } from './EnumSelect';
import { newField, type Draft, type FieldRow } from './draft';
import { replaced, without } from './rows';
import { RowTools } from './RowTools';
import { followName, itemKeyFromName } from './slug';
import { FIELD_TYPE_WORDS } from './words';
import { Section } from './Section';

/**
 * App fields: the typed values the app's triggers carry. Trigger items pick from these (UChat: "The
 * app field you select here must be an existing field ... create it in the App Fields section").
 */
export function FieldsSection({ draft, onChange }: { draft: Draft; onChange(draft: Draft): void }) {
  const set = (fields: FieldRow[]) => onChange({ ...draft, fields });
  // Items that used a removed field keep its key: the contract then says the field is gone, where the item is.
  const remove = (i: number) => {
    const gone = draft.fields[i];
    onChange({
      ...draft,
      fields: without(draft.fields, i),
      triggers: draft.triggers.map((t) => ({
        ...t, items: t.items.map((item) => (gone && item.field === gone.uid ? { uid: item.uid, field: '', missingKey: gone.key } : item)),
      })),
    });
  };
  return (
    <Section title="App fields">
      <p className="hint">The values your triggers send; workflows read them as {'{{$trigger.<key>}}'}. A JSON field carries several values in one.</p>
      {draft.fields.map((row, i) => {
        const path = `fields.${i}`;
        const change = (patch: Partial<FieldRow>) => set(replaced(draft.fields, i, { ...row, ...patch }));
        return (
          <fieldset key={row.uid} className="builder-row">
            <legend>Field {i + 1}</legend>
            <RowTools what={`field ${i + 1}`} list={draft.fields} index={i} onChange={set} onRemove={() => remove(i)} />
            <div className="grid3">
              <Field label="Label" path={`${path}.label`}>
                {(p) => <input {...p} value={row.label} onChange={(e) => change({ label: e.target.value, key: followName(row.key, row.label, e.target.value, itemKeyFromName) })} />}
              </Field>
              <Field label="Key" path={`${path}.key`}>
                {(p) => <input {...p} className="mono" value={row.key} onChange={(e) => change({ key: e.target.value })} />}
              </Field>
              <Field label="Type" path={`${path}.type`}>
                {(p) => <EnumSelect {...p} value={row.type} options={FIELD_TYPE_WORDS} onChange={(type) => change({ type })} />}
              </Field>
            </div>
          </fieldset>
        );
      })}
      <GroupError path="fields" />
      <button type="button" disabled={draft.fields.length >= MAX_APP_FIELDS} onClick={() => set([...draft.fields, newField()])}>Add field</button>
    </Section>
  );
}
