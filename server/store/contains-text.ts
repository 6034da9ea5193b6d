import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from './database';

/**
 * The case fold of search: every letter's lowercase (JavaScript's), accents kept ("muñoz" finds
 * "MUÑOZ", not "Munoz"), as Chatwoot's search, and Greek's final sigma as the other one: a capital
 * Σ lowercases to ς at the end of a word, so "ΠΑΠΑΣ" (folded "παπας") did not find "ΠΑΠΑΣΤΑΘΗΣ"
 * ("παπασταθης"). SQLite has it as the function search_fold (registered on each connection,
 * sqlite-adapter.ts); PostgreSQL as the collation search_fold (ICU's root locale, which lowercases
 * the same way: migration 090), the value's sigmas made σ first (containsText).
 */
export const searchFold = (text: string) => text.toLowerCase().replace(/ς/g, 'σ');

/**
 * `column` holds `text` anywhere, ignoring the case of every letter on both stores. "%" and "_"
 * are searched for as themselves (an email's "john_doe", a workflow's "100% refund"). A substring
 * reads every candidate row: callers bound it by an indexed filter or a small table, or read it once.
 *
 * SQLite's LIKE and PostgreSQL's ILIKE on COLLATE "C" columns fold A–Z, cheaply; the full fold
 * costs 3–5 times as much per row (a JavaScript call; ICU). So text that folds to ASCII is matched
 * that way (a value with a letter outside A–Z holds it exactly when its fold does, save the two
 * letters whose lowercase is ASCII: the Kelvin sign and "İ"), and other text only in the values
 * that hold a character beyond ASCII (more bytes than characters), which alone can hold it, with
 * the full fold: SQLite compares the folded value, PostgreSQL matches under the collation search_fold.
 */
export function containsText(dialect: Dialect, column: RawBuilder<unknown>, text: string): RawBuilder<SqlBool> {
  const pattern = searchFold(`%${text.replace(/[\\%_]/g, '\\$&')}%`);
  const op = dialect === 'postgres' ? sql`ILIKE` : sql`LIKE`;
  if (/^[\x00-\x7f]*$/.test(pattern)) return sql<SqlBool>`${column} ${op} ${pattern} ESCAPE '\\'`;
  const beyondAscii = sql`octet_length(${column}) > length(${column})`;
  // CASE: PostgreSQL keeps its order (it may reorder an AND's terms by cost).
  return dialect === 'postgres'
    ? sql<SqlBool>`CASE WHEN ${beyondAscii} THEN translate(${column}, 'Σς', 'σσ') ILIKE ${pattern} COLLATE search_fold ESCAPE '\\' ELSE false END`
    : sql<SqlBool>`(${beyondAscii} AND search_fold(${column}) LIKE ${pattern} ESCAPE '\\')`;
}
