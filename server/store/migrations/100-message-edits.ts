import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A customer can edit a message they sent (Messenger `message_edits`, WhatsApp `edit`): the
// message then reads as edited, its text the latest, with what it said before (JSON, oldest first,
// lib/contracts/conversations.ts MessageEdits). Null on nearly every message: no cost to the rest.
export const messageEdits: Migration = {
  async up(db: Kysely<any>) {
    // Text compares bytes on PostgreSQL (migration 066), as SQLite's BINARY does.
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text COLLATE "C"` : 'text';
    await db.schema.alterTable('messages').addColumn('edits', text).execute();
  },
};
