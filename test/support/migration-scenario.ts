import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { describe, it } from 'vitest';
import { migrations } from '../../server/store/migrations/index';
import { openSqlite } from '../../server/store/sqlite-adapter';
import { describePg, dropSchema, freshSchemaName, pgUrl } from './postgres';

/** Runs the migrations up to `last` (inclusive; all of them when undefined), as an older release left the database. */
export async function migrateUpTo(db: Kysely<any>, last: string | undefined, schema?: string) {
  const names = Object.keys(migrations).filter((n) => last === undefined || n <= last);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => Object.fromEntries(names.map((n) => [n, migrations[n]!])) }, allowUnorderedMigrations: true, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

/**
 * An upgrade scenario on a fresh SQLite database and, with TEST_DATABASE_URL, in a fresh
 * PostgreSQL schema (dropped afterwards): `scenario` gets the database (and the schema's name).
 */
export function onBothStores(migration: string, title: string, scenario: (db: Kysely<any>, schema?: string) => Promise<void>) {
  describe(`migration ${migration} on SQLite`, () => {
    it(title, async () => {
      const db = new Kysely<any>({ dialect: new SqliteDialect({ database: openSqlite(':memory:') }) });
      try { await scenario(db); } finally { await db.destroy(); }
    });
  });
  describePg(`migration ${migration} on PostgreSQL`, () => {
    it(title, async () => {
      const url = pgUrl()!;
      const schema = freshSchemaName();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`CREATE SCHEMA "${schema}"`);
      await client.end();
      const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` }) }) });
      try { await scenario(db, schema); } finally { await db.destroy(); await dropSchema(url, schema); }
    });
  });
}
