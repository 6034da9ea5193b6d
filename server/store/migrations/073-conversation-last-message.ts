import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// The inbox list previews each conversation's latest message (Chatwoot's list does), not its
// first customer message. `last_message_id` names it, kept by the trigger that keeps
// last_message_at (068), in the same statement: whoever inserts a message (API, steps, channel
// and Chatwoot ingest, run rounds) keeps it, and the list reads it by primary key, one lookup per
// row of the page, never a conversation's messages. The latest is by created_at, then id (two
// messages in one millisecond), never moved back by a message sent earlier that arrives later.
const LATER = sql.raw(`last_message_at IS NULL OR last_message_at < NEW.created_at
  OR (last_message_at = NEW.created_at AND (last_message_id IS NULL OR last_message_id < NEW.id))`);

export const conversationLastMessage: Migration = {
  async up(db: Kysely<any>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    if (postgres) {
      // Text compares bytes (migration 066): a new text column says so.
      await sql`ALTER TABLE conversations ADD COLUMN last_message_id text COLLATE "C"`.execute(db);
      await sql`
        UPDATE conversations c SET last_message_id = m.id
        FROM (SELECT DISTINCT ON (conversation_id) conversation_id, id FROM messages ORDER BY conversation_id, created_at DESC, id DESC) m
        WHERE m.conversation_id = c.id`.execute(db);
      // The trigger (deferred to the commit, 068) stays; its function now keeps both columns.
      await sql`
        CREATE OR REPLACE FUNCTION conversations_last_message() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE conversations SET last_message_at = NEW.created_at, last_message_id = NEW.id
          WHERE id = NEW.conversation_id AND (${LATER});
          RETURN NULL;
        END $$`.execute(db);
    } else {
      await db.schema.alterTable('conversations').addColumn('last_message_id', 'text').execute();
      await sql`
        UPDATE conversations SET last_message_id = (
          SELECT m.id FROM messages m WHERE m.conversation_id = conversations.id ORDER BY m.created_at DESC, m.id DESC LIMIT 1)
        WHERE last_message_at IS NOT NULL`.execute(db);
      await sql`DROP TRIGGER messages_set_last_message_at`.execute(db);
      await sql`
        CREATE TRIGGER messages_set_last_message_at AFTER INSERT ON messages FOR EACH ROW BEGIN
          UPDATE conversations SET last_message_at = NEW.created_at, last_message_id = NEW.id
          WHERE id = NEW.conversation_id AND (${LATER});
        END`.execute(db);
    }
  },
};
