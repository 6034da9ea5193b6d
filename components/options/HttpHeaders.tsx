import { Field, GroupError } from './Field';
import { TemplateInput } from './TemplateInput';

interface Header { key: string; value: string }
interface Props { headers: Header[]; onChange(h: Header[]): void; path: string; stepIndex: number }

const MAX_HEADERS = 10;

export function HttpHeaders({ headers, onChange, path, stepIndex }: Props) {
  const set = (i: number, h: Header) => onChange(headers.map((old, j) => (j === i ? h : old)));
  return (
    <fieldset>
      <legend>Headers ({headers.length} / {MAX_HEADERS})</legend>
      {headers.map((h, i) => (
        <div key={i} className="row">
          <Field label={`Header ${i + 1} name`} path={`${path}.${i}.key`}>
            {(p) => <input {...p} value={h.key} onChange={(e) => set(i, { ...h, key: e.target.value })} />}
          </Field>
          <TemplateInput label={`Header ${i + 1} value`} value={h.value} path={`${path}.${i}.value`} stepIndex={stepIndex} onChange={(value) => set(i, { ...h, value })} />
          <button type="button" className="icon-button" aria-label={`Remove header ${i + 1}`} onClick={() => onChange(headers.filter((_, j) => j !== i))}>✕</button>
        </div>
      ))}
      <button type="button" className="small" disabled={headers.length >= MAX_HEADERS} onClick={() => onChange([...headers, { key: '', value: '' }])}>Add header</button>
      <GroupError path={path} />
    </fieldset>
  );
}
