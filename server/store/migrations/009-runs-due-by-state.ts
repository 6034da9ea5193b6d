import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// runs_due (status, wake_at) held every run, so each queued run a webhook stores cost one more
// index insert and ~2 more WAL pages per commit (a tenth of a delivery's commit), and finished
// runs stayed in it forever. A claim only ever looks for waiting runs by wake_at and running
// runs by lease_until: two partial indexes hold exactly those, and queued or finished runs
// are in neither.
export const runsDueByState: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.dropIndex('runs_due').execute();
    await db.schema.createIndex('runs_waking').on('runs').column('wake_at').where(sql<boolean>`status = 'waiting'`).execute();
    await db.schema.createIndex('runs_leased').on('runs').column('lease_until').where(sql<boolean>`status = 'running'`).execute();
  },
};
