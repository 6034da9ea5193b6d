import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Who launched a shortcut run was only inside its variables (trigger.launchedBy), so the run
// history could neither name nor filter by them without parsing every run. `launched_by` holds
// it for shortcut runs (null for every other trigger). Both indexes are partial: a webhook's or
// tag's run pays no insert into either, and a run pays into runs_failed only when it fails.
// - runs_by_launcher: GET /runs?launchedBy=, newest first, is a range of it.
// - runs_failed: GET /runs?status=failed and the count of recent failures, without walking
//   every run to find the few that failed.
export const runsByLauncher: Migration = {
  async up(db: Kysely<any>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      // Text compares bytes (migration 066): a new text column says so.
      await sql`ALTER TABLE runs ADD COLUMN launched_by text COLLATE "C"`.execute(db);
      await sql`UPDATE runs SET launched_by = variables::jsonb #>> '{trigger,launchedBy}' WHERE event_type = 'shortcut.launched'`.execute(db);
    } else {
      await db.schema.alterTable('runs').addColumn('launched_by', 'text').execute();
      await sql`UPDATE runs SET launched_by = json_extract(variables, '$.trigger.launchedBy') WHERE event_type = 'shortcut.launched'`.execute(db);
    }
    await sql`CREATE INDEX runs_by_launcher ON runs (launched_by, id) WHERE launched_by IS NOT NULL`.execute(db);
    await sql`CREATE INDEX runs_failed ON runs (id) WHERE status = 'failed'`.execute(db);
  },
};
