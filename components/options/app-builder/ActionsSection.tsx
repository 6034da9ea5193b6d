import { Field, GroupError } from '../Field';
import { ActionInputs, ActionOutputs } from './ActionRows';
import { ActionRequestFields } from './ActionRequestFields';
import { newAction, type ActionRow, type Draft } from './draft';
import { replaced } from './rows';
import { RowTools } from './RowTools';
import { followName, itemKeyFromName } from './slug';
import { Section } from './Section';

/** Actions: packaged requests a workflow step sends to the app's server, filled from the step's inputs. */
export function ActionsSection({ draft, onChange }: { draft: Draft; onChange(draft: Draft): void }) {
  const set = (actions: ActionRow[]) => onChange({ ...draft, actions });
  const authKeys = draft.authInputs.map((a) => a.key).filter(Boolean);
  return (
    <Section title="Actions">
      {draft.actions.map((row, i) => {
        const path = `actions.${i}`;
        const change = (patch: Partial<ActionRow>) => set(replaced(draft.actions, i, { ...row, ...patch }));
        return (
          <fieldset key={row.uid} className="builder-row">
            <legend>Action {i + 1}</legend>
            <RowTools what={`action ${i + 1}`} list={draft.actions} index={i} onChange={set} />
            <div className="grid2">
              <Field label="Action name" path={`${path}.name`}>
                {(p) => <input {...p} value={row.name} onChange={(e) => change({ name: e.target.value, key: followName(row.key, row.name, e.target.value, itemKeyFromName) })} />}
              </Field>
              <Field label="Action key" path={`${path}.key`}>
                {(p) => <input {...p} className="mono" value={row.key} onChange={(e) => change({ key: e.target.value })} />}
              </Field>
            </div>
            <ActionInputs action={row} path={path} onChange={(inputs) => change({ inputs })} />
            <ActionRequestFields action={row} path={`${path}.request`} authKeys={authKeys} onChange={change} />
            <ActionOutputs action={row} path={path} onChange={(outputs) => change({ outputs })} />
          </fieldset>
        );
      })}
      <GroupError path="actions" />
      <button type="button" disabled={draft.actions.length >= 50} onClick={() => set([...draft.actions, newAction()])}>Add action</button>
    </Section>
  );
}
