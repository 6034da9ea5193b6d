import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// "Run again from the failed step" (n8n's Retry execution from the node that failed): a rerun
// that started at the failed run's step, not at step 1. `rerun_from` is that step's cursor (0
// for step 1), kept so the history can say "from step N" once the run has moved on from it; null
// on every run started from the first step, reruns from the start included. No index: it is read
// with its run only.
export const runRerunFrom: Migration = {
  async up(db: Kysely<any>) {
    await sql`ALTER TABLE runs ADD COLUMN rerun_from integer`.execute(db);
  },
};
