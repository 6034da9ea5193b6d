import { HTTP_METHODS } from '../../../lib/contracts/steps';
import { Field, GroupError } from '../Field';
import { EnumSelect } from './EnumSelect';
import { newHeader, type ActionRow, type HeaderRow } from './draft';
import { replaced } from './rows';
import { RowTools } from './RowTools';

interface Props {
  action: ActionRow;
  /** `actions.<i>.request` */
  path: string;
  authKeys: string[];
  onChange(patch: Partial<ActionRow>): void;
}

const METHODS = Object.fromEntries(HTTP_METHODS.map((m) => [m, m]));

/** The packaged request: its strings are templates of {{auth.<key>}} and {{input.<key>}}. */
export function ActionRequestFields({ action, path, authKeys, onChange }: Props) {
  const placeholders = [...authKeys.map((k) => `{{auth.${k}}}`), ...action.inputs.map((i) => i.key).filter(Boolean).map((k) => `{{input.${k}}}`)];
  const setHeaders = (headers: HeaderRow[]) => onChange({ headers });
  return (
    <div className="action-part">
      <h5>Request</h5>
      <p className="hint">{placeholders.length ? `Placeholders: ${placeholders.join(', ')}` : 'Add auth inputs or inputs to use {{auth.<key>}} and {{input.<key>}}.'}</p>
      <div className="row">
        <Field label="Method" path={`${path}.method`}>
          {(p) => <EnumSelect {...p} value={action.method} options={METHODS} onChange={(method) => onChange({ method })} />}
        </Field>
        <Field label="Request URL" path={`${path}.url`} className="grow">
          {(p) => <input {...p} className="mono" value={action.url} placeholder="https://api.example.com/refunds" onChange={(e) => onChange({ url: e.target.value })} />}
        </Field>
      </div>
      {action.headers.map((row, i) => {
        const change = (patch: Partial<HeaderRow>) => setHeaders(replaced(action.headers, i, { ...row, ...patch }));
        return (
          <fieldset key={row.uid} className="builder-row">
            <legend>Header {i + 1}</legend>
            <RowTools what={`header ${i + 1}`} list={action.headers} index={i} onChange={setHeaders} />
            <div className="grid2">
              <Field label="Header name" path={`${path}.headers.${row.name.trim()}`}>
                {(p) => <input {...p} className="mono" value={row.name} onChange={(e) => change({ name: e.target.value })} />}
              </Field>
              <Field label="Header value" path={`${path}.headers.${row.name.trim()}.value`}>
                {(p) => <input {...p} className="mono" value={row.value} onChange={(e) => change({ value: e.target.value })} />}
              </Field>
            </div>
          </fieldset>
        );
      })}
      <GroupError path={`${path}.headers`} />
      <button type="button" className="small" disabled={action.headers.length >= 10} onClick={() => setHeaders([...action.headers, newHeader()])}>Add header</button>
      <Field label="Request body (JSON)" path={`${path}.body`} hint="Any JSON; a string that is one placeholder keeps the value’s type. Empty for none.">
        {(p) => <textarea {...p} rows={5} className="mono" value={action.body} onChange={(e) => onChange({ body: e.target.value })} />}
      </Field>
      <Field label="Timeout (ms)" path={`${path}.timeoutMs`} hint="100 to 30000; 10000 when empty">
        {(p) => <input {...p} type="number" min={100} max={30000} value={action.timeoutMs} onChange={(e) => onChange({ timeoutMs: e.target.value })} />}
      </Field>
    </div>
  );
}
