import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { FieldValue } from '../../lib/contracts/contacts';
import { coerceFieldValue } from '../../lib/workflow/field-values';
import { unprocessable } from '../http-error';
import { isPostgres, type Executor } from '../store/database';
import { cachedDefaultCountry } from './default-country';
import { listFields } from './fields';

// Contacts by a custom field's value, read from an index (migration 086): PostgreSQL's GIN index
// of the fields as jsonb, SQLite's contact_field_values rows kept by triggers. One lookup for the
// contacts list's filter and for an import's match by field (import-match.ts).

type Value = Exclude<FieldValue, null>;

/** A value as contact_field_values holds it (SQLite): numbers as numbers, booleans as 'true' / 'false'. */
const stored = (value: Value) => (typeof value === 'boolean' ? String(value) : value);

/** The contacts (`contacts.id`) whose field `key` holds `value` exactly (its JSON type too), as a filter of a contacts query. */
export function contactHolds(db: Executor, key: string, value: Value): RawBuilder<SqlBool> {
  if (isPostgres(db)) return sql<SqlBool>`${sql.ref('contacts.fields')}::jsonb @> ${JSON.stringify({ [key]: value })}::jsonb`;
  return sql<SqlBool>`${sql.ref('contacts.id')} IN (SELECT contact FROM contact_field_values WHERE key = ${key} AND value = ${stored(value)})`;
}

/**
 * The contacts whose text field `key` holds one of `values`, each with the value it holds: an
 * import's keys (up to thousands) in one statement. SQLite reads the list as one JSON parameter;
 * PostgreSQL probes the index once per value.
 */
export async function contactsHolding(db: Executor, key: string, values: readonly string[]): Promise<{ id: string; value: string }[]> {
  const rows = isPostgres(db)
    ? await sql<{ id: string; value: string }>`SELECT c.id, v.t AS value FROM unnest(${values}::text[]) v(t)
        JOIN contacts c ON c.fields::jsonb @> jsonb_build_object(${key}::text, v.t)`.execute(db)
    : await sql<{ id: string; value: string }>`SELECT contact AS id, value FROM contact_field_values
        WHERE key = ${key} AND value IN (SELECT value FROM json_each(${JSON.stringify(values)}))`.execute(db);
  return rows.rows;
}

/**
 * `?field=<key>&value=<text>` of GET /contacts: the value as the field stores it, read as a step
 * or an import reads it (a number field's "1,250.50", a checkbox's "yes", a list option in any
 * case, a phone as people write it), so the filter finds what was saved. An unknown key or a
 * value the field could never hold is a 422 saying so, not an empty page.
 */
export async function fieldFilterValue(db: Executor, key: string, text: string): Promise<Exclude<FieldValue, null>> {
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
