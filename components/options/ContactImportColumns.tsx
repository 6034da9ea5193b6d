import type { FieldDefinition } from '../../lib/contracts/contacts';
import { STANDARD_TARGETS, type ColumnTarget, type CsvFile } from './contact-csv';

const PREVIEW_LINES = 5;

/** The file's first lines under its header, each column with where it goes. */
export function ContactImportColumns({ csv, targets, fields, disabled, onChange }: {
  csv: CsvFile; targets: ColumnTarget[]; fields: readonly FieldDefinition[]; disabled: boolean; onChange: (column: number, target: ColumnTarget) => void;
}) {
  return (
    <div className="table-scroll">
      <table className="table" aria-label="Preview of the file">
        <thead>
          <tr>{csv.headers.map((h, i) => <th key={i}>{h || `Column ${i + 1}`}</th>)}</tr>
          <tr>
            {csv.headers.map((h, i) => (
              <th key={i}>
                <select aria-label={`Map column “${h || `Column ${i + 1}`}”`} value={targets[i] ?? 'skip'} disabled={disabled}
                  onChange={(e) => onChange(i, e.target.value as ColumnTarget)}>
                  {STANDARD_TARGETS.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
                  {fields.length > 0 && (
                    <optgroup label="Custom fields">
                      {fields.map((f) => <option key={f.key} value={`field:${f.key}`}>{f.label} ({f.key}, {f.type})</option>)}
                    </optgroup>
                  )}
                </select>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {csv.lines.slice(0, PREVIEW_LINES).map((line, r) => (
            <tr key={r}>{csv.headers.map((_, i) => <td key={i}>{line[i] ?? ''}</td>)}</tr>
          ))}
        </tbody>
      </table>
      {csv.lines.length > PREVIEW_LINES && <p className="hint">The first {PREVIEW_LINES} of {csv.lines.length.toLocaleString()} rows.</p>}
    </div>
  );
}
