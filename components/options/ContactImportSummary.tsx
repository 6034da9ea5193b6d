import { useEffect, useRef } from 'react';
import { rowNumber, rowsToFixCsv, type CsvFile, type LineToFix } from './contact-csv';
import { downloadFile } from './download';
import { noteText } from './import-rows';
import type { ImportSummary } from './use-contact-import';

/** Rows (and skipped values) listed on the page; all of them are in the download. */
const LISTED = 100;
const NAMED_ROWS = 10;

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** What the import did, what it left out and why, and the lines to fix as a file. */
export function ContactImportSummary({ summary, csv, name, fieldLabel }: { summary: ImportSummary; csv: CsvFile; name: string; fieldLabel: string | undefined }) {
  const { failed, skipped } = summary;
  const values = skipped.flatMap((s) => s.values.map((v) => ({ line: s.line, ...v })));
  const toFix: LineToFix[] = [
    ...failed.map((f) => ({ line: f.line, error: f.message })),
    ...skipped.map((s) => ({ line: s.line, skipped: s.values.map(noteText).join('; ') })),
  ].sort((a, b) => a.line - b.line);
  const unfindable = summary.unfindable;
  // The Import button is disabled while it runs, which drops the focus to the page: the result takes it (WCAG 2.4.3).
  const result = useRef<HTMLParagraphElement>(null);
  useEffect(() => { result.current?.focus(); }, [summary]);
  return (
    <div className="import-summary">
      {summary.stopped && <p className="error" role="alert">{summary.stopped}</p>}
      <p role="status" className="notice" tabIndex={-1} ref={result} data-testid="import-result">
        Import {summary.stopped ? 'stopped' : 'finished'}: {summary.created.toLocaleString()} created, {summary.updated.toLocaleString()} updated, {summary.unchanged.toLocaleString()} unchanged, {failed.length.toLocaleString()} failed.
      </p>
      {values.length > 0 && (
        <p className="notice warn">
          {plural(values.length, 'value', 'values')} skipped in {plural(skipped.length, 'imported row', 'imported rows')}: {skipped.length === 1 ? 'that contact was' : 'those contacts were'} imported without {values.length === 1 ? 'it' : 'them'}.
        </p>
      )}
      {summary.httpsAdded > 0 && <p className="hint">https:// was added to {plural(summary.httpsAdded, 'website', 'websites')} written without it (acme.io → https://acme.io).</p>}
      {unfindable.length > 0 && (
        <p className="notice warn">
          {plural(unfindable.length, 'row has', 'rows have')} {fieldLabel ? `no phone, email or ${fieldLabel}` : 'no phone or email'}: {unfindable.length === 1 ? 'it is' : 'they are'} created again at every import
          {' '}(row {unfindable.slice(0, NAMED_ROWS).map(rowNumber).join(', ')}{unfindable.length > NAMED_ROWS ? ', …' : ''}).
        </p>
      )}
      {toFix.length > 0 && (
        <button type="button" className="small" onClick={() => downloadFile(`${name.replace(/\.csv$/i, '')}-to-fix.csv`, rowsToFixCsv(csv, toFix), 'text/csv;charset=utf-8')}>
          Download the rows to fix (CSV)
        </button>
      )}
      {failed.length > 0 && (
        <>
          <table className="table" aria-label="Rows not imported">
            <thead><tr><th>Row</th><th>What to fix</th></tr></thead>
            <tbody>
              {failed.slice(0, LISTED).map((f) => <tr key={f.line}><td>{rowNumber(f.line)}</td><td>{f.message}</td></tr>)}
            </tbody>
          </table>
          {failed.length > LISTED && <p className="hint">And {(failed.length - LISTED).toLocaleString()} more: all of them are in the download.</p>}
        </>
      )}
      {values.length > 0 && (
        <>
          <table className="table" aria-label="Values skipped">
            <thead><tr><th>Row</th><th>Column</th><th>Why</th></tr></thead>
            <tbody>
              {values.slice(0, LISTED).map((v, i) => <tr key={i}><td>{rowNumber(v.line)}</td><td>{v.column}</td><td>{v.message}</td></tr>)}
            </tbody>
          </table>
          {values.length > LISTED && <p className="hint">And {(values.length - LISTED).toLocaleString()} more: all of them are in the download.</p>}
        </>
      )}
    </div>
  );
}
