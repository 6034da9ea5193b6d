// Checks of the values a WhatsApp template send takes, shared by the step's contract (a literal,
// when the workflow is saved) and the send (the rendered value, before the Graph call), so both
// refuse the same things with the same words.

/**
 * A coordinate in decimal degrees, or a template of ours that gives one at send time ({{$contact.fields.store_lat}}):
 * a literal is checked here, a template when the step runs.
 */
export const isCoordinate = (value: string, limit: number) => /^[+-]?\d{1,3}(\.\d+)?$/.test(value.trim()) && Math.abs(Number(value)) <= limit;

/**
 * An authentication template's one-time code: "Maximum 15 characters", and it goes in the body and
 * in the button (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/authentication-templates/copy-code-button-authentication-templates).
 * A limited-time offer's code has the same limit
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/limited-time-offer-templates).
 */
export const TEMPLATE_CODE_MAX = 15;

/**
 * When a limited-time offer ends, as Meta takes it: "Offer code expiration time as a UNIX timestamp
 * in milliseconds" (limited-time-offer-templates page above). We also read an ISO 8601 date and time
 * with its zone (2026-12-31T23:59:00Z, what a date field or `$system.now` holds). null: neither.
 */
export function offerExpiryMs(value: string): number | null {
  const v = value.trim();
  if (/^\d{13}$/.test(v)) return Number(v);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(v)) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

export const OFFER_EXPIRY_HINT = 'a date and time with its zone (2026-12-31T23:59:00Z) or a Unix time in milliseconds';

/** The JSON object text once rendered, or null when it is not one (a flow button's first-screen data). */
export function jsonObjectOf(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

/**
 * Whether a JSON text with placeholders of ours is a JSON object whatever the values: a
 * placeholder inside a string inserts text, one outside quotes a whole JSON value (as the send
 * renders it, lib/workflow/template.ts renderJsonTemplate), here stood in for by `null`.
 */
export function isJsonObjectTemplate(text: string): boolean {
  // One placeholder alone gives the whole object from a variable: checked once rendered.
  if (/^\{\{[^{}]+\}\}$/.test(text.trim())) return true;
  let filled = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const close = text.startsWith('{{', i) ? text.indexOf('}}', i + 2) : -1;
    if (close >= 0) {
      filled += inString ? 'x' : 'null';
      i = close + 1;
      continue;
    }
    const c = text[i]!;
    if (inString && c === '\\') {
      filled += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    filled += c;
  }
  return jsonObjectOf(filled) !== null;
}
