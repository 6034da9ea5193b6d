import { sql } from 'kysely';
import type { Contact } from '../../lib/contracts/contacts';
import { columnArrays, insertFromColumns, insertParams, runShaped, toColumns } from '../store/compiled-sql';
import { isPostgres, toJson, type Executor } from '../store/database';
import type { ContactsTable } from '../store/schema';

// The writes of a contact import's part, a statement each for all its rows (PostgreSQL paid a
// round trip per row: 5,000 rows took 1.3-2.4 s where the database worked 90 ms). Any row the
// database refuses fails the statement: the caller undoes the part and imports it row by row.

/** Raised when a part's contacts cannot be written together as they would be one by one. */
export class PartRowByRow extends Error {}

/**
 * Writes what a part's rows did: the contacts it changed (`dirty`, as `written` holds them), then
 * those it created, as their last row of the part left them. Changes go first: a phone or email a
 * changed contact gave up may be a new contact's.
 */
export async function writeContactPart(db: Executor, created: readonly ContactsTable[], dirty: ReadonlyMap<string, string>, written: ReadonlyMap<string, Contact>) {
  const createdIds = new Set(created.map((r) => r.id));
  const changed = [...dirty].filter(([id]) => !createdIds.has(id)).map(([id, at]) => storedRow(written.get(id)!, at));
  if (changed.length > 0) await updateContacts(db, changed);
  // One column list for every row (createContact leaves out a lifecycle it has not got).
  const rows = created.map((row) => {
    const later = written.get(row.id);
    return later ? { ...storedRow(later, dirty.get(row.id)!), created_at: row.created_at } : { ...row, lifecycle: row.lifecycle ?? null };
  });
  if (rows.length > 0) await insertContacts(db, rows);
}

const storedRow = (c: Contact, updatedAt: string): ContactsTable => ({
  id: c.id, first_name: c.firstName, last_name: c.lastName, phone: c.phone, email: c.email,
  tags: toJson(c.tags), fields: toJson(c.fields), created_at: c.createdAt, updated_at: updatedAt, lifecycle: c.lifecycle ?? null,
});

async function insertContacts(db: Executor, rows: ContactsTable[]) {
  // PostgreSQL: one array per column, one text (one plan) for any count.
  const columns = isPostgres(db) ? columnArrays(rows) : undefined;
  const shaped = columns ? undefined : insertParams(rows);
  if (columns) await runShaped(db, `insert:contacts:columns:${columns.names}`, columns.arrays, () => insertFromColumns('contacts', columns));
  else if (shaped) await runShaped(db, `insert:contacts:${rows.length}:${shaped.columns}`, shaped.params, () => db.insertInto('contacts').values(rows));
  else await db.insertInto('contacts').values(rows).execute();
}

async function updateContacts(db: Executor, rows: ContactsTable[]) {
  const values = rows.map((r) => [r.id, r.first_name, r.last_name, r.phone, r.email, r.lifecycle ?? null, r.tags, r.fields, r.updated_at]);
  const postgres = isPostgres(db);
  const params = postgres ? toColumns(values) : values.flat();
  const source = () => postgres
    ? sql`SELECT * FROM unnest(${sql.join(params.map((column) => sql`${column}::text[]`))})`
    : sql`VALUES ${sql.join(values.map((row) => sql`(${sql.join(row.map((v) => sql`CAST(${v} AS TEXT)`))})`))}`;
  const updated = await runShaped<{ id: string }>(db, `importContacts:update:${postgres ? 'columns' : values.length}`, params, () => sql<{ id: string }>`
    WITH v(id, first_name, last_name, phone, email, lifecycle, tags, fields, updated_at) AS (${source()})
    UPDATE contacts SET first_name = v.first_name, last_name = v.last_name, phone = v.phone, email = v.email, lifecycle = v.lifecycle,
      tags = v.tags, fields = v.fields, updated_at = v.updated_at
    FROM v WHERE contacts.id = v.id RETURNING contacts.id`);
  // Deleted since the part read them (they are locked: not expected), each row says so on its own.
  if (updated.length !== rows.length) throw new PartRowByRow('a contact of the part is gone');
}
