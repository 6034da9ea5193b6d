import Papa from 'papaparse';
import type { ContactImportRow } from '../../lib/contracts/contact-import';
import type { FieldDefinition, FieldValue } from '../../lib/contracts/contacts';
import { coerceFieldValue } from '../../lib/workflow/field-values';

// A contacts spreadsheet (CSV) read in the page, its columns mapped to contact properties, and
// each line turned into a row of POST /contacts/import. Custom field text is read as the field's
// type reads it in workflows (coerceFieldValue: "1,5" → 1.5, "yes" → true, a list option in any
// case); a value that cannot be is the line's error, before anything is sent.

export interface CsvFile { headers: string[]; lines: string[][] }

/** Where a column goes: a contact property, a custom field (`field:<key>`), or nowhere. */
export type ColumnTarget = 'skip' | 'firstName' | 'lastName' | 'fullName' | 'phone' | 'email' | 'tags' | `field:${string}`;

export const STANDARD_TARGETS: { value: ColumnTarget; label: string }[] = [
  { value: 'skip', label: 'Skip this column' },
  { value: 'fullName', label: 'Full name (split at the first space)' },
  { value: 'firstName', label: 'First name' },
  { value: 'lastName', label: 'Last name' },
  { value: 'phone', label: 'Phone' },
  { value: 'email', label: 'Email' },
  { value: 'tags', label: 'Tags (separated by , or ;)' },
];

/** The file's text as a header line and the lines under it; an empty file or one without a header is refused. */
export function readCsv(text: string): CsvFile | { error: string } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
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

/** One line as a row to send, or why it cannot be (custom field values that do not fit). */
export type BuiltRow = { row: ContactImportRow } | { problems: string[] };

export function buildRow(line: readonly string[], headers: readonly string[], targets: readonly ColumnTarget[], fields: readonly FieldDefinition[]): BuiltRow {
  const row: { firstName?: string; lastName?: string; phone?: string; email?: string; tags?: string[]; fields?: Record<string, FieldValue> } = {};
  const problems: string[] = [];
  let fullName: string | undefined;
  targets.forEach((target, column) => {
    // An empty cell leaves the contact's value as it is (never blanks it).
    const text = (line[column] ?? '').trim();
    if (target === 'skip' || text === '') return;
    if (target === 'fullName') fullName = text;
    else if (target === 'tags') row.tags = [...(row.tags ?? []), ...text.split(/[,;]/).map((t) => t.trim()).filter(Boolean)];
    else if (target.startsWith('field:')) {
      const def = fields.find((f) => f.key === target.slice('field:'.length));
      if (!def) return;
      const value = coerceFieldValue(def, text);
      if ('error' in value) problems.push(`${headers[column] || def.label}: ${value.error}`);
      else (row.fields ??= {})[def.key] = value.value;
    } else row[target as 'firstName' | 'lastName' | 'phone' | 'email'] = text;
  });
  if (fullName !== undefined) {
    const [first, ...rest] = fullName.split(/\s+/);
    row.firstName ??= first;
    if (rest.length) row.lastName ??= rest.join(' ');
  }
  return problems.length ? { problems } : { row };
}

/** The spreadsheet's row number of a line (the header is row 1). */
export const rowNumber = (lineIndex: number) => lineIndex + 2;

/** The lines that failed, as a CSV to fix and import again: the file's columns and an "Error" column. */
export function failedRowsCsv(file: CsvFile, failed: readonly { line: number; message: string }[]): string {
  return Papa.unparse({ fields: [...file.headers, 'Error'], data: failed.map((f) => [...(file.lines[f.line] ?? []), f.message]) });
}
