import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Contacts reached through a channel that has its own ids (Messenger PSIDs): the id maps to the contact.
export const channelIdentities: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('channel_identities')
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('channel_identities_pk', ['channel', 'external_id'])
      .execute();
  },
};
