import { useRef, useState } from 'react';
import { ContactImportResult, type ContactImportBody, type ContactImportMatch, type ContactImportRow } from '../../lib/contracts/contact-import';
import type { FieldDefinition } from '../../lib/contracts/contacts';
import { ApiFailure, errorMessage, request } from './api';
import { buildRow, rowNumber, type ColumnTarget, type CsvFile } from './contact-csv';

/** Rows per request: well under the server's 5,000, so the bar moves and one request stays short. */
export const IMPORT_CHUNK = 500;
/** A chunk that met a busy server (429, 503) or a dropped connection is sent again, this often. */
const ATTEMPTS = 3;

export interface ImportFailure { line: number; message: string }
export interface ImportProgress { done: number; total: number }
export interface ImportSummary { created: number; updated: number; unchanged: number; failed: ImportFailure[]; stopped?: string }

const retryable = (err: unknown) => err instanceof ApiFailure && (err.status === 0 || err.status === 429 || err.status === 503);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends a mapped file to POST /contacts/import in chunks, one after the other, keeping count. A
 * line whose custom field values do not fit is failed here, with the same words a workflow would
 * use, and not sent. A chunk the server refuses whole stops the import there, saying which rows
 * went in: sending the file again matches those rows instead of duplicating them.
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

  async function start(file: CsvFile, targets: readonly ColumnTarget[], fields: readonly FieldDefinition[], options: { match: ContactImportMatch; fireTriggers: boolean }) {
    if (busy.current) return;
    busy.current = true;
    const result: ImportSummary = { created: 0, updated: 0, unchanged: 0, failed: [] };
    const ready: { line: number; row: ContactImportRow }[] = [];
    file.lines.forEach((cells, line) => {
      const built = buildRow(cells, file.headers, targets, fields);
      if ('problems' in built) result.failed.push({ line, message: built.problems.join('; ') });
      else ready.push({ line, row: built.row });
    });
    setSummary(undefined);
    setProgress({ done: result.failed.length, total: file.lines.length });
    try {
      for (let i = 0; i < ready.length; i += IMPORT_CHUNK) {
        const chunk = ready.slice(i, i + IMPORT_CHUNK);
        let answer: ContactImportResult;
        try {
          answer = await send({ contacts: chunk.map((c) => c.row), ...options });
        } catch (err) {
          result.stopped = `Stopped at row ${rowNumber(chunk[0]!.line)}: ${errorMessage(err)}. `
            + `${i === 0 ? 'Nothing was imported.' : `The rows before it were imported; importing the file again updates those rows (matched by ${options.match.replaceAll('_', ' ')}) rather than duplicating them.`}`;
          break;
        }
        result.created += answer.created;
        result.updated += answer.updated;
        result.unchanged += answer.unchanged;
        for (const r of answer.results) {
          // The server names the row by its place in this chunk (`contacts[3]…`): said here by the spreadsheet's row.
          if (r.status === 'error') result.failed.push({ line: chunk[r.index]!.line, message: (r.message ?? 'Refused').replace(/contacts\[\d+\](\.|: )?/g, '') });
        }
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
