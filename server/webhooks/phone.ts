import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { normalizePhone, PHONE_FORMAT_HINT } from '../../lib/contracts/common';

const E164_SHAPE = /^\+[1-9]\d{6,14}$/;
// "ext. 12", "x12", "#12", ";ext=12" at the end: an extension reaches a desk, not a person's number.
const EXTENSION = /\s*(?:;\s*ext=|(?:ext\.?|extension|x|#)\s*)\d{1,10}\s*$/i;

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

/** A phone number as a webhook sender wrote it, ready to match a contact, or why it cannot be. */
export function matchablePhone(raw: string, defaultCountry: string | null): PhoneMatch {
  const text = raw.trim().replace(EXTENSION, '');
  const international = text.startsWith('+') || text.startsWith('00');
  if (international) {
    const phone = toE164(text);
    if (phone) return { phone };
  } else if (defaultCountry && isSupportedCountry(defaultCountry)) {
    // National format ("(415) 555-0123", "06 12 34 56 78"): the workspace's country, never a guess.
    const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode);
    if (parsed?.isValid() && E164_SHAPE.test(parsed.number)) return { phone: parsed.number };
  }
  return { error: phoneHint(raw, international ? undefined : defaultCountry) };
}

/**
 * The contacts API's message for the number (what to fix: lib/contracts/common.ts), and for a
 * national number what the default country did. Only on the error path.
 */
export function phoneHint(raw: string, defaultCountry: string | null | undefined): string {
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  const checked = normalizePhone(raw.replace(EXTENSION, ''));
  const hint = checked.ok ? PHONE_FORMAT_HINT : checked.message;
  if (defaultCountry === undefined) return `"${shown}" is not a phone number: ${hint}`;
  const national = defaultCountry
    ? `it is not a valid ${defaultCountry} number either (the workspace's default country)`
    : 'numbers without a country code need the workspace\'s default country (PUT /api/v1/settings/default-country)';
  return `"${shown}" is not a phone number: ${hint}; ${national}`;
}
