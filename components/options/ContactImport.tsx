import { useId, useState } from 'react';
import type { ContactImportMatch } from '../../lib/contracts/contact-import';
import type { FieldDefinition } from '../../lib/contracts/contacts';
import { errorMessage } from './api';
import { failedRowsCsv, guessTargets, readCsv, rowNumber, STANDARD_TARGETS, type ColumnTarget, type CsvFile } from './contact-csv';
import { downloadFile } from './download';
import { useFields } from './queries';
import { useContactImport, type ImportSummary } from './use-contact-import';

const PREVIEW_LINES = 5;
/** Failed rows listed on the page; all of them are in the download. */
const LISTED_FAILURES = 100;
const MATCHES: { value: ContactImportMatch; label: string }[] = [
  { value: 'phone_or_email', label: 'Phone, else email' },
  { value: 'phone', label: 'Phone' },
  { value: 'email', label: 'Email' },
];

/** Contacts from a CSV file: pick, preview, map the columns, import in chunks (use-contact-import.ts). */
export function ContactImport() {
  const fields = useFields();
  const defs = fields.data?.fields ?? [];
  const [file, setFile] = useState<{ name: string; csv: CsvFile }>();
  const [readError, setReadError] = useState<string>();
  // Guessed from the header until the person changes one (the custom fields may load after the file is picked).
  const [chosen, setChosen] = useState<ColumnTarget[]>();
  const targets = chosen ?? (file ? guessTargets(file.csv.headers, defs) : []);
  const [match, setMatch] = useState<ContactImportMatch>('phone_or_email');
  const [fireTriggers, setFireTriggers] = useState(false);
  const [running, setRunning] = useState(false);
  const job = useContactImport();
  const ids = { file: useId(), match: useId(), fire: useId() };

  async function pick(picked: File) {
    job.reset();
    setFile(undefined);
    let read: ReturnType<typeof readCsv>;
    try {
      read = readCsv(await picked.text());
    } catch (err) {
      read = { error: `The file could not be read: ${errorMessage(err)}` };
    }
    if ('error' in read) { setReadError(read.error); return; }
    setReadError(undefined);
    setFile({ name: picked.name, csv: read });
    setChosen(undefined);
  }

  async function run() {
    if (!file) return;
    setRunning(true);
    try {
      await job.start(file.csv, targets, defs, { match, fireTriggers });
    } finally {
      setRunning(false);
    }
  }

  const identifies = targets.some((t) => t === 'phone' || t === 'email');
  return (
    <section className="panel contact-import" aria-labelledby="contact-import-h">
      <h3 id="contact-import-h">Import contacts from a CSV file</h3>
      <p className="hint">The first line names the columns. Phones need their country code (+34 600 111 222). Each row creates a contact, or updates the one with the same phone or email; empty cells leave what a contact has.</p>
      <div className="row">
        <label htmlFor={ids.file} className="button" aria-disabled={running}>Choose a CSV file…</label>
        <input id={ids.file} type="file" accept=".csv,text/csv" className="sr-only" disabled={running}
          onChange={(e) => { const f = e.target.files?.[0]; if (f) void pick(f); e.target.value = ''; }} />
        {file && <span className="muted">{file.name}: {file.csv.lines.length.toLocaleString()} rows</span>}
      </div>
      {readError && <p className="error" role="alert">{readError}</p>}
      {fields.isError && <p className="error" role="alert">Custom fields could not be read: {errorMessage(fields.error)}</p>}
      {file && (
        <>
          <ColumnMapping csv={file.csv} targets={targets} fields={defs} disabled={running}
            onChange={(column, target) => setChosen(targets.map((old, i) => (i === column ? target : old)))} />
          {!identifies && <p className="notice warn" role="status">No column is mapped to Phone or Email: every row creates a new contact, and importing the file again would create them twice.</p>}
          <div className="field">
            <label htmlFor={ids.match}>Find existing contacts by</label>
            <select id={ids.match} value={match} disabled={running} onChange={(e) => setMatch(e.target.value as ContactImportMatch)}>
              {MATCHES.map((m) => <option key={m.value} value={m.value}>{m.label}</option>)}
            </select>
          </div>
          <div className="check">
            <input id={ids.fire} type="checkbox" checked={fireTriggers} disabled={running} onChange={(e) => setFireTriggers(e.target.checked)} />
            <label htmlFor={ids.fire}>Run workflows for these changes</label>
          </div>
          <p className="hint warn">Off, the changes are recorded but no workflow starts. On, every workflow listening for these tags or fields starts for each contact imported, and may message every one of them.</p>
          <button type="button" disabled={running} onClick={() => void run()}>
            Import {file.csv.lines.length.toLocaleString()} {file.csv.lines.length === 1 ? 'row' : 'rows'}
          </button>
        </>
      )}
      {job.progress && (
        <div className="import-progress">
          <progress aria-label="Import progress" max={job.progress.total} value={job.progress.done} />
          <span className="muted"> {job.progress.done.toLocaleString()} of {job.progress.total.toLocaleString()} rows</span>
        </div>
      )}
      {job.summary && file && <ImportSummaryView summary={job.summary} csv={file.csv} name={file.name} />}
    </section>
  );
}

function ColumnMapping({ csv, targets, fields, disabled, onChange }: {
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

function ImportSummaryView({ summary, csv, name }: { summary: ImportSummary; csv: CsvFile; name: string }) {
  const failed = summary.failed;
  return (
    <div className="import-summary">
      {summary.stopped && <p className="error" role="alert">{summary.stopped}</p>}
      <p role="status" className="notice">
        Import {summary.stopped ? 'stopped' : 'finished'}: {summary.created.toLocaleString()} created, {summary.updated.toLocaleString()} updated, {summary.unchanged.toLocaleString()} unchanged, {failed.length.toLocaleString()} failed.
      </p>
      {failed.length > 0 && (
        <>
          <button type="button" className="small" onClick={() => downloadFile(`${name.replace(/\.csv$/i, '')}-failed.csv`, failedRowsCsv(csv, failed), 'text/csv')}>
            Download the failed rows (CSV)
          </button>
          <table className="table" aria-label="Rows not imported">
            <thead><tr><th>Row</th><th>What to fix</th></tr></thead>
            <tbody>
              {failed.slice(0, LISTED_FAILURES).map((f) => <tr key={f.line}><td>{rowNumber(f.line)}</td><td>{f.message}</td></tr>)}
            </tbody>
          </table>
          {failed.length > LISTED_FAILURES && <p className="hint">And {(failed.length - LISTED_FAILURES).toLocaleString()} more: all of them are in the download.</p>}
        </>
      )}
    </div>
  );
}
