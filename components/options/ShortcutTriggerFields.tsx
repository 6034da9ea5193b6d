import { Field } from './Field';
import { FormBuilder } from './FormBuilder';
import type { TriggerDraftOf } from './draft-types';

type T = TriggerDraftOf<'shortcut'>;

/** Shortcut: what agents see in the launcher menu, and the form they fill before it starts. */
export function ShortcutTriggerFields({ trigger, onChange }: { trigger: T; onChange(t: T): void }) {
  return (
    <>
      <div className="grid-shortcut">
        <Field label="Icon" path="trigger.icon" hint="One emoji">
          {(p) => <input {...p} className="icon-input" value={trigger.icon ?? ''} onChange={(e) => onChange({ ...trigger, icon: e.target.value })} />}
        </Field>
        <Field label="Shortcut name" path="trigger.name">
          {(p) => <input {...p} value={trigger.name} onChange={(e) => onChange({ ...trigger, name: e.target.value })} />}
        </Field>
      </div>
      <Field label="Description" path="trigger.description">
        {(p) => <input {...p} value={trigger.description ?? ''} onChange={(e) => onChange({ ...trigger, description: e.target.value })} />}
      </Field>
      <FormBuilder
        fields={trigger.form?.fields ?? []}
        path="trigger.form.fields"
        onChange={(fields) => onChange({ ...trigger, form: { fields } })}
      />
    </>
  );
}
