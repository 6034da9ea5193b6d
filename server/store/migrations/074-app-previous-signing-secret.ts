import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A rotated signing secret keeps signing next to the new one for a while (Standard Webhooks
// allows several signatures in one header, Svix keeps the old one 24 hours), so an app's server
// that still holds the old secret goes on accepting our requests until it is given the new one.
// Sealed like signing_secret; no longer used once `previous_signing_secret_expires_at` is past.
export const appPreviousSigningSecret: Migration = {
  async up(db: Kysely<any>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    for (const column of ['previous_signing_secret', 'previous_signing_secret_expires_at']) {
      // Text compares bytes (migration 066): a new text column says so on PostgreSQL.
      if (postgres) await sql`ALTER TABLE apps ADD COLUMN ${sql.ref(column)} text COLLATE "C"`.execute(db);
      else await db.schema.alterTable('apps').addColumn(column, 'text').execute();
    }
  },
};
