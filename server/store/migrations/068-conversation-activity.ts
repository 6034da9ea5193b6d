import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// The inbox lists conversations by last activity (their latest message, else when they were
// opened), newest first, a page at a time (GET /conversations, server/domain/conversation-list.ts).
// `last_message_at` is the created_at of a conversation's latest message, kept by the database
// itself on every insert into messages (whoever inserts: the API, a workflow step, a channel or
// Chatwoot webhook, a run round), never moved backwards (a channel message carries the customer's
// send time, which may be older). The index serves a tab's page and its order: status, then
// COALESCE(last_message_at, opened_at), then id, read backwards from a cursor; no message is read.
//
// PostgreSQL: the trigger is deferred to the commit, so the conversation row is locked last. A
// run round locks its contacts first (in id order), and a request that adds a customer's message
// then wakes the run waiting on their answer (question-replies.ts): locked at the insert, the
// conversation would be taken before that run, in the opposite order to the round.
export const conversationActivity: Migration = {
  async up(db: Kysely<any>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    if (postgres) {
      // Text compares bytes (migration 066): a new text column says so.
      await sql`ALTER TABLE conversations ADD COLUMN last_message_at text COLLATE "C"`.execute(db);
      await sql`
        UPDATE conversations c SET last_message_at = m.at
        FROM (SELECT conversation_id, max(created_at) AS at FROM messages GROUP BY conversation_id) m
        WHERE m.conversation_id = c.id`.execute(db);
      await sql`
        CREATE OR REPLACE FUNCTION conversations_last_message() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE conversations SET last_message_at = NEW.created_at
          WHERE id = NEW.conversation_id AND (last_message_at IS NULL OR last_message_at < NEW.created_at);
          RETURN NULL;
        END $$`.execute(db);
      await sql`
        CREATE CONSTRAINT TRIGGER messages_set_last_message_at AFTER INSERT ON messages
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION conversations_last_message()`.execute(db);
    } else {
      await db.schema.alterTable('conversations').addColumn('last_message_at', 'text').execute();
      await sql`
        UPDATE conversations SET last_message_at = (SELECT max(m.created_at) FROM messages m WHERE m.conversation_id = conversations.id)`.execute(db);
      await sql`
        CREATE TRIGGER messages_set_last_message_at AFTER INSERT ON messages FOR EACH ROW BEGIN
          UPDATE conversations SET last_message_at = NEW.created_at
          WHERE id = NEW.conversation_id AND (last_message_at IS NULL OR last_message_at < NEW.created_at);
        END`.execute(db);
    }
    // The same expression the list orders by (conversation-list.ts: activityAt).
    await sql`CREATE INDEX conversations_by_activity ON conversations (status, (COALESCE(last_message_at, opened_at)), id)`.execute(db);
  },
};
