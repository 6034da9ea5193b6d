import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// One sign-in for the built-in inbox: the extension asks for a one-time code (kept hashed here,
// valid a minute, used once) and the inbox page trades it for a login cookie. The cookie holds a
// user token like any other, revocable, but with an end: `expires_at` (null for ordinary tokens).
export const inboxSignIn: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('inbox_sign_in_codes')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('inbox_sign_in_codes_by_expiry').on('inbox_sign_in_codes').columns(['expires_at']).execute();
    await db.schema.alterTable('tokens').addColumn('expires_at', 'text').execute();
  },
};
