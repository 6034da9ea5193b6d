import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Ads synced from the Marketing API: where an ad came from (`manual` or the linked ad account's
// connection id), whether it was created inside Instagram (not selectable), when it was synced.
export const adsSync: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('ads').addColumn('source', 'text', (c) => c.notNull().defaultTo('manual')).execute();
    await db.schema.alterTable('ads').addColumn('created_in_instagram', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('ads').addColumn('synced_at', 'text').execute();
  },
};
