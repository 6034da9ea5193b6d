import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Regenerating an installed app's API key (server/apps/api-key.ts). `key_rotating_until` is held
// while a new key's subscribe request waits for the app's server, so a second rotation (or
// "revoke the previous keys") cannot revoke a key the app is being handed; it lapses by itself if
// the instance holding it stops. The keys a rotation replaced are found by installation: those
// still working until their `expires_at` (an unconfirmed rotation), revoked with the rest on uninstall.
export const appKeyRotation: Migration = {
  async up(db: Kysely<any>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      // Text compares bytes (migration 066): a new text column says so.
      await sql`ALTER TABLE installations ADD COLUMN key_rotating_until text COLLATE "C"`.execute(db);
    } else {
      await db.schema.alterTable('installations').addColumn('key_rotating_until', 'text').execute();
    }
    await db.schema.createIndex('tokens_by_installation').on('tokens').columns(['installation_id']).execute();
  },
};
