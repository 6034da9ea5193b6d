import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A status webhook can arrive before the send that caused it has stored Meta's message id (Meta
// answers the send, then calls the webhook at once). Such a status waits here, keyed by Meta's id,
// and is applied when the id is stored; only the furthest status is kept.
export const earlyStatuses: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('early_delivery_statuses')
      .addColumn('external_id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
