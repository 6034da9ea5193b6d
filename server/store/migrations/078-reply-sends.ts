import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// An agent's reply through a WhatsApp / Messenger channel, kept beside its message (by the send
// key the message carries) for what happens after the request: a try later when Meta was
// throttling or down (`next_attempt_at`, `tries`: the background retries, as a workflow's step is
// tried again), and Resend by a person after it failed (`spec`: the text or template the agent
// sent, planned again against the window at each try; `resend_key`: the last Resend request's
// Idempotency-Key, so a double click sends once). `conversation_id` lets a contact's erasure find
// it with the conversation's other rows.
export const replySends: Migration = {
  async up(db: Kysely<any>) {
    // Text compares bytes on PostgreSQL (migration 066), as SQLite's BINARY does.
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text COLLATE "C"` : 'text';
    await db.schema.createTable('reply_sends')
      .addColumn('send_key', text, (c) => c.primaryKey())
      .addColumn('conversation_id', text, (c) => c.notNull())
      .addColumn('spec', text, (c) => c.notNull())
      .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', text)
      .addColumn('resend_key', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    // Only the few that wait for a try are indexed.
    await sql`CREATE INDEX reply_sends_due ON reply_sends (next_attempt_at) WHERE next_attempt_at IS NOT NULL`.execute(db);
  },
};
