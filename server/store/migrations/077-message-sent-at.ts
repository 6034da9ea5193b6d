import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A message's `created_at` is when it reached the companion; `sent_at` when the customer sent it
// by Meta's clock (inbound WhatsApp / Messenger only). Meta redelivers for days after an outage:
// stored under Meta's time, a new conversation's first message dated yesterday put it at the
// bottom of the inbox (the list orders by last_message_at, which the 068/073 trigger copies from
// created_at). Chatwoot dates an incoming WhatsApp message on receipt too. The 24-hour window
// still counts from `sent_at` (server/channels/window.ts). Older rows keep Meta's time in
// created_at and no sent_at, which reads the same there: nothing to copy.
// `data`: what the customer sent beyond its text, as JSON (a WhatsApp Flow's answer fields, a
// shared contact card, an order), for the API and its readers.
export const messageSentAt: Migration = {
  async up(db: Kysely<any>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    // Text compares bytes (migration 066): a new text column says so on PostgreSQL.
    if (postgres) {
      await sql`ALTER TABLE messages ADD COLUMN sent_at text COLLATE "C"`.execute(db);
      await sql`ALTER TABLE messages ADD COLUMN data text COLLATE "C"`.execute(db);
    } else {
      await db.schema.alterTable('messages').addColumn('sent_at', 'text').execute();
      await db.schema.alterTable('messages').addColumn('data', 'text').execute();
    }
  },
};
