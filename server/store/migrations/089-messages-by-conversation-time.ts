import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A thread is read a page at a time in its order, (created_at, id) (domain/message-page.ts: the
// latest 50 in GET /conversations/:id, older pages in GET /conversations/:id/messages). The only
// index was (conversation_id, id), and ids are not the thread's order (a moved activity line keeps
// its id), so each page sorted the conversation's every message: a 5,000-message thread cost a
// 5,000-row sort (SQLite) or a scan of the table (PostgreSQL) per page. Pages are now ranges of
// this index from the cursor on. It replaces the old one: every other read of messages by
// conversation (erasure, the 24-hour window, Messenger's read watermark) needs only its first
// column, and nothing orders a conversation's messages by id; one index fewer to write per message.
export const messagesByConversationTime: Migration = {
  async up(db: Kysely<any>) {
    await sql`CREATE INDEX messages_by_conversation_time ON messages (conversation_id, created_at, id)`.execute(db);
    await sql`DROP INDEX messages_by_conversation`.execute(db);
  },
};
