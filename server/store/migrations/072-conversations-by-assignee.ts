import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// The inbox's Mine and Unassigned views (GET /conversations?assigneeId=me|none|<user>): a page of
// one assignee's (or nobody's) conversations in a tab, newest activity first, read from this
// index as conversations_by_activity (068) reads a whole tab, and their count from it alone.
// `assignee_id IS NULL` seeks it on both stores. Deactivating a user finds their open
// conversations by it too.
export const conversationsByAssignee: Migration = {
  async up(db: Kysely<any>) {
    // The same expression the list orders by (conversation-list.ts: activityAt).
    await sql`CREATE INDEX conversations_by_assignee ON conversations (assignee_id, status, (COALESCE(last_message_at, opened_at)), id)`.execute(db);
  },
};
