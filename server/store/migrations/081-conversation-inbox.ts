import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Where a conversation lives, beyond its connection (server/domain/conversation-place.ts): a
// Chatwoot conversation's inbox there (`inbox_external_id`, `inbox_name`) and, for any
// conversation on a connection, its channel in one word (`channel_type`: whatsapp, web, email…),
// so workflows can tell a WhatsApp conversation from a website chat. Conversations on the
// companion's own WhatsApp numbers and Pages take their connection's kind now; Chatwoot ones are
// filled by the account's next sync (or delivery); the built-in inbox's need none (no connection).
export const conversationInbox: Migration = {
  async up(db: Kysely<any>) {
    // Text compares bytes on PostgreSQL (migration 066), as SQLite's BINARY does.
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text COLLATE "C"` : 'text';
    for (const column of ['inbox_external_id', 'inbox_name', 'channel_type']) {
      await db.schema.alterTable('conversations').addColumn(column, text).execute();
    }
    await sql`UPDATE conversations SET channel_type = (SELECT kind FROM connections WHERE connections.id = conversations.connection_id)
      WHERE connection_id IN (SELECT id FROM connections WHERE kind IN ('whatsapp', 'messenger'))`.execute(db);
  },
};
