import {
  ContactImportRow, type ContactImportInvalidField, type ContactImportRowResult, type ContactImportSkipped,
} from '../../lib/contracts/contact-import';
import type { FieldDefinition, FieldValue } from '../../lib/contracts/contacts';
import type { ErrorDetail } from '../../lib/contracts/errors';
import { lifecycleStage } from '../../lib/workflow/import-values';
import { isInternational, matchablePhone } from '../../lib/workflow/national-phone';
import { plainTypeMessage } from '../error-handler';
import { checkFieldValues } from './fields';

// One row of POST /contacts/import checked before anything is read or written: every problem of
// the row at once (a bad phone does not hide a bad field value), split into what refuses the row
// and values that may be left out (`onInvalidField: "skip"`).

export interface RowRules {
  defs: ReadonlyMap<string, FieldDefinition>;
  stages: readonly string[];
  onInvalidField: ContactImportInvalidField;
  /** Phones without a country code are read in this country (the request's `defaultCountry`). */
  defaultCountry?: string | undefined;
  /** The custom field that finds contacts (`match: { field }`). */
  matchField?: string | undefined;
}

export interface CheckedRow {
  index: number;
  row: ContactImportRow;
  /** The row's custom field values as stored; undefined when it gives none. */
  fields: Record<string, FieldValue> | undefined;
  /** The row's value of the match field, when it finds contacts by one and gives it. */
  matchKey: string | undefined;
  skipped: ContactImportSkipped[];
}

type Problem = ErrorDetail & { field?: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkRow(raw: unknown, index: number, rules: RowRules): CheckedRow | { error: ContactImportRowResult } {
  const at = (rest: string) => `contacts.${index}.${rest}`;
  const refusing: Problem[] = [];
  const values: Problem[] = []; // values that do not fit: the row's error, or left out
  let input = raw;
  let fields: Record<string, FieldValue> | undefined;
  if (isObject(raw)) {
    const copy: Record<string, unknown> = { ...raw };
    input = copy;
    if (rules.defaultCountry && typeof copy.phone === 'string' && copy.phone.trim() && !isInternational(copy.phone)) {
      const read = matchablePhone(copy.phone, rules.defaultCountry);
      if ('phone' in read) copy.phone = read.phone;
      else { refusing.push({ path: at('phone'), message: read.error }); delete copy.phone; }
    }
    // Each value on its own, so one that does not fit can be left out and the others kept.
    if (isObject(copy.fields)) {
      fields = {};
      for (const [key, given] of Object.entries(copy.fields)) {
        const def = rules.defs.get(key);
        if (!def) { refusing.push({ path: at(`fields.${key}`), message: 'Unknown field; define it under /fields first' }); continue; }
        let value = given as FieldValue;
        if (def.type === 'phone' && rules.defaultCountry && typeof value === 'string' && value.trim() && !isInternational(value)) {
          const read = matchablePhone(value, rules.defaultCountry);
          if ('error' in read) { values.push({ path: at(`fields.${key}`), message: read.error, field: key }); continue; }
          value = read.phone;
        }
        const checked = checkFieldValues([def], { [key]: value }, at('fields'));
        if ('details' in checked) values.push(...checked.details.map((d) => ({ ...d, message: plainTypeMessage(d.message), field: key })));
        else fields[key] = checked.values[key]!;
      }
      delete copy.fields;
    }
    if (typeof copy.lifecycle === 'string') {
      const stage = lifecycleStage(copy.lifecycle, rules.stages);
      if ('stage' in stage) copy.lifecycle = stage.stage;
      else { values.push({ path: at('lifecycle'), message: stage.error, field: 'lifecycle' }); delete copy.lifecycle; }
    }
  }
  const parsed = ContactImportRow.safeParse(input);
  if (!parsed.success) {
    refusing.push(...parsed.error.issues.map((i) => ({ path: ['contacts', index, ...i.path].join('.'), message: plainTypeMessage(i.message) })));
  }
  const skipping = rules.onInvalidField === 'skip';
  const skipped = skipping ? values.map((v) => ({ field: v.field!, message: v.message })) : [];
  const blocking = skipping ? refusing : [...refusing, ...values];
  if (blocking.length > 0 || !parsed.success) {
    const details = blocking.map(({ path, message }) => ({ path, message }));
    return { error: { ...rowFailure(index, details), ...(skipped.length ? { skipped } : {}) } };
  }
  const row = { ...parsed.data, ...(fields ? { fields } : {}) };
  const key = rules.matchField ? fields?.[rules.matchField] : undefined;
  return { index, row, fields, matchKey: typeof key === 'string' && key !== '' ? key : undefined, skipped };
}

/** `contacts.3.phone` as a person reads it: `contacts[3].phone`. */
const readable = (path: string) => path.replace(/^contacts\.(\d+)/, 'contacts[$1]');

export function rowFailure(index: number, details: ErrorDetail[], message?: string): ContactImportRowResult {
  const text = message ?? details.map((d) => `${readable(d.path)}: ${d.message}`).join('; ');
  return { index, status: 'error', contactId: null, message: text, details };
}
