import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// PostgreSQL: the claim's due-waiting and lost-lease reads (claim-postgres.ts) ask for
// `status = 'waiting' AND wake_at <= now` (or running, lease_until) oldest id first. Any such
// condition also satisfies runs_unfinished's predicate (088), and with statistics taken while
// every run had ended (autovacuum after a quiet spell) that index looks empty and ordered like
// the heap, so the planner read it, filtering every queued run of a backlog on each claim
// (runs_waking and runs_leased, 009, keyed by time, looked costlier: a sort and a random heap
// fetch). These hold the ids of one status each: ordered as the claim reads, a subset of
// runs_unfinished with one filter less, so they cost less whatever the statistics, and a claim
// reads the waiting (running) runs at most, never the queued backlog. runs_waking and
// runs_leased stay for fresh statistics with many runs waiting and few due.
// Not CONCURRENTLY: each migration runs in a transaction (database.ts), where PostgreSQL refuses it;
// the build holds writes to runs for one scan of the table.
// SQLite names its index in the claim (INDEXED BY runs_waking / runs_leased): nothing to add there.
export const runsWaitingRunning: Migration = {
  async up(db: Kysely<any>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`CREATE INDEX runs_waiting ON runs (id) WHERE status = 'waiting'`.execute(db);
    await sql`CREATE INDEX runs_running ON runs (id) WHERE status = 'running'`.execute(db);
  },
};
