import Papa from 'papaparse';
import type { FieldDefinition } from '../../lib/contracts/contacts';

// A contacts spreadsheet (CSV) read in the page and its columns mapped to contact properties
// (import-rows.ts turns each line into a row of POST /contacts/import).

export interface CsvFile { headers: string[]; lines: string[][] }

/** Where a column goes: a contact property, a custom field (`field:<key>`), or nowhere. */
export type ColumnTarget = 'skip' | 'firstName' | 'lastName' | 'fullName' | 'phone' | 'email' | 'tags' | 'lifecycle' | `field:${string}`;

export const STANDARD_TARGETS: { value: ColumnTarget; label: string }[] = [
  { value: 'skip', label: 'Skip this column' },
  { value: 'fullName', label: 'Full name (split at the first space)' },
  { value: 'firstName', label: 'First name' },
  { value: 'lastName', label: 'Last name' },
  { value: 'phone', label: 'Phone' },
  { value: 'email', label: 'Email' },
  { value: 'tags', label: 'Tags (separated by , or ;)' },
  { value: 'lifecycle', label: 'Lifecycle stage' },
];

/**
 * A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `+…`, `-…`, or after a
 * tab or carriage return) is written with a `'` in front (OWASP's CSV injection advice, Papa's
 * `escapeFormulae`), so opening the rows to fix in Excel runs nothing. That file comes back to be
 * imported again: the `'` is taken off when it is read.
 */
const ESCAPED_FORMULA = /^'(?=[=+\-@\t\r])/;
const unescaped = (cell: string) => cell.replace(ESCAPED_FORMULA, '');

/** The file's text as a header line and the lines under it; an empty file or one without a header is refused. */
export function readCsv(text: string): CsvFile | { error: string } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy', transform: unescaped });
  const [headers, ...lines] = parsed.data;
  if (!headers || headers.every((h) => !h.trim())) return { error: 'The file is empty: the first line should name the columns (e.g. Name, Phone, Email)' };
  const quote = parsed.errors.find((e) => e.type === 'Quotes');
  if (quote) return { error: `Line ${(quote.row ?? 0) + 1} has a quote that is never closed; fix it in the spreadsheet and save it as CSV again` };
  if (lines.length === 0) return { error: 'The file has a header line and no contacts under it' };
  return { headers: headers.map((h) => h.trim()), lines };
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const GUESSES: Record<string, ColumnTarget> = Object.fromEntries([
  ...['firstname', 'first', 'givenname', 'forename'].map((h) => [h, 'firstName']),
  ...['lastname', 'last', 'surname', 'familyname'].map((h) => [h, 'lastName']),
  ...['name', 'fullname', 'contactname', 'contact'].map((h) => [h, 'fullName']),
  ...['phone', 'phonenumber', 'mobile', 'mobilephone', 'cell', 'whatsapp', 'tel', 'telephone'].map((h) => [h, 'phone']),
  ...['email', 'emailaddress', 'mail'].map((h) => [h, 'email']),
  ...['tags', 'tag', 'labels', 'label'].map((h) => [h, 'tags']),
  ...['lifecycle', 'lifecyclestage', 'stage'].map((h) => [h, 'lifecycle']),
]);

/** A first mapping from the header names (respond.io's and Chatwoot's exports included); each can be changed. */
export function guessTargets(headers: readonly string[], fields: readonly FieldDefinition[]): ColumnTarget[] {
  const taken = new Set<ColumnTarget>();
  return headers.map((header) => {
    const key = squash(header);
    const field = fields.find((f) => squash(f.key) === key || squash(f.label) === key);
    const guess: ColumnTarget = GUESSES[key] ?? (field ? `field:${field.key}` : 'skip');
    // One column per property: a second "Phone" column is left for the person to map.
    if (guess !== 'skip' && guess !== 'tags' && taken.has(guess)) return 'skip';
    taken.add(guess);
    return guess;
  });
}

/** The spreadsheet's row number of a line (the header is row 1). */
export const rowNumber = (lineIndex: number) => lineIndex + 2;

/** A line to fix: not imported (`error`: every problem), or imported without some of its values (`skipped`). */
export interface LineToFix { line: number; error?: string; skipped?: string }

/**
 * The lines to fix as a CSV to fix and import again: the file's columns, "Error" (why the row was
 * not imported) and "Skipped values" (what an imported row's contact did not get). It starts with
 * a byte order mark: Excel on Windows reads a CSV without one in the system's code page, and the
 * accents would come back as "JosÃ©". Formulas are written as text (ESCAPED_FORMULA above).
 */
export function rowsToFixCsv(file: CsvFile, lines: readonly LineToFix[]): string {
  const data = lines.map((l) => [...(file.lines[l.line] ?? []), l.error ?? '', l.skipped ?? '']);
  return `\uFEFF${Papa.unparse({ fields: [...file.headers, 'Error', 'Skipped values'], data }, { escapeFormulae: true })}`;
}
