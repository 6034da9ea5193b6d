import { Field, GroupError } from '../Field';
import { newActionInput, newOutput, type ActionInputRow, type ActionRow, type OutputRow } from './draft';
import { replaced } from './rows';
import { RowTools } from './RowTools';
import { followName, itemKeyFromName } from './slug';

interface Props<T> { action: ActionRow; path: string; onChange(rows: T[]): void }

/** What the workflow step asks for; the request reads each as {{input.<key>}}. */
export function ActionInputs({ action, path, onChange }: Props<ActionInputRow>) {
  const rows = action.inputs;
  return (
    <div className="action-part">
      <h5>Inputs</h5>
      {rows.map((row, i) => {
        const at = `${path}.inputs.${i}`;
        const change = (patch: Partial<ActionInputRow>) => onChange(replaced(rows, i, { ...row, ...patch }));
        return (
          <fieldset key={row.uid} className="builder-row">
            <legend>Input {i + 1}</legend>
            <RowTools what={`input ${i + 1}`} list={rows} index={i} onChange={onChange} />
            <div className="grid2">
              <Field label="Input label" path={`${at}.label`}>
                {(p) => <input {...p} value={row.label} onChange={(e) => change({ label: e.target.value, key: followName(row.key, row.label, e.target.value, itemKeyFromName) })} />}
              </Field>
              <Field label="Input key" path={`${at}.key`} hint={row.key ? `{{input.${row.key}}} in the request` : undefined}>
                {(p) => <input {...p} className="mono" value={row.key} onChange={(e) => change({ key: e.target.value })} />}
              </Field>
            </div>
            <label className="check">
              <input type="checkbox" checked={row.required} onChange={(e) => change({ required: e.target.checked })} /> Required
            </label>
          </fieldset>
        );
      })}
      <GroupError path={`${path}.inputs`} />
      <button type="button" className="small" disabled={rows.length >= 30} onClick={() => onChange([...rows, newActionInput()])}>Add input</button>
    </div>
  );
}

/** Values of the app's answer saved as step variables ({{$step.<variable>}}). */
export function ActionOutputs({ action, path, onChange }: Props<OutputRow>) {
  const rows = action.outputs;
  return (
    <div className="action-part">
      <h5>Outputs</h5>
      {rows.map((row, i) => {
        const at = `${path}.outputs.${i}`;
        const change = (patch: Partial<OutputRow>) => onChange(replaced(rows, i, { ...row, ...patch }));
        return (
          <fieldset key={row.uid} className="builder-row">
            <legend>Output {i + 1}</legend>
            <RowTools what={`output ${i + 1}`} list={rows} index={i} onChange={onChange} />
            <div className="grid2">
              <Field label="JSON key" path={`${at}.jsonKey`} hint="Where in the answer, e.g. $.refund.id">
                {(p) => <input {...p} className="mono" value={row.jsonKey} onChange={(e) => change({ jsonKey: e.target.value })} />}
              </Field>
              <Field label="Variable" path={`${at}.variable`}>
                {(p) => <input {...p} className="mono" value={row.variable} onChange={(e) => change({ variable: e.target.value })} />}
              </Field>
            </div>
          </fieldset>
        );
      })}
      <GroupError path={`${path}.outputs`} />
      <button type="button" className="small" disabled={rows.length >= 10} onClick={() => onChange([...rows, newOutput()])}>Add output</button>
    </div>
  );
}
