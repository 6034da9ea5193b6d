import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Two workflows may wait on the same customer's answer at once (question-replies.ts).
// `asked_at`: when the question was last put to the customer (asked, asked again, or sent after a
// put-off try), so a typed reply goes to the one the customer saw last; `created_at` stays what
// the ask's send key is made of. `passed_over`: notes, one a line, for the run whose question a
// customer's message did not go to, saying where it went; appended in one statement (no read),
// read into the run's log when the step next runs.
export const questionWaitsRouting: Migration = {
  async up(db: Kysely<any>) {
    // Text compares bytes on PostgreSQL (migration 066), as SQLite's BINARY does.
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text COLLATE "C"` : 'text';
    await db.schema.alterTable('question_waits').addColumn('asked_at', text).execute();
    await db.schema.alterTable('question_waits').addColumn('passed_over', text).execute();
    await db.updateTable('question_waits').set({ asked_at: sql`created_at` }).execute();
  },
};
