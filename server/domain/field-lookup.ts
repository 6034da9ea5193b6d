import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { FieldValue } from '../../lib/contracts/contacts';
import { coerceFieldValue } from '../../lib/workflow/field-values';
import { unprocessable } from '../http-error';
import { isPostgres, type Executor } from '../store/database';
import { cachedDefaultCountry } from './default-country';
import { listFields } from './fields';

// Contacts by a custom field's value. Fields are JSON text in `contacts.fields` with no index of
// their own: a GIN index (PostgreSQL) or a trigger-kept value table (SQLite) would cost every
// contact write, run rounds' Update Contact Field and tag steps included (measured +10 µs per
// field change on ~100-150 µs per run), for a lookup admins make now and then. So a lookup reads
// the contacts once (16-48 ms among 60,000 on this machine): one statement for the contacts list's
// filter, one for all of an import's keys (import-match.ts), never one per row.

type Value = Exclude<FieldValue, null>;

const path = (key: string) => `$.${JSON.stringify(key)}`;

/** The contacts (`contacts.id`) whose field `key` holds `value` exactly (its JSON type too), as a filter of a contacts query. */
export function contactHolds(db: Executor, key: string, value: Value): RawBuilder<SqlBool> {
  if (isPostgres(db)) return sql<SqlBool>`${sql.ref('contacts.fields')}::jsonb @> ${JSON.stringify({ [key]: value })}::jsonb`;
  const fields = sql.ref('contacts.fields');
  // json_extract reads true as 1: a checkbox's value is told by its JSON type.
  if (typeof value === 'boolean') return sql<SqlBool>`json_type(${fields}, ${path(key)}) = ${value ? 'true' : 'false'}`;
  const type = typeof value === 'number' ? sql`IN ('integer', 'real')` : sql`= 'text'`;
  return sql<SqlBool>`(json_type(${fields}, ${path(key)}) ${type} AND json_extract(${fields}, ${path(key)}) = ${value})`;
}

/**
 * The contacts whose text field `key` holds one of `values`, each with the value it holds: an
 * import's keys (up to thousands) in one statement, one pass over the contacts.
 */
export async function contactsHolding(db: Executor, key: string, values: readonly string[]): Promise<{ id: string; value: string }[]> {
  const rows = isPostgres(db)
    ? await sql<{ id: string; value: string }>`SELECT id, fields::jsonb ->> ${key}::text AS value FROM contacts
        WHERE jsonb_typeof(fields::jsonb -> ${key}::text) = 'string' AND fields::jsonb ->> ${key}::text = ANY(${values}::text[])`.execute(db)
    : await sql<{ id: string; value: string }>`SELECT id, json_extract(fields, ${path(key)}) AS value FROM contacts
        WHERE json_type(fields, ${path(key)}) = 'text' AND json_extract(fields, ${path(key)}) IN (SELECT value FROM json_each(${JSON.stringify(values)}))`.execute(db);
  return rows.rows;
}

/**
 * `?field=<key>&value=<text>` of GET /contacts: the value as the field stores it, read as a step
 * or an import reads it (a number field's "1,250.50", a checkbox's "yes", a list option in any
 * case, a phone as people write it), so the filter finds what was saved. An unknown key or a
 * value the field could never hold is a 422 saying so, not an empty page.
 */
export async function fieldFilterValue(db: Executor, key: string, text: string): Promise<Value> {
  const def = (await listFields(db)).find((f) => f.key === key);
  if (!def) {
    throw unprocessable(`There is no custom field "${key}": give the key of one of GET /fields (e.g. order_id)`,
      [{ path: 'querystring.field', message: 'Unknown field' }]);
  }
  const read = coerceFieldValue(def, text, def.type === 'phone' ? await cachedDefaultCountry(db) : null);
  if ('error' in read || read.value === null) {
    const why = 'error' in read ? read.error : 'give the value to find';
    throw unprocessable(`"${key}" is a ${def.type} field: ${why}`, [{ path: 'querystring.value', message: why }]);
  }
  return read.value;
}
