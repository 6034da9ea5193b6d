import { MAX_TRIGGER_ITEMS } from '../../../lib/contracts/apps';
import { Field, GroupError } from '../Field';
import { newTrigger, type Draft, type TriggerRow } from './draft';
import { replaced } from './rows';
import { RowTools } from './RowTools';
import { followName, itemKeyFromName } from './slug';
import { TriggerItems } from './TriggerItems';
import { Section } from './Section';

/** Triggers (mini-app 2.0): what the app's server sends to workflows, e.g. "Payment paid" with its status. */
export function TriggersSection({ draft, onChange }: { draft: Draft; onChange(draft: Draft): void }) {
  const set = (triggers: TriggerRow[]) => onChange({ ...draft, triggers });
  return (
    <Section title="Triggers">
      <p className="hint">
        The app’s server fires one with its API key: <code>POST /api/v1/apps/&lt;app id&gt;/triggers/&lt;key&gt;</code> with
        {' '}<code>{'{"contact": {"phone": "+1…"}, "items": {…}}'}</code>; workflows with that trigger start.
      </p>
      {draft.triggers.map((row, i) => {
        const path = `triggers.${i}`;
        const change = (patch: Partial<TriggerRow>) => set(replaced(draft.triggers, i, { ...row, ...patch }));
        return (
          <fieldset key={row.uid} className="builder-row">
            <legend>Trigger {i + 1}</legend>
            <RowTools what={`trigger ${i + 1}`} list={draft.triggers} index={i} onChange={set} />
            <div className="grid2">
              <Field label="Trigger name" path={`${path}.name`}>
                {(p) => <input {...p} value={row.name} onChange={(e) => change({ name: e.target.value, key: followName(row.key, row.name, e.target.value, itemKeyFromName) })} />}
              </Field>
              <Field label="Trigger key" path={`${path}.key`}>
                {(p) => <input {...p} className="mono" value={row.key} onChange={(e) => change({ key: e.target.value })} />}
              </Field>
            </div>
            <TriggerItems trigger={row} path={path} fields={draft.fields} max={MAX_TRIGGER_ITEMS} onChange={(items) => change({ items })} />
          </fieldset>
        );
      })}
      <GroupError path="triggers" />
      <button type="button" disabled={draft.triggers.length >= 50} onClick={() => set([...draft.triggers, newTrigger()])}>Add trigger</button>
    </Section>
  );
}
