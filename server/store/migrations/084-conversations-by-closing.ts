import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// GET /conversations?updatedSince= (a sync client's poll): a closed conversation has changed
// since the time when it has activity since, or was closed since. The activity is a range of
// conversations_by_activity (068); closed_at had no index, so every poll read the closed tab
// whole, growing with the history. Now the conversations closed since are a range of this one,
// on both stores (conversation-list.ts: tabPage, countQuery).
export const conversationsByClosing: Migration = {
  async up(db: Kysely<any>) {
    await sql`CREATE INDEX conversations_by_closing ON conversations (status, closed_at)`.execute(db);
  },
};
