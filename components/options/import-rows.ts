import type { z } from 'zod';
import { ContactImportRow } from '../../lib/contracts/contact-import';
import type { FieldDefinition, FieldValue } from '../../lib/contracts/contacts';
import { lifecycleStage, readCell, type CellReading } from '../../lib/workflow/import-values';
import { isInternational, matchablePhone } from '../../lib/workflow/national-phone';
import type { ColumnTarget } from './contact-csv';

// Each line of a mapped file as a row of POST /contacts/import, with every problem found in the
// page: custom field cells read as people write them (import-values.ts), and the row checked with
// the contract the server checks it with, so a line shows all it has to fix at once (a phone
// without "+" as well as a date that is no date), not one problem per attempt.

export type RowInput = z.input<typeof ContactImportRow>;

export interface RowContext {
  headers: readonly string[];
  targets: readonly ColumnTarget[];
  fields: readonly FieldDefinition[];
  /** The lifecycle stages, once read: a stage is checked here as the server checks it; undefined leaves it to the server. */
  stages: readonly string[] | undefined;
  reading: CellReading;
  /** The custom field contacts are found by, when the import matches by one. */
  matchField?: string | undefined;
}

/** A value of a line that does not fit where its column goes, by the column's name. */
export interface ValueNote { column: string; message: string }

export interface BuiltRow {
  /** What is sent: the line without the values that do not fit. */
  row: RowInput;
  /** What refuses the line whatever is chosen: its phone, email, names, or nothing to create a contact from. */
  problems: string[];
  /** Custom field values and a lifecycle stage that do not fit: left out, or the line refused when the import is strict. */
  values: ValueNote[];
  /** Websites written without https://, given it. */
  httpsAdded: number;
  /** A later import finds this line's contact again: it has a phone, an email or the match field's value. */
  findable: boolean;
}

type Mutable = { firstName?: string; lastName?: string; phone?: string; email?: string; tags?: string[]; lifecycle?: string; fields?: Record<string, FieldValue> };

export function buildRow(line: readonly string[], ctx: RowContext): BuiltRow {
  const row: Mutable = {};
  const problems: string[] = [];
  const values: ValueNote[] = [];
  let httpsAdded = 0;
  let fullName: string | undefined;
  const column = (i: number, fallback: string) => ctx.headers[i] || fallback;
  ctx.targets.forEach((target, i) => {
    // An empty cell leaves the contact's value as it is (never blanks it).
    const text = (line[i] ?? '').trim();
    if (target === 'skip' || text === '') return;
    if (target === 'fullName') fullName = text;
    else if (target === 'tags') row.tags = [...(row.tags ?? []), ...text.split(/[,;]/).map((t) => t.trim()).filter(Boolean)];
    else if (target === 'lifecycle') {
      const stage = ctx.stages ? lifecycleStage(text, ctx.stages) : { stage: text };
      if ('stage' in stage) row.lifecycle = stage.stage;
      else values.push({ column: column(i, 'Lifecycle stage'), message: stage.error });
    } else if (target === 'phone' && ctx.reading.phoneCountry && !isInternational(text)) {
      const phone = matchablePhone(text, ctx.reading.phoneCountry);
      if ('phone' in phone) row.phone = phone.phone;
      else problems.push(`${column(i, 'Phone')}: ${phone.error}`);
    } else if (target.startsWith('field:')) {
      const def = ctx.fields.find((f) => f.key === target.slice('field:'.length));
      if (!def) return;
      const value = readCell(def, text, ctx.reading);
      if ('error' in value) values.push({ column: column(i, def.label), message: value.error });
      else {
        (row.fields ??= {})[def.key] = value.value;
        if (value.httpsAdded) httpsAdded++;
      }
    } else row[target as 'firstName' | 'lastName' | 'phone' | 'email'] = text;
  });
  if (fullName !== undefined) {
    const [first, ...rest] = fullName.split(/\s+/);
    row.firstName ??= first;
    if (rest.length) row.lastName ??= rest.join(' ');
  }
  // The server's own check of the row, so its refusals are listed with the values above.
  const checked = ContactImportRow.safeParse(row);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const named = issue.path.length ? nameOf(String(issue.path[0]), ctx) : undefined;
      problems.push(named ? `${named}: ${issue.message}` : issue.message);
    }
  }
  const key = ctx.matchField ? row.fields?.[ctx.matchField] : undefined;
  const findable = !!(row.phone || row.email || (typeof key === 'string' && key !== ''));
  return { row, problems, values, httpsAdded, findable };
}

/** The column a property of the row came from, as the file names it. */
function nameOf(property: string, ctx: RowContext): string {
  const from = ctx.targets.findIndex((t) => t === property || (t === 'fullName' && (property === 'firstName' || property === 'lastName')));
  return from >= 0 && ctx.headers[from] ? ctx.headers[from]! : property;
}

/** How a value note reads in a list of problems: `Signup date: "15/13/2024" is not a real date …`. */
export const noteText = (n: ValueNote) => `${n.column}: ${n.message}`;
