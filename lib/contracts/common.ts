import { z } from 'zod';

export const Id = z.string().min(1).max(64);
export const Timestamp = z.string();
/** What every phone error says: the contacts API and webhook identifiers alike. */
export const PHONE_FORMAT_HINT = 'Use international format, e.g. +14155550123';
export type PhoneCheck = { ok: true; phone: string } | { ok: false; message: string };
/** Why a number without its country code is not enough here. */
const NATIONAL_SAID = 'a national number such as 0151 1234 5678 does not say its country';

// What people put between digits: spaces (any, NBSP too), dashes, dots, parentheses.
const PHONE_SEPARATORS = /[\s().\u2010-\u2015-]/g;

/**
 * A phone number as people write it, in E.164, or what to fix. "+1 (415) 555-0123",
 * "+49 151 1234 5678", "+34 600.111.222" and "0049 151 12345678" (00, the international prefix)
 * are all international; "+44 (0)20 7946 0958" drops the national "(0)". No country is guessed:
 * a number without "+" and its country code is refused (webhooks, which may, use
 * server/webhooks/phone.ts and the workspace's default country).
 */
export function normalizePhone(raw: string): PhoneCheck {
  const compact = raw.replace(/\(\s*0\s*\)/g, '').replace(PHONE_SEPARATORS, '');
  if (compact === '') return { ok: false, message: `Enter a phone number: ${PHONE_FORMAT_HINT}` };
  const phone = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  if (!phone.startsWith('+')) {
    // True wherever it is read: with the workspace's default country the contacts API reads
    // national numbers first (lib/workflow/national-phone.ts), and says so when it cannot.
    return { ok: false, message: `Start with + and the country code, e.g. +14155550123 or +49 151 1234 5678 (${NATIONAL_SAID})` };
  }
  const digits = phone.slice(1);
  if (!/^\d+$/.test(digits)) {
    return { ok: false, message: 'Use only digits after the + (spaces, dashes, dots and parentheses between them are fine), e.g. +1 415 555 0123' };
  }
  if (digits.startsWith('0')) return { ok: false, message: 'The + is followed by the country code, which never starts with 0, e.g. +44 20 7946 0958' };
  if (digits.length < 7 || digits.length > 15) {
    return { ok: false, message: `An international number has 7 to 15 digits after the +, country code included (this one has ${digits.length}), e.g. +14155550123` };
  }
  // E.164: "+" then 7 to 15 digits (country code included), the first not 0.
  return { ok: true, phone };
}

/**
 * A phone number in the API: accepted as people write it (see normalizePhone), parsed to E.164
 * ("+1 415 555 0123" → "+14155550123"). Input and output are both strings; the OpenAPI document
 * shows the input (a string of at most 40 characters).
 */
export const E164 = z.string().max(40, 'A phone number has at most 40 characters (15 digits)').transform((raw, ctx) => {
  const checked = normalizePhone(raw);
  if (checked.ok) return checked.phone;
  ctx.addIssue({ code: 'custom', message: checked.message, input: raw });
  return z.NEVER;
});
/**
 * The error of a strict object for keys it does not take: the keys, and what it takes instead
 * (`takes`, e.g. "a contact takes firstName, lastName, …"). A key that is dropped instead (a typo
 * such as `first_name`, `data` for `items`) leaves a request that seems to work and does half.
 */
export const unknownKeys = (takes: string) => ({
  error: (issue: { code?: string; keys?: string[] }) => (issue.code === 'unrecognized_keys'
    ? `Unknown ${issue.keys?.length === 1 ? 'key' : 'keys'} ${issue.keys?.map((k) => `"${k}"`).join(', ')}: ${takes}` : undefined),
});
export const Email = z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address')).pipe(z.string().max(254, 'An email address has at most 254 characters'));
export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).optional(),
});
