// Dates as customers type them in a reply. "03/04/2026" is 4 March in most of the world and
// 3 April in the United States, so the order comes from the workspace's default country (the
// one phone numbers without a country code use) rather than a guess: month first where that is
// how people write dates (the US and the places that follow its usage), day first elsewhere and
// when no country is set. ISO (2026-04-03) is read the same everywhere.

/**
 * ISO 3166-1 codes of the countries where all-numeric dates are written month first: the United
 * States and its territories, and the Pacific states and the Philippines that follow US usage.
 * Canada is left out: it writes all three orders and its government recommends YYYY-MM-DD.
 */
export const MONTH_FIRST_COUNTRIES: readonly string[] = ['US', 'AS', 'GU', 'MP', 'PR', 'UM', 'VI', 'FM', 'MH', 'PW', 'PH'];

export type DateOrder = 'month-first' | 'day-first';

export const dateOrderOf = (country: string | null | undefined): DateOrder =>
  country && MONTH_FIRST_COUNTRIES.includes(country.toUpperCase()) ? 'month-first' : 'day-first';

/** How to write a date in this order, for the customer asked again. */
export const dateFormatHint = (order: DateOrder) => order === 'month-first'
  ? 'Please write the date as MM/DD/YYYY (e.g. 12/24/2026) or YYYY-MM-DD (2026-12-24).'
  : 'Please write the date as DD/MM/YYYY (e.g. 24/12/2026) or YYYY-MM-DD (2026-12-24).';

export type DateReading = { date: string } | { problem: string };

/** A reply as a calendar date YYYY-MM-DD: ISO, or day and month in `order` with "/", "." or "-" and a four-digit year. */
export function readAnswerDate(text: string, order: DateOrder): DateReading {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const written = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(text);
  let parts: [string, string, string] | undefined;
  if (iso) parts = [iso[1]!, iso[2]!, iso[3]!];
  else if (written) parts = order === 'month-first' ? [written[4]!, written[1]!, written[3]!] : [written[4]!, written[3]!, written[1]!];
  if (!parts) return { problem: 'not a date' };
  const [y, m, d] = parts;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  // `new Date` rolls 02/30 over into March: a date that does not come back as written is no date.
  if (Number.isNaN(parsed.getTime()) || !parsed.toISOString().startsWith(date)) {
    return { problem: iso ? 'not a real date' : `not a real date (read ${order}: month ${Number(m)}, day ${Number(d)})` };
  }
  return { date };
}
