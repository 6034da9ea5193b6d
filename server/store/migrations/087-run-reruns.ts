import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A failed run can be run again (POST /runs/:id/rerun, n8n's "Retry execution"): a new run,
// linked to the one it repeats. `rerun_of` is that run, `rerun_by` the person who asked; both
// null on every other run. The unique partial index is what makes a rerun happen once: two
// presses, a retried request or two bulk calls at once insert one row for a failed run, the
// others conflict (and insert nothing); it also answers "was this run run again?" by one probe.
export const runReruns: Migration = {
  async up(db: Kysely<any>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      // Text compares bytes (migration 066): a new text column says so.
      await sql`ALTER TABLE runs ADD COLUMN rerun_of text COLLATE "C"`.execute(db);
      await sql`ALTER TABLE runs ADD COLUMN rerun_by text COLLATE "C"`.execute(db);
    } else {
      await db.schema.alterTable('runs').addColumn('rerun_of', 'text').execute();
      await db.schema.alterTable('runs').addColumn('rerun_by', 'text').execute();
    }
    await sql`CREATE UNIQUE INDEX runs_rerun_of ON runs (rerun_of) WHERE rerun_of IS NOT NULL`.execute(db);
  },
};
