import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Chatwoot mirror bookkeeping (the connection itself is a `connections` row of kind 'chatwoot').
// - chatwoot_deliveries: one row per webhook delivery handled (X-Chatwoot-Delivery, else a content
//   key), so a repeated delivery starts nothing twice.
// - chatwoot_objects: the last Chatwoot state applied per contact / conversation and the
//   `updated_at` it carried. Chatwoot builds payloads late and out of order: an older state never
//   overwrites a newer one, and the stored labels / attributes are what changes are diffed against
//   (webhook or REST reconcile alike). `companion_id` is the contact or conversation it maps to.
export const chatwoot: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('chatwoot_deliveries')
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('delivery_key', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('chatwoot_deliveries_pk', ['connection_id', 'delivery_key'])
      .execute();
    await db.schema.createTable('chatwoot_objects')
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('companion_id', 'text')
      .addColumn('version', 'double precision', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('chatwoot_objects_pk', ['connection_id', 'kind', 'external_id'])
      .execute();
  },
};
