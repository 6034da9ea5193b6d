import type { FieldDefinition, FieldValue } from '../contracts/contacts';
import { readAnswerDate, type DateOrder } from './answer-dates';
import { coerceFieldValue, quoted } from './field-values';

// Spreadsheet cells as an import reads them: exported by another tool (respond.io, Chatwoot, a
// CRM) or saved from Excel, so written as people write, not as the API stores. Dates follow the
// workspace's default country as Ask a Question's answers do; a website without its scheme gets
// https://; a phone without a country code is read in the default country as webhooks read it.
// Everything else as workflows read text into a field (coerceFieldValue).

export interface CellReading {
  /** Day or month first in "03/04/2024" (dateOrderOf the workspace's default country). */
  dateOrder: DateOrder;
  /** The country of phone numbers written without a country code; null: they need one. */
  phoneCountry: string | null;
}

/** `httpsAdded`: a website written without its scheme, saved with https:// in front. */
export type CellValue = { value: FieldValue; httpsAdded?: true } | { error: string };

/** A cell's text as the value `def` stores, or why it cannot be. */
export function readCell(def: FieldDefinition, text: string, reading: CellReading): CellValue {
  const raw = text.trim();
  if (raw === '') return { value: null };
  switch (def.type) {
    case 'date': {
      const date = readImportDate(raw, reading.dateOrder);
      return 'date' in date ? { value: date.date } : { error: date.error };
    }
    case 'url': {
      const url = websiteWithScheme(raw);
      if (url !== raw && url !== undefined) return { value: url, httpsAdded: true };
      break;
    }
  }
  // A phone without its country code in the default country: the contacts API's one rule (national-phone.ts).
  return coerceFieldValue(def, raw, reading.phoneCountry);
}

/**
 * A date cell: YYYY-MM-DD (a time after it, "2024-03-15T10:00:00Z" or "2024-03-15 10:00", is
 * dropped), or day and month in the workspace's order as Ask a Question reads them.
 */
export function readImportDate(raw: string, order: DateOrder): { date: string } | { error: string } {
  const stamp = /^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}/.exec(raw);
  const reading = readAnswerDate(stamp ? stamp[1]! : raw, order);
  if ('date' in reading) return reading;
  const format = order === 'month-first' ? 'MM/DD/YYYY' : 'DD/MM/YYYY';
  return { error: `${quoted(raw)} is ${reading.problem}: write it as ${format} (the workspace's default country's order) or YYYY-MM-DD` };
}

const SCHEME = /^[a-z][a-z0-9+.-]*:(?!\d)/i;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * "acme.io", "www.acme.io/pricing" → "https://acme.io", …: what a website column of an export
 * holds. Only when the text is a host name with a top-level domain (and maybe a port, path or
 * query); an address with another scheme (mailto:, ftp:) or an email is left as it is, for the
 * field's own check to refuse. An http(s) URL comes back unchanged; undefined when none fits.
 */
export function websiteWithScheme(raw: string): string | undefined {
  if (/^https?:\/\/\S+$/i.test(raw)) return raw;
  if (SCHEME.test(raw) || /\s/.test(raw) || raw.startsWith('/')) return undefined;
  let url: URL;
  try {
    url = new URL(`https://${raw}`);
  } catch {
    return undefined;
  }
  const labels = url.hostname.split('.');
  if (url.username || url.password || labels.length < 2 || labels.some((l) => l === '')) return undefined;
  return TOP_LEVEL.test(labels[labels.length - 1]!) ? `https://${raw}` : undefined;
}

/**
 * A lifecycle stage as written, as the stage in settings with that name in any case ("customer"
 * is "Customer"), or why none is: the import page and POST /contacts/import read it alike.
 */
export function lifecycleStage(raw: string, stages: readonly string[]): { stage: string } | { error: string } {
  const wanted = raw.trim().toLowerCase();
  const stage = stages.find((s) => s.toLowerCase() === wanted);
  if (stage) return { stage };
  return { error: stages.length === 0
    ? 'There are no lifecycle stages yet; define them under Settings → Lifecycle stages first'
    : `Unknown lifecycle stage ${quoted(raw.trim())}; use one of: ${stages.join(', ')}` };
}
