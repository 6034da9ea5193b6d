import { E164, Email, normalizePhone, PHONE_FORMAT_HINT } from '../contracts/common';
import { ContactPatchBody, FIELD_TEXT_MAX, FieldValue, type FieldDefinition } from '../contracts/contacts';
import { isWritableStandardField, type WritableStandardField } from '../contracts/steps';
import { nationalReading } from './national-phone';
import { readNumber } from './numbers';

// What a step may write to a contact field, decided once for the run (Update Contact Field,
// Ask a Question) and for publishing (a literal value that could never be saved is refused then,
// with the same words the run would fail with).

/** A field a step writes: one of the contact's own (email, phone, names) or a custom one. */
export type WritableField = { standard: WritableStandardField } | { custom: FieldDefinition };
export type FieldText = { value: FieldValue } | { error: string };

/** The field `key` names, among the standard ones and the workspace's definitions; undefined when none. */
export function writableField(key: string, defs: readonly FieldDefinition[]): WritableField | undefined {
  if (isWritableStandardField(key)) return { standard: key };
  const def = defs.find((f) => f.key === key);
  return def && { custom: def };
}

/** The contact's own fields as step notes and errors name them. */
export const STANDARD_FIELD_LABELS: Record<WritableStandardField, string> = { firstName: 'first name', lastName: 'last name', email: 'email', phone: 'phone' };
/** A field as a step's note names it: "first name", "order_total". */
export const fieldLabel = (key: string) => (isWritableStandardField(key) ? STANDARD_FIELD_LABELS[key] : key);

/** The field as messages name it: `"email"`, `"order_total" (number)`. */
export const fieldName = (field: WritableField) =>
  'standard' in field ? `"${field.standard}"` : `"${field.custom.key}" (${field.custom.type})`;

/**
 * The workspace's default country, for a phone number written without its country code
 * (national-phone.ts); null or left out: such a number needs "+" and its code.
 */
export type PhoneCountry = string | null | undefined;

/** Whether the field holds a phone number (the contact's own, or a custom field of type phone). */
export const isPhoneField = (field: WritableField) => ('standard' in field ? field.standard === 'phone' : field.custom.type === 'phone');

/** Rendered text as the value the field stores, or why it cannot be. */
export function fieldValueOf(field: WritableField, input: string | number, country?: PhoneCountry): FieldText {
  return 'standard' in field ? standardFieldValue(field.standard, String(input), country) : coerceFieldValue(field.custom, input, country);
}

/** A phone number read nationally in `country` when it is written without its code: the E.164 number, or why not (naming the value and the country); undefined otherwise. */
function nationalPhone(raw: string, country: PhoneCountry): FieldText | undefined {
  const read = nationalReading(raw, country);
  return read && ('phone' in read ? { value: read.phone } : { error: read.error });
}

/**
 * The contact's own fields, read as PATCH /contacts/:id reads them (the Contact contract): names
 * trimmed, at most 100 characters, empty allowed; email lowercased and checked (`Email`); phone as
 * people write it, stored in E.164 (`E164`), a national number read in `country` as the contacts
 * API reads it. An empty email or phone clears it (PATCH with null).
 */
export function standardFieldValue(key: WritableStandardField, text: string, country?: PhoneCountry): FieldText {
  const raw = text.trim();
  if ((key === 'email' || key === 'phone') && raw === '') return { value: null };
  const national = key === 'phone' ? nationalPhone(raw, country) : undefined;
  if (national) return national;
  const parsed = key === 'email' ? Email.safeParse(raw) : key === 'phone' ? E164.safeParse(raw) : ContactPatchBody.shape[key].safeParse(raw);
  if (parsed.success) return { value: parsed.data ?? '' };
  const problem = parsed.error.issues[0]?.message ?? 'not valid';
  return { error: `${quoted(raw)}: ${key === 'firstName' || key === 'lastName' ? nameProblem(parsed.error.issues[0]) : problem}` };
}

const nameProblem = (issue: { code?: string } | undefined) =>
  issue?.code === 'too_big' ? 'a name has at most 100 characters' : 'not a valid name';

/**
 * A custom field's value from rendered text, as its type stores it. An empty text clears the
 * field. Numbers are read as Branch and Ask a Question read them ("1,250.00", "1.250,00", "12,5");
 * one that could be either ("1,250") is refused rather than guessed. A phone number written without
 * its country code is read in `country` (the workspace's default), as the contacts API reads it.
 */
export function coerceFieldValue(def: FieldDefinition, input: string | number, country?: PhoneCountry): FieldText {
  // A number that is already one (a JSON 2.125, an answer read as a number) is not read again as
  // text: "2.125" written out would be as ambiguous as "1.250" (1250 or 1.25).
  if (typeof input === 'number' && def.type === 'number') return Number.isFinite(input) ? { value: input } : { error: `${input} is not a number` };
  const text = String(input);
  const raw = text.trim();
  if (raw === '') return { value: null };
  let value: FieldValue = raw;
  switch (def.type) {
    case 'number': {
      const reading = readNumber(raw);
      if ('problem' in reading) {
        return { error: reading.ambiguous
          ? `"${raw}" ${reading.problem}: write it without a thousands separator (${reading.ambiguous.grouped}) or with its decimals`
          : `"${raw}" is not a number` };
      }
      value = reading.number;
      break;
    }
    case 'checkbox': {
      const t = raw.toLowerCase();
      if (['true', 'yes', '1', 'on', 'checked'].includes(t)) value = true;
      else if (['false', 'no', '0', 'off', 'unchecked'].includes(t)) value = false;
      else return { error: `"${raw}" is not true or false` };
      break;
    }
    case 'date':
      // `{{$system.now}}` and other ISO timestamps keep their date part.
      value = /^\d{4}-\d{2}-\d{2}T/.test(raw) ? raw.slice(0, 10) : raw;
      break;
    case 'list':
      value = def.options.find((o) => o.toLowerCase() === raw.toLowerCase()) ?? raw;
      break;
    case 'email':
      value = raw.toLowerCase();
      break;
    case 'phone': {
      const national = nationalPhone(raw, country);
      if (national) return national;
      const checked = normalizePhone(raw);
      value = checked.ok ? checked.phone : raw;
      break;
    }
  }
  const problem = fieldValueProblem(def, value);
  return problem ? { error: `${quoted(raw)}: ${problem}` } : { value };
}

/** A value as messages quote it: whole when short, else its start, so a 900 KB value does not make a 900 KB step note. */
export const quoted = (raw: string) => (raw.length <= 80 ? `"${raw}"` : `"${raw.slice(0, 40)}…"`);

/**
 * Stored field values as the Contact contract reads them. Versions before every writer checked
 * FieldValue stored longer text (a workflow step, a mirrored Chatwoot attribute); one such value
 * made every list showing its contact answer 500. Such a value is read cut to fit, ending with a
 * marker that says so; anything else the contract refuses is read as its JSON, cut the same way.
 * The same object when all fit (the usual case: no copy on the engine's hot path).
 */
export function readableFieldValues(fields: Record<string, unknown>): Record<string, FieldValue> {
  let fitted: Record<string, FieldValue> | undefined;
  for (const key in fields) {
    const value = fields[key];
    const fits = typeof value === 'string' ? value.length <= FIELD_TEXT_MAX : FieldValue.safeParse(value).success;
    if (fits) continue;
    fitted ??= { ...(fields as Record<string, FieldValue>) };
    fitted[key] = cutToFit(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));
  }
  return fitted ?? (fields as Record<string, FieldValue>);
}

/** "…[cut: 10,006 characters were stored; a field holds at most 10,000]", within the limit. */
function cutToFit(text: string): string {
  const marker = `…[cut: ${text.length.toLocaleString('en-US')} characters were stored; a field holds at most ${FIELD_TEXT_MAX.toLocaleString('en-US')}]`;
  if (text.length <= FIELD_TEXT_MAX) return text;
  let end = FIELD_TEXT_MAX - marker.length;
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1; // not half an emoji
  return text.slice(0, end) + marker;
}

/** A value must fit its field's type; unknown field keys are refused (fields are defined first). */
export function fieldValueProblem(def: FieldDefinition | undefined, value: FieldValue): string | undefined {
  if (!def) return 'Unknown field; define it under /fields first';
  // The Contact contract first (text at most FIELD_TEXT_MAX): a value it refuses would make every
  // list showing the contact fail to answer, whatever the field's type.
  const checked = FieldValue.safeParse(value);
  if (!checked.success) return checked.error.issues[0]?.message ?? 'Not a field value';
  if (value === null) return undefined;
  switch (def.type) {
    case 'number': return typeof value === 'number' && Number.isFinite(value) ? undefined : 'Expected a number';
    case 'checkbox': return typeof value === 'boolean' ? undefined : 'Expected true or false';
    case 'date': return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'Expected a date YYYY-MM-DD';
    case 'list': return typeof value === 'string' && def.options.includes(value) ? undefined : `Expected one of: ${def.options.join(', ')}`;
    case 'url': return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value) ? undefined : 'Expected an http(s) URL';
    case 'phone': {
      if (typeof value !== 'string') return `Expected a phone number: ${PHONE_FORMAT_HINT}`;
      const checked = normalizePhone(value);
      if (!checked.ok) return checked.message;
      // Stored in E.164; validateFieldValues (the API) and the steps normalise before they ask.
      return checked.phone === value ? undefined : `Expected the number in E.164: ${checked.phone}`;
    }
    case 'email': return typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? undefined : 'Expected an email address';
    default: return typeof value === 'string' ? undefined : 'Expected text';
  }
}
