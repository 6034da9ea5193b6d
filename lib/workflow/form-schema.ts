import { z } from 'zod';
import { Email, E164 as Phone, PHONE_FORMAT_HINT } from '../contracts/common';
import { isInternational, matchablePhone } from './national-phone';
import type { FormDefinition, FormField } from '../contracts/forms';
import { hasNul, NUL_MESSAGE } from './nul-text';
import { ambiguousNumberHint } from './number-hint';
import { readNumber } from './numbers';

// The one validation of shortcut form values, run by the extension before launching and by the
// server on launch (so a browser cannot skip `required`). Values arrive as an HTML form or JSON
// would send them: strings, numbers, booleans.

export const REQUIRED_MESSAGE = 'This field is required';
/** A phone value that is not text at all (JSON's 4155550123); text gets normalizePhone's own message. */
export const PHONE_MESSAGE = `Enter a phone number: ${PHONE_FORMAT_HINT}`;
/** An email value that is not text at all; text gets the contacts API's own message (common.ts Email). */
export const EMAIL_MESSAGE = 'Enter an email address, e.g. name@example.com';
/** The longest text answer (trimmed); the launcher's text fields count towards it as the agent types. */
export const MAX_TEXT = 1000;

export const NUMBER_MESSAGE = 'Enter a number, e.g. 42 or 3.5';

/**
 * Read as Ask a Question, Branch and the contact import read numbers (numbers.ts): "19,99" is
 * 19.99, where an en-US <input type=number> silently made 1999 of it. One that could be either
 * ("1,250": 1250 or 1.25) is refused with the hint Ask a Question gives, so the agent says which.
 * A JSON number (what the extension sends once its own parse has read the text) is taken as is.
 */
const numberSchema = z.unknown().transform((value, ctx) => {
  const reading = readNumber(value);
  if ('number' in reading) return reading.number;
  const message = reading.ambiguous ? ambiguousNumberHint(String(value), reading.ambiguous) : NUMBER_MESSAGE;
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
});

/** Trims strings; '' / whitespace / null become undefined, the one "empty" the schemas see. */
function normalize(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  return value;
}

function isRealDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export interface FormSchemaOptions {
  /** The workspace's default country: a phone field takes national numbers ("(11) 91234-5678" in BR). */
  defaultCountry?: string | null;
}

/**
 * A phone number as the contacts API takes it; with the workspace's default country also a
 * national one, read as webhooks, the CSV import and question answers read it (national-phone.ts).
 */
function phoneSchema(defaultCountry: string | null | undefined): z.ZodType {
  const international = z.string({ error: PHONE_MESSAGE }).pipe(Phone);
  if (!defaultCountry) return international;
  return z.string({ error: PHONE_MESSAGE }).transform((value, ctx) => {
    if (isInternational(value)) {
      const parsed = Phone.safeParse(value);
      if (parsed.success) return parsed.data;
    }
    const read = matchablePhone(value, defaultCountry);
    if ('phone' in read) return read.phone;
    ctx.addIssue({ code: 'custom', message: read.error });
    return z.NEVER;
  });
}

/** The schema of a present (non-empty) value. */
function valueSchema(field: FormField, opts: FormSchemaOptions): z.ZodType {
  switch (field.type) {
    case 'text':
      return z.string({ error: 'Enter text' }).max(MAX_TEXT, `Keep it under ${MAX_TEXT} characters`);
    case 'list': {
      const options = field.options ?? [];
      return z.string({ error: 'Choose an option' }).refine((v) => options.includes(v), {
        message: `Choose one of: ${options.join(', ')}`,
      });
    }
    case 'checkbox': {
      const bool = z.preprocess(
        (v) => (v === 'true' || v === 'on' ? true : v === 'false' ? false : v),
        z.boolean({ error: 'Tick or untick the box' }),
      );
      return field.required ? bool.refine((v) => v, 'Tick this box to continue') : bool;
    }
    case 'number':
      return numberSchema;
    case 'date':
      return z
        .string({ error: 'Enter a date' })
        .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Enter a date as YYYY-MM-DD, e.g. 2026-03-31', abort: true })
        .refine(isRealDate, 'That date does not exist');
    case 'time':
      return z
        .string({ error: 'Enter a time' })
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time as HH:mm, between 00:00 and 23:59');
    case 'phone':
      // As the contacts API takes them (lib/contracts/common.ts normalizePhone): "+1 (415) 555-0123",
      // "+44 (0)20 7946 0958", "0049 151 12345678" all give E.164; a national number, letters or
      // a wrong digit count get a message saying which to fix.
      return phoneSchema(opts.defaultCountry);
    case 'email':
      // The contacts API's one email schema: trimmed and lower-cased, so a launched address
      // compares equal to a contact's stored email.
      return z.string({ error: EMAIL_MESSAGE }).pipe(Email);
    case 'url':
      return z
        .string({ error: 'Enter a web address' })
        .max(2000, 'Keep the address under 2000 characters')
        .refine(isWebUrl, 'Enter a web address starting with http:// or https://');
  }
}

// A value with a NUL passed every check here and then failed the run that wrote it (neither
// store holds NUL): refused up front, like any other value the form cannot take.
const noNul = z.custom((v) => typeof v !== 'string' || !hasNul(v), { message: NUL_MESSAGE });

function fieldSchema(field: FormField, opts: FormSchemaOptions): z.ZodType {
  const value = valueSchema(field, opts);
  const present = field.required
    ? z
        .any()
        .refine((v) => v !== undefined, { message: REQUIRED_MESSAGE, abort: true })
        .pipe(value)
    : value.optional();
  return z.preprocess(normalize, noNul.pipe(present));
}

/** A zod object validating the values of a shortcut form; unknown keys are stripped. */
export function formSchema(form: FormDefinition, opts: FormSchemaOptions = {}): z.ZodObject<Record<string, z.ZodType>> {
  const shape: Record<string, z.ZodType> = {};
  for (const field of form.fields) shape[field.variable] = fieldSchema(field, opts);
  return z.object(shape);
}

/** Per-field messages of a failed parse, keyed by variable: what a form shows under each input. */
export function formErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '');
    errors[key] ??= issue.message;
  }
  return errors;
}
