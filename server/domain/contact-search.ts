import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from '../store/database';
import { containsText } from '../store/contains-text';
import { otherForms } from './phone-forms';

/**
 * Whether the contact (the `contacts` table of the query) matches a search box's text: part of its
 * first or last name, its full name ("maria garc"), its email or its phone, ignoring case; a phone
 * typed with spaces, dashes, dots or parentheses ("600 111 222") matches the stored E.164 number.
 * A whole Mexican, Argentine or Brazilian mobile number finds the contact under its other form too.
 * "%" and "_" are searched for as themselves (an email's "john_doe"). The case of every letter is
 * ignored on both stores, accents are not (contains-text.ts). A substring search reads every
 * candidate row: callers bound it by an indexed filter or a page, or read it once (conversation-search.ts).
 */
export function contactMatches(dialect: Dialect, q: string): RawBuilder<SqlBool> {
  const like = (column: RawBuilder<unknown>, text: string) => containsText(dialect, column, text);
  const col = (name: string) => sql.ref(`contacts.${name}`);
  const terms = [
    like(col('first_name'), q), like(col('last_name'), q), like(col('email'), q), like(col('phone'), q),
    like(sql`${col('first_name')} || ' ' || ${col('last_name')}`, q),
  ];
  const digits = /^\+?[\d\s().-]+$/.test(q) ? q.replace(/[\s().-]/g, '') : '';
  if (/\d{3}/.test(digits) && digits !== q) terms.push(like(col('phone'), digits));
  // A whole number typed as WhatsApp shows it ("521 55 1234 5678") finds the contact stored in
  // E.164 (+52 55 1234 5678), and the other way round (phone-forms.ts): that number exactly, as
  // stored; a fragment ("521 55") is only searched for as typed.
  for (const form of otherForms(digits.replace(/^\+/, ''))) terms.push(sql<SqlBool>`${col('phone')} = ${`+${form}`}`);
  return sql<SqlBool>`(${sql.join(terms, sql` OR `)})`;
}
