import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Every text column compares bytes (COLLATE "C"), as SQLite's BINARY does. Columns declared
// without a collation take the database's: on a C.UTF-8 or en_US.UTF-8 database each index
// comparison went through strcoll (a copy of both strings, then the locale's rules), and the
// engine's hot statements compare ids, statuses and timestamps in indexes all the time. The
// engine's pair probe over 20,000 runs: ~15-20 % faster than on C.UTF-8, about half the time of
// an en-US collation (bench/RESULTS.md, fifteenth session). Orders are the same as on SQLite now
// (ids, ISO timestamps and names sort by bytes on both stores).
//
// All text columns, not only the indexed ones: a join of a "C" column with a default-collation
// one compares in "C", and an index of the other collation cannot serve it (PostgreSQL matches
// an index's collation exactly). A later migration's text column must say COLLATE "C" too
// (test/integration/migration-text-collation.pg.test.ts fails otherwise). Only the collation changes:
// no table is rewritten; each index on a changed column is rebuilt.
export const textCollationC: Migration = {
  async up(db: Kysely<any>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns c
      WHERE c.table_schema = current_schema() AND c.data_type = 'text' AND c.collation_name IS DISTINCT FROM 'C'
        AND c.table_name NOT LIKE 'kysely\\_%'
        AND EXISTS (SELECT 1 FROM information_schema.tables t WHERE t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE')
      ORDER BY table_name, ordinal_position`.execute(db);
    const byTable = new Map<string, string[]>();
    for (const r of rows) byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r.column_name]);
    for (const [table, columns] of byTable) {
      // One statement per table: its indexes are rebuilt once, not once per column.
      await sql`ALTER TABLE ${sql.table(table)} ${sql.join(columns.map((c) => sql`ALTER COLUMN ${sql.ref(c)} TYPE text COLLATE "C"`))}`.execute(db);
    }
  },
};
