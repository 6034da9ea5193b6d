import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Phone numbers arrive as people type them ("+1 (415) 555-0123", "0044 20 7946 0958",
 * "14155550123"). Contacts store E.164; this turns what arrived into E.164 when it can.
 */
export function toE164(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (!trimmed) return undefined;
  const candidate = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed.startsWith('+') ? trimmed : `+${trimmed}`;
  const parsed = parsePhoneNumberFromString(candidate.replace(/[^\d+]/g, ''));
  if (parsed?.number && /^\+[1-9]\d{6,14}$/.test(parsed.number)) return parsed.number;
  const digits = candidate.replace(/[^\d]/g, '');
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : undefined;
}
