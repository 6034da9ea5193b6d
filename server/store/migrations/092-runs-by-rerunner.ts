import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// GET /runs?rerunBy=: the reruns one person started (Run again keeps the first run's launcher in
// `launched_by`, so a supervisor's reruns were found by nobody's name). Partial, ending in the
// id as runs_by_launcher (085): a page of one person's reruns, newest first, is a range of it,
// and only reruns pay an entry.
export const runsByRerunner: Migration = {
  async up(db: Kysely<any>) {
    await sql`CREATE INDEX runs_by_rerunner ON runs (rerun_by, id) WHERE rerun_by IS NOT NULL`.execute(db);
  },
};
