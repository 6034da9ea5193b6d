import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { normalizePhone, PHONE_FORMAT_HINT } from '../contracts/common';

// Phone numbers as senders write them, read with the workspace's default country: webhooks
// (server/webhooks) and the options page's contact import use the same reading, so a number
// matches the same contact whichever way it came in.

const E164_SHAPE = /^\+[1-9]\d{6,14}$/;
// "ext. 12", "x12", "#12", ";ext=12" at the end: an extension reaches a desk, not a person's number.
const EXTENSION = /\s*(?:;\s*ext=|(?:ext\.?|extension|x|#)\s*)\d{1,10}\s*$/i;
const SEPARATORS = /[\s().\u2010-\u2015-]/g;

/**
 * Phone numbers arrive as people type them ("+1 (415) 555-0123", "0044 20 7946 0958").
 * Contacts store E.164; this turns an international number into E.164 when it can. Digits
 * without "+" are read as international too: only for senders that always send the country
 * code without the plus (WhatsApp's wa_id). What people type goes through `matchablePhone`.
 */
export function toE164(raw: string): string | undefined {
  const trimmed = raw.trim().replace(EXTENSION, '');
  if (!trimmed) return undefined;
  const candidate = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed.startsWith('+') ? trimmed : `+${trimmed}`;
  const parsed = parsePhoneNumberFromString(candidate.replace(/[^\d+]/g, ''));
  if (parsed?.number && E164_SHAPE.test(parsed.number)) return parsed.number;
  const digits = candidate.replace(/[^\d]/g, '');
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : undefined;
}

export type PhoneMatch = { phone: string } | { error: string };

/** Whether the number says its country itself ("+49 …", "0049 …"). */
export const isInternational = (raw: string) => /^\s*(?:\+|00)/.test(raw);

/** A phone number as a sender wrote it, ready to match or store on a contact, or why it cannot be. */
export function matchablePhone(raw: string, defaultCountry: string | null): PhoneMatch {
  const text = raw.trim().replace(EXTENSION, '');
  const international = isInternational(text);
  if (international) {
    const phone = toE164(text);
    if (phone) return { phone };
  } else if (defaultCountry && isSupportedCountry(defaultCountry)) {
    const phone = callingCodeWithoutPlus(text, defaultCountry) ?? nationalNumber(text, defaultCountry);
    if (phone) return { phone };
  }
  return { error: phoneHint(raw, international ? undefined : defaultCountry) };
}

/**
 * The one rule for a number typed where a contact's phone is set (contacts API, custom phone
 * fields, shortcut forms, workflow steps and answers): one without its country code is read in
 * the workspace's default country. Undefined when that reading does not apply (an international
 * number, no default country, empty, over 40 characters): the caller's international check
 * (normalizePhone, E164) answers then, in its own words.
 */
export function nationalReading(raw: string, defaultCountry: string | null | undefined): PhoneMatch | undefined {
  const text = raw.trim();
  if (!defaultCountry || !text || isInternational(text) || text.length > 40) return undefined;
  return matchablePhone(text, defaultCountry);
}

// National format ("(415) 555-0123", "06 12 34 56 78"): the workspace's country, never a guess.
function nationalNumber(text: string, country: CountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(text, country);
  return parsed?.isValid() && E164_SHAPE.test(parsed.number) ? parsed.number : undefined;
}

/**
 * "4915112345678" with the workspace in DE: the country's own calling code without its "+", as
 * Excel leaves "+49 151 …" once it has read the cell as a number. Read nationally it would be
 * +49 4915… (Germany's numbering plan takes it), another person. Only the default country's code,
 * and only when the international reading is a valid number of that country.
 */
function callingCodeWithoutPlus(text: string, country: CountryCode): string | undefined {
  const digits = text.replace(SEPARATORS, '');
  if (!/^[1-9]\d+$/.test(digits) || !digits.startsWith(getCountryCallingCode(country))) return undefined;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed?.isValid() && parsed.countryCallingCode === getCountryCallingCode(country) && E164_SHAPE.test(parsed.number) ? parsed.number : undefined;
}

/**
 * The contacts API's message for the number (what to fix: lib/contracts/common.ts), and for a
 * national number what the default country did. Only on the error path.
 */
export function phoneHint(raw: string, defaultCountry: string | null | undefined): string {
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  // With a default country a national number is read, not refused: the message says it was tried.
  if (defaultCountry) {
    return `"${shown}" is not a phone number: it has no country code (+ and the code, e.g. +49 151 1234 5678), and it is not a valid ${defaultCountry} number either (the workspace's default country)`;
  }
  const checked = normalizePhone(raw.replace(EXTENSION, ''));
  const hint = checked.ok ? PHONE_FORMAT_HINT : checked.message;
  if (defaultCountry === undefined) return `"${shown}" is not a phone number: ${hint}`;
  return `"${shown}" is not a phone number: ${hint}; numbers without a country code need the workspace's default country (PUT /api/v1/settings/default-country)`;
}
