import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The settings key holding when this server began keeping what each user has read (domain/conversation-unread.ts). */
export const UNREAD_SINCE_KEY = 'unread_since';

// When each user last looked at each conversation (Chatwoot's agent_last_seen_at, kept per user
// as respond.io does): the list counts the customer's messages after it, so unread markers
// survive a reload and follow the user's other tabs. One row per user and conversation that user
// opened, written by an upsert that never moves it back. The primary key leads with the
// conversation: the list reads a row's by both columns, and a contact's erasure deletes by the
// conversation (delete-contact.ts finds every table with a conversation_id).
//
// Nothing is backfilled: before this, nothing said who had read what, and counting every old
// customer message as unread would mark every conversation for everyone at the upgrade. What
// came before now counts as seen (unread_since); a user made later starts from their creation.
export const conversationReads: Migration = {
  async up(db: Kysely<any>) {
    // Text compares bytes on PostgreSQL (migration 066), as SQLite's BINARY does.
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text COLLATE "C"` : 'text';
    await db.schema.createTable('conversation_reads')
      .addColumn('conversation_id', text, (c) => c.notNull())
      .addColumn('user_id', text, (c) => c.notNull())
      .addColumn('seen_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('conversation_reads_pkey', ['conversation_id', 'user_id'])
      .execute();
    const now = new Date().toISOString();
    await db.insertInto('settings').values({ key: UNREAD_SINCE_KEY, value: JSON.stringify(now), updated_at: now })
      .onConflict((oc) => oc.column('key').doNothing()).execute();
  },
};
