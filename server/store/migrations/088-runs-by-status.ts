import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// The run history's status filters read every run to find the few with that status: "what is
// stuck" (queued, running, waiting) walked 300k runs for 20 running ones (0.1–0.8 s), and a
// workflow's queued or cancelled runs its whole history. Each index is partial and ends in the id,
// so a page of one status (of one workflow) is a range of it in the history's order:
// - runs_unfinished holds runs until they end. Every run passes through it, but it stays as small
//   as what the engine has in hand and new entries land on its last page (about one page more
//   per commit of a batch of runs); a workflow's unfinished runs are read from it too. Spelled
//   with ORs, not IN: a query's `status = 'queued'` implies it on SQLite (which proves ORs, not
//   IN lists) and PostgreSQL alike.
// - runs_cancelled, and by workflow with runs_failed_by_workflow and runs_cancelled_by_workflow
//   (runs_failed, 085, has every workflow's failures): only runs that fail or are cancelled pay.
// Completed runs are most runs: the primary key or runs_by_workflow meet them as they read.
export const runsByStatus: Migration = {
  async up(db: Kysely<any>) {
    await sql`CREATE INDEX runs_unfinished ON runs (id) WHERE status = 'queued' OR status = 'running' OR status = 'waiting'`.execute(db);
    await sql`CREATE INDEX runs_cancelled ON runs (id) WHERE status = 'cancelled'`.execute(db);
    await sql`CREATE INDEX runs_failed_by_workflow ON runs (workflow_id, id) WHERE status = 'failed'`.execute(db);
    await sql`CREATE INDEX runs_cancelled_by_workflow ON runs (workflow_id, id) WHERE status = 'cancelled'`.execute(db);
  },
};
