import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Users are deactivated, never deleted (their messages, assignments, runs and events name them):
// `deactivated_at` set means their tokens and inbox sessions are refused, they cannot be assigned,
// and they are listed as deactivated. Null: active.
export const userDeactivation: Migration = {
  async up(db: Kysely<any>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      // Text compares bytes (migration 066): a new text column says so.
      await sql`ALTER TABLE users ADD COLUMN deactivated_at text COLLATE "C"`.execute(db);
    } else {
      await db.schema.alterTable('users').addColumn('deactivated_at', 'text').execute();
    }
    // A user's tokens, revoked together when the user is deactivated or gets a new token.
    await db.schema.createIndex('tokens_by_user').on('tokens').columns(['user_id']).execute();
  },
};
