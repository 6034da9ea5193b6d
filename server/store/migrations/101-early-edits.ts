import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Meta promises no webhook order: a customer's edit can arrive before the message it edits. It
// waits with the early reactions (migration 098: same key, same 7 days, same housekeeping) and is
// applied when the message is stored. `edit`: null for a reaction; for an edit, its writer's id,
// new words and order (JSON, webhooks/meta-edit-apply.ts EditWords). It holds words the customer
// wrote, gone within the 7 days like every row here.
export const earlyEdits: Migration = {
  async up(db: Kysely<any>) {
    // Text compares bytes on PostgreSQL (migration 066), as SQLite's BINARY does.
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text COLLATE "C"` : 'text';
    await db.schema.alterTable('early_reactions').addColumn('edit', text).execute();
  },
};
