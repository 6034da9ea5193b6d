import { useId, useMemo, useState } from 'react';
import type { ContactImportMatch } from '../../lib/contracts/contact-import';
import { dateOrderOf } from '../../lib/workflow/answer-dates';
import { errorMessage } from './api';
import { ContactImportColumns } from './ContactImportColumns';
import { ContactImportOptions, type ImportChoices } from './ContactImportOptions';
import { ContactImportSummary } from './ContactImportSummary';
import { guessTargets, readCsv, type ColumnTarget, type CsvFile } from './contact-csv';
import { decodeFile, ENCODINGS, type Encoding } from './file-encoding';
import type { RowContext } from './import-rows';
import { useDefaultCountry, useFields, useLifecycleStages } from './queries';
import { useContactImport } from './use-contact-import';

/** Rows named in the preview's warning; the summary lists them all in the download. */
const NAMED_ROWS = 5;

/** Contacts from a CSV file: pick, preview, map the columns, import in chunks (use-contact-import.ts). */
export function ContactImport() {
  const fields = useFields();
  const stages = useLifecycleStages();
  const country = useDefaultCountry();
  const defs = fields.data?.fields ?? [];
  const workspaceCountry = country.data?.country ?? null;
  const [source, setSource] = useState<{ name: string; bytes: Uint8Array; encoding?: Encoding }>();
  const [pickError, setPickError] = useState<string>();
  // Guessed from the header until the person changes one (the custom fields may load after the file is picked).
  const [chosen, setChosen] = useState<ColumnTarget[]>();
  const [choices, setChoices] = useState<ImportChoices>({ match: 'phone_or_email', matchField: '', fireTriggers: false, strict: false });
  const [running, setRunning] = useState(false);
  const job = useContactImport();
  const ids = { file: useId(), encoding: useId() };

  const decoded = useMemo(() => (source ? decodeFile(source.bytes, source.encoding) : undefined), [source]);
  const read = useMemo(() => (decoded ? readCsv(decoded.text) : undefined), [decoded]);
  const csv: CsvFile | undefined = read && !('error' in read) ? read : undefined;
  const targets = chosen && csv && chosen.length === csv.headers.length ? chosen : csv ? guessTargets(csv.headers, defs) : [];
  // National numbers read in the workspace's country unless the person says not to; dates always in its order.
  const phoneCountry = (choices.nationalPhones ?? true) ? workspaceCountry : null;
  const match: ContactImportMatch = choices.match === 'field' ? { field: choices.matchField } : choices.match;
  const ctx: RowContext = {
    headers: csv?.headers ?? [], targets, fields: defs, stages: stages.data?.stages,
    reading: { dateOrder: dateOrderOf(workspaceCountry), phoneCountry },
    matchField: typeof match === 'string' ? undefined : match.field,
  };
  const matchLabel = defs.find((f) => f.key === ctx.matchField)?.label;

  async function pick(picked: File) {
    job.reset();
    setSource(undefined);
    setChosen(undefined);
    try {
      setSource({ name: picked.name, bytes: new Uint8Array(await picked.arrayBuffer()) });
      setPickError(undefined);
    } catch (err) {
      setPickError(`The file could not be read: ${errorMessage(err)}`);
    }
  }

  async function run() {
    if (!csv) return;
    setRunning(true);
    try {
      await job.start(csv, ctx, { match, fireTriggers: choices.fireTriggers, strict: choices.strict });
    } finally {
      setRunning(false);
    }
  }

  const settling = country.isPending || stages.isPending;
  const matchIncomplete = choices.match === 'field' && !choices.matchField;
  return (
    <section className="panel contact-import" aria-labelledby="contact-import-h">
      <h3 id="contact-import-h">Import contacts from a CSV file</h3>
      <p className="hint">The first line names the columns. Each row creates a contact, or updates the one with the same phone or email; empty cells leave what a contact has.</p>
      <div className="row">
        <label htmlFor={ids.file} className="button" aria-disabled={running}>Choose a CSV file…</label>
        <input id={ids.file} type="file" accept=".csv,text/csv" className="sr-only" disabled={running}
          onChange={(e) => { const f = e.target.files?.[0]; if (f) void pick(f); e.target.value = ''; }} />
        {source && csv && <span className="muted">{source.name}: {csv.lines.length.toLocaleString()} rows</span>}
      </div>
      {pickError && <p className="error" role="alert">{pickError}</p>}
      {fields.isError && <p className="error" role="alert">Custom fields could not be read: {errorMessage(fields.error)}</p>}
      {decoded && source && (
        <>
          {decoded.notUtf8 && !source.encoding && (
            <p className="notice warn" role="status">This file is not UTF-8; read as Windows-1252 (Excel's default). If names look wrong, save the file as CSV UTF-8.</p>
          )}
          <div className="field">
            <label htmlFor={ids.encoding}>File encoding</label>
            <select id={ids.encoding} value={decoded.encoding} disabled={running}
              onChange={(e) => { job.reset(); setSource({ ...source, encoding: e.target.value as Encoding }); }}>
              {ENCODINGS.map((enc) => <option key={enc.value} value={enc.value}>{enc.label}</option>)}
            </select>
          </div>
        </>
      )}
      {read && 'error' in read && <p className="error" role="alert">{read.error}</p>}
      {csv && (
        <>
          <ContactImportColumns csv={csv} targets={targets} fields={defs} disabled={running}
            onChange={(column, target) => setChosen(targets.map((old, i) => (i === column ? target : old)))} />
          <FindableNotice csv={csv} ctx={ctx} fieldLabel={matchLabel} />
          <ContactImportOptions choices={choices} onChange={(c) => setChoices({ ...choices, ...c })} disabled={running}
            fields={defs} country={workspaceCountry} countryError={country.isError ? errorMessage(country.error) : undefined}
            datesMapped={targets.some((t) => defs.find((f) => `field:${f.key}` === t)?.type === 'date')} />
          <button type="button" disabled={running || settling || matchIncomplete} onClick={() => void run()}>
            Import {csv.lines.length.toLocaleString()} {csv.lines.length === 1 ? 'row' : 'rows'}
          </button>
        </>
      )}
      {job.progress && (
        <div className="import-progress">
          <progress aria-label="Import progress" max={job.progress.total} value={job.progress.done} />
          <span className="muted"> {job.progress.done.toLocaleString()} of {job.progress.total.toLocaleString()} rows</span>
        </div>
      )}
      {job.summary && csv && source && <ContactImportSummary summary={job.summary} csv={csv} name={source.name} fieldLabel={matchLabel} />}
    </section>
  );
}

/**
 * Rows a later import cannot find again (no phone, no email, no value of the match field): each
 * import of the file creates them once more. Said before importing, with the rows.
 */
function FindableNotice({ csv, ctx, fieldLabel }: { csv: CsvFile; ctx: RowContext; fieldLabel: string | undefined }) {
  const keys = ctx.targets.flatMap((t, i) => (t === 'phone' || t === 'email' || (ctx.matchField && t === `field:${ctx.matchField}`) ? [i] : []));
  const missing = useMemo(() => csv.lines.flatMap((line, n) => (keys.some((i) => (line[i] ?? '').trim() !== '') ? [] : [n])), [csv, keys.join()]);
  const what = fieldLabel ? `no phone, email or ${fieldLabel}` : 'no phone or email';
  if (keys.length === 0) {
    return <p className="notice warn" role="status">No column is mapped to Phone or Email: every row creates a new contact, and importing the file again would create them twice.</p>;
  }
  if (missing.length === 0) return null;
  const named = missing.slice(0, NAMED_ROWS).map((n) => n + 2).join(', ');
  return (
    <p className="notice warn" role="status">
      {missing.length.toLocaleString()} {missing.length === 1 ? 'row has' : 'rows have'} {what}: {missing.length === 1 ? 'it is' : 'they are'} created again at every import
      {' '}(row {named}{missing.length > NAMED_ROWS ? ', …' : ''}). Find contacts by a custom field holding an id (below) to import the file again safely.
    </p>
  );
}
