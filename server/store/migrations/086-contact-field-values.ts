import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Finding contacts by a custom field's value (GET /contacts?field=&value=, an import matching by
// a field): `contacts.fields` is one JSON text per contact, so each lookup read every contact
// (60,000: 16-48 ms, growing with the list). Now a lookup is a range of an index, on each store
// the cheapest one to keep up to date (measured per contact write that changes its fields):
//
// - PostgreSQL: a GIN index of the fields as jsonb (jsonb_path_ops: one hashed entry per key and
//   value, so a 10,000-character value fits), searched with `@>`. About 10 µs per write with its
//   pending list (fastupdate), 30-40 µs without; a trigger keeping a table of values cost 60-90 µs
//   (plpgsql) on every write that changes a field, run rounds' included.
// - SQLite has no such index: `contact_field_values` holds one row per contact and field with a
//   value, kept by triggers on every write of `fields` (API, steps, imports, run rounds, Chatwoot
//   sync, merges, a field's deletion: no writer can forget it), read by its (key, value) index.
//   About 10 µs per write of a contact with 5 fields, 40 µs with 40. The update trigger fires only
//   when `fields` changes: a round that changes a tag or a name writes nothing here. Its column is
//   `contact`, not `contact_id`: merge and erase visit every `contact_id` table (store/catalog.ts)
//   and would move or count rows the triggers already keep. Values keep their JSON type (text,
//   integer, real; true and false as 'true' / 'false'); null and anything else has no row.

/** SQLite: a contact's field values as `j` (FROM), each value as stored here (VALUE), only values (KINDS). */
const eachField = (fields: string) =>
  sql.raw(`json_each(CASE WHEN json_valid(${fields}) THEN CASE WHEN json_type(${fields}) = 'object' THEN ${fields} END END) j`);
const VALUE = sql.raw(`CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE j.value END`);
const KINDS = sql.raw(`j.type IN ('text', 'integer', 'real', 'true', 'false')`);

export const contactFieldValues: Migration = {
  async up(db: Kysely<any>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`CREATE INDEX contacts_by_field_values ON contacts USING gin ((fields::jsonb) jsonb_path_ops)`.execute(db);
      return;
    }
    // No type on `value`: SQLite keeps each value's own (text, integer, real), as json_each gives it.
    await sql`CREATE TABLE contact_field_values (contact TEXT NOT NULL, key TEXT NOT NULL, value NOT NULL, PRIMARY KEY (contact, key)) WITHOUT ROWID`.execute(db);
    await sql`CREATE TRIGGER contacts_field_values_insert AFTER INSERT ON contacts BEGIN
        INSERT INTO contact_field_values (contact, key, value) SELECT NEW.id, j.key, ${VALUE} FROM ${eachField('NEW.fields')} WHERE ${KINDS};
      END`.execute(db);
    await sql`CREATE TRIGGER contacts_field_values_update AFTER UPDATE OF fields ON contacts WHEN OLD.fields IS NOT NEW.fields BEGIN
        DELETE FROM contact_field_values WHERE contact = NEW.id AND key NOT IN (SELECT j.key FROM ${eachField('NEW.fields')} WHERE ${KINDS});
        INSERT INTO contact_field_values (contact, key, value) SELECT NEW.id, j.key, ${VALUE} FROM ${eachField('NEW.fields')} WHERE ${KINDS}
          ON CONFLICT (contact, key) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value;
      END`.execute(db);
    await sql`CREATE TRIGGER contacts_field_values_delete AFTER DELETE ON contacts BEGIN
        DELETE FROM contact_field_values WHERE contact = OLD.id;
      END`.execute(db);
    await sql`INSERT INTO contact_field_values (contact, key, value) SELECT c.id, j.key, ${VALUE} FROM contacts c, ${eachField('c.fields')} WHERE ${KINDS}`.execute(db);
    // The primary key's columns follow in every entry: a value's contacts come in id order.
    await sql`CREATE INDEX contact_field_values_by_value ON contact_field_values (key, value)`.execute(db);
  },
};
