import type { VariableMapping } from '../../lib/contracts/workflow-primitives';
import { Field, GroupError } from './Field';

const MAX_MAPPINGS = 10;

interface Props {
  mappings: VariableMapping[];
  onChange(mappings: VariableMapping[]): void;
  path: string;
  /** "variable" (webhook) or "response variable" (HTTP step). */
  noun?: string;
}

/** JSON key -> variable pairs, at most 10. */
export function WebhookMappings({ mappings, onChange, path, noun = 'variable' }: Props) {
  const set = (i: number, m: VariableMapping) => onChange(mappings.map((old, j) => (j === i ? m : old)));
  const full = mappings.length >= MAX_MAPPINGS;
  return (
    <fieldset className="mappings">
      <legend>Variables ({mappings.length} / {MAX_MAPPINGS})</legend>
      {mappings.map((m, i) => (
        <div key={i} className="row mapping">
          <Field label={`JSON key ${i + 1}`} path={`${path}.${i}.jsonKey`}>
            {(p) => <input {...p} value={m.jsonKey} placeholder="$.order.id" onChange={(e) => set(i, { ...m, jsonKey: e.target.value })} />}
          </Field>
          <span aria-hidden="true" className="arrow">→</span>
          <Field label={`Variable ${i + 1}`} path={`${path}.${i}.variable`}>
            {(p) => <input {...p} value={m.variable} placeholder="order_id" onChange={(e) => set(i, { ...m, variable: e.target.value })} />}
          </Field>
          <button type="button" className="icon-button" aria-label={`Remove ${noun} ${i + 1}`} onClick={() => onChange(mappings.filter((_, j) => j !== i))}>✕</button>
        </div>
      ))}
      {mappings.length > 0 && <p className="hint">A key that selects several values ($.items[*].sku) or an array gives a list, shown as “A1, B2”.</p>}
      <button type="button" disabled={full} onClick={() => onChange([...mappings, { jsonKey: '$.', variable: '' }])}>Add {noun}</button>
      {full && <span className="hint warn"> At most {MAX_MAPPINGS} {noun}s</span>}
      <GroupError path={path} />
    </fieldset>
  );
}
