import { useRef, useState } from 'react';
import {
  ContactImportResult, type ContactImportBody, type ContactImportMatch, type ContactImportRowResult,
} from '../../lib/contracts/contact-import';
import { ApiFailure, errorMessage, request } from './api';
import { rowNumber, type CsvFile } from './contact-csv';
import { buildRow, noteText, type BuiltRow, type RowContext, type RowInput, type ValueNote } from './import-rows';

/** Rows per request: well under the server's 5,000, so the bar moves and one request stays short. */
export const IMPORT_CHUNK = 500;
/** A chunk that met a busy server (429, 503) or a dropped connection is sent again, this often. */
const ATTEMPTS = 3;

/** A line not imported: every problem it has, values that do not fit included. */
export interface ImportFailure { line: number; message: string }
/** An imported line whose contact did not get some of its values. */
export interface ImportSkip { line: number; values: ValueNote[] }
export interface ImportProgress { done: number; total: number }
export interface ImportSummary {
  created: number; updated: number; unchanged: number;
  failed: ImportFailure[];
  skipped: ImportSkip[];
  /** Websites saved with https:// added. */
  httpsAdded: number;
  /** Lines imported with no phone, email or match field value: the next import creates them again. */
  unfindable: number[];
  stopped?: string;
}
export interface ImportOptions {
  match: ContactImportMatch;
  fireTriggers: boolean;
  /** "Skip the contact when a value does not fit": the line is refused instead of imported without the value. */
  strict: boolean;
}

const retryable = (err: unknown) => err instanceof ApiFailure && (err.status === 0 || err.status === 429 || err.status === 503);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const matchWords = (match: ContactImportMatch) => (typeof match === 'string' ? match.replaceAll('_', ' ') : match.field);

/** A line as the import will treat it: sent, or refused in the page with everything to fix. */
export function planLine(built: BuiltRow, strict: boolean): { send: RowInput } | { refuse: string } {
  const blocking = strict ? [...built.problems, ...built.values.map(noteText)] : built.problems;
  if (blocking.length === 0) return { send: built.row };
  // Refused for its phone: the values that would have been left out are listed too, so one fix does it.
  return { refuse: (strict ? blocking : [...blocking, ...built.values.map(noteText)]).join('; ') };
}

/**
 * Sends a mapped file to POST /contacts/import in chunks, one after the other, keeping count. A
 * line the server would refuse (its phone, its email) is refused here with all its problems and
 * not sent; values that do not fit are left out (listed in the summary), or refuse the line when
 * the import is strict. A chunk the server refuses whole stops the import there, saying which
 * rows went in: sending the file again matches those rows instead of duplicating them.
 */
export function useContactImport() {
  const [progress, setProgress] = useState<ImportProgress>();
  const [summary, setSummary] = useState<ImportSummary>();
  const busy = useRef(false);

  async function send(body: ContactImportBody) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(ContactImportResult, 'POST', '/contacts/import', body);
      } catch (err) {
        if (attempt >= ATTEMPTS || !retryable(err)) throw err;
        await pause(1000 * attempt);
      }
    }
  }

  async function start(file: CsvFile, ctx: RowContext, options: ImportOptions) {
    if (busy.current) return;
    busy.current = true;
    const result: ImportSummary = { created: 0, updated: 0, unchanged: 0, failed: [], skipped: [], httpsAdded: 0, unfindable: [] };
    const ready: { line: number; row: RowInput; built: BuiltRow }[] = [];
    file.lines.forEach((cells, line) => {
      const built = buildRow(cells, ctx);
      const plan = planLine(built, options.strict);
      if ('refuse' in plan) result.failed.push({ line, message: plan.refuse });
      else ready.push({ line, row: plan.send, built });
    });
    setSummary(undefined);
    setProgress({ done: result.failed.length, total: file.lines.length });
    const { strict, ...sent } = options;
    try {
      for (let i = 0; i < ready.length; i += IMPORT_CHUNK) {
        const chunk = ready.slice(i, i + IMPORT_CHUNK);
        let answer: ContactImportResult;
        try {
          answer = await send({ contacts: chunk.map((c) => c.row), ...sent, onInvalidField: strict ? 'error' : 'skip' });
        } catch (err) {
          result.stopped = `Stopped at row ${rowNumber(chunk[0]!.line)}: ${errorMessage(err)}. `
            + `${i === 0 ? 'Nothing was imported.' : `The rows before it were imported; importing the file again updates those rows (matched by ${matchWords(options.match)}) rather than duplicating them.`}`;
          break;
        }
        result.created += answer.created;
        result.updated += answer.updated;
        result.unchanged += answer.unchanged;
        for (const r of answer.results) record(result, chunk[r.index]!, r, ctx);
        setProgress({ done: result.failed.length + result.created + result.updated + result.unchanged, total: file.lines.length });
      }
    } finally {
      result.failed.sort((a, b) => a.line - b.line);
      setSummary(result);
      busy.current = false;
    }
  }

  return { progress, summary, start, reset: () => { setProgress(undefined); setSummary(undefined); } };
}

/** A row's answer in the summary, by the spreadsheet's row and columns. */
function record(result: ImportSummary, sent: { line: number; built: BuiltRow }, r: ContactImportRowResult, ctx: RowContext) {
  // Left out by the page, and by the server (a stage added or removed since the page read them).
  const values = [...sent.built.values, ...(r.skipped ?? []).map((s) => ({ column: columnOfField(s.field, ctx), message: s.message }))];
  if (r.status === 'error') {
    // The server names the row by its place in this chunk (`contacts[3]…`): said here by the spreadsheet's row.
    const message = (r.message ?? 'Refused').replace(/contacts\[\d+\](\.|: )?/g, '');
    result.failed.push({ line: sent.line, message: [message, ...values.map(noteText)].join('; ') });
    return;
  }
  if (values.length) result.skipped.push({ line: sent.line, values });
  result.httpsAdded += sent.built.httpsAdded;
  if (r.status === 'created' && !sent.built.findable) result.unfindable.push(sent.line);
}

/** The column a field key (or `lifecycle`) of the server's answer came from. */
function columnOfField(field: string, ctx: RowContext): string {
  const i = ctx.targets.findIndex((t) => t === (field === 'lifecycle' ? 'lifecycle' : `field:${field}`));
  return (i >= 0 ? ctx.headers[i] : undefined) || field;
}
