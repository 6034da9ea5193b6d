import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Each registered app gets its own Standard Webhooks secret for the requests we send it. */
export const appSigningSecrets: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('apps').addColumn('signing_secret', 'text', (c) => c.notNull().defaultTo('')).execute();
  },
};
