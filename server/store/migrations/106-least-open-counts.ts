import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// What an Assign to step's "Least open" counts (engine/steps/assign-pick.ts):
// - assign_pending: a pick whose assignment is not written yet (with Chatwoot the local assignee
//   is written only once Chatwoot answers): it counts as that user's open conversation, so runs
//   picking meanwhile spread a burst instead of all reading the same counts.
// - conversations.held_status: Chatwoot's `snoozed` or `pending` for a conversation that is open
//   here (open in the inbox lists and triggers, as before) but not open work for its agent.
export const leastOpenCounts: Migration = {
  async up(db: Kysely<any>) {
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text COLLATE "C"` : 'text';
    await db.schema.createTable('assign_pending')
      .addColumn('key', text, (c) => c.primaryKey())
      .addColumn('run_id', text, (c) => c.notNull())
      .addColumn('user_id', text, (c) => c.notNull())
      .addColumn('conversation_id', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('assign_pending_by_user').on('assign_pending').columns(['user_id']).execute();
    await db.schema.alterTable('conversations').addColumn('held_status', text).execute();
    // Snoozed or pending before this release: the last state the mirror applied says which.
    for (const status of ['snoozed', 'pending']) {
      await sql`update conversations set held_status = ${status} where status = 'open' and id in (
        select companion_id from chatwoot_objects where kind = 'conversation' and state like ${`%"status":"${status}"%`})`.execute(db);
    }
  },
};
