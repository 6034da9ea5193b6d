import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Activity lines (messages of kind `activity`: a workflow launched, retrying, failed or stopped, an
// agent taking over; server/domain/activity.ts) are not the conversation's latest message: the
// list keeps ordering and previewing by what the customer and agents wrote (Chatwoot's list skips
// activity messages too), and a workflow retrying in the night does not bring a conversation to
// the top. The trigger that keeps last_message_at / last_message_id (068, 073) now passes them by,
// and on PostgreSQL the conversation row is not even touched (no lock taken at the commit).
const LATER = sql.raw(`last_message_at IS NULL OR last_message_at < NEW.created_at
  OR (last_message_at = NEW.created_at AND (last_message_id IS NULL OR last_message_id < NEW.id))`);

export const activityMessages: Migration = {
  async up(db: Kysely<any>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`
        CREATE OR REPLACE FUNCTION conversations_last_message() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.kind = 'activity' THEN RETURN NULL; END IF;
          UPDATE conversations SET last_message_at = NEW.created_at, last_message_id = NEW.id
          WHERE id = NEW.conversation_id AND (${LATER});
          RETURN NULL;
        END $$`.execute(db);
    } else {
      await sql`DROP TRIGGER messages_set_last_message_at`.execute(db);
      await sql`
        CREATE TRIGGER messages_set_last_message_at AFTER INSERT ON messages FOR EACH ROW WHEN NEW.kind <> 'activity' BEGIN
          UPDATE conversations SET last_message_at = NEW.created_at, last_message_id = NEW.id
          WHERE id = NEW.conversation_id AND (${LATER});
        END`.execute(db);
    }
  },
};
