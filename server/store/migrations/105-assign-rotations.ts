import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Whose turn it is in an Assign to step's round robin, one row per workflow step (not per
// version: an edit keeps the turn going). In the database rather than in a process, so the turn
// survives restarts and every instance sharing the database follows one order; the row is locked
// while a run takes its turn (engine/steps/assign-pick.ts).
export const assignRotations: Migration = {
  async up(db: Kysely<any>) {
    // Text compares bytes on PostgreSQL (migration 066), as SQLite's BINARY does.
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text COLLATE "C"` : 'text';
    await db.schema.createTable('assign_rotations')
      .addColumn('workflow_id', text, (c) => c.notNull())
      .addColumn('step_id', text, (c) => c.notNull())
      .addColumn('last_user_id', text)
      // The step's list as it was at that turn (JSON array of user ids): if that user leaves the
      // list, the turn goes on from their old place rather than from the top.
      .addColumn('turn_user_ids', text)
      .addColumn('updated_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('assign_rotations_pk', ['workflow_id', 'step_id'])
      .execute();
  },
};
