import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A thread reads in the order things were said, which is not always the order they reached us.
// `created_at` stays arrival (migration 077: the list's activity, the 068/073 trigger, unread
// counts), and `thread_at`, set only where the two part, says where a message sits:
// - a customer's message Meta delivered out of order (its webhooks promise no order) sits where
//   they sent it, never above what had been in the thread for 10 minutes when it arrived
//   (domain/thread-place.ts);
// - a reply sent again (Resend) sits where it went out again, as the customer sees it.
// Threads are read by (COALESCE(thread_at, created_at), id): this index, a range of it per page
// (domain/message-page.ts). messages_by_conversation_time (089) stays for what reads messages by
// arrival (unread counts). Nothing to backfill: null is created_at.
export const messageThreadOrder: Migration = {
  async up(db: Kysely<any>) {
    // Text compares bytes on PostgreSQL (migration 066), as SQLite's BINARY does.
    if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`ALTER TABLE messages ADD COLUMN thread_at text COLLATE "C"`.execute(db);
    else await db.schema.alterTable('messages').addColumn('thread_at', 'text').execute();
    await sql`CREATE INDEX messages_by_thread_order ON messages (conversation_id, (COALESCE(thread_at, created_at)), id)`.execute(db);
  },
};
