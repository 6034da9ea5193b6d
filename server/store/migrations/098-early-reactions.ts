import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Meta does not promise webhooks in order: a customer's reaction can arrive before the message it
// reacts to (the customer's own, or our send whose wamid is not stored yet). It waits here, by its
// delivery key, and is shown when the message is stored (webhooks/early-reactions.ts); one whose
// message never comes (another tool's) goes after 7 days (housekeeping). Only the emoji is kept:
// nothing here names the person, so a contact's erasure has nothing to find.
export const earlyReactions: Migration = {
  async up(db: Kysely<any>) {
    // Text compares bytes on PostgreSQL (migration 066), as SQLite's BINARY does.
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text COLLATE "C"` : 'text';
    await db.schema.createTable('early_reactions')
      .addColumn('dedupe_key', text, (c) => c.primaryKey())
      .addColumn('connection_id', text, (c) => c.notNull())
      .addColumn('target_id', text, (c) => c.notNull())
      .addColumn('emoji', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('early_reactions_target').on('early_reactions').columns(['connection_id', 'target_id']).execute();
  },
};
