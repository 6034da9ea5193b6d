import { sql } from 'kysely';
import type { Executor } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import type { ClaimRequest } from './claim';
import { earlierUnfinished } from './run-queue';

/**
 * PostgreSQL: several instances claim at once. Candidates are the queue heads picked in this
 * transaction and the due waiting and expired-lease runs, oldest first; FOR UPDATE SKIP LOCKED
 * then lets each instance take rows the others are not taking. The due condition is repeated on
 * the locked rows: a row another instance claimed and committed in the meantime is dropped.
 */
export async function claimPostgres(trx: Executor, r: ClaimRequest, queued: string[], { only = false }: { only?: boolean } = {}): Promise<RunsTable[]> {
  const notBlocked = sql`NOT ${earlierUnfinished('postgres')}`;
  // Due waiting runs and lost leases come from runs_waiting / runs_running (migration 104), or
  // from runs_waking / runs_leased when fresh statistics show many waiting and few due. Not from
  // runs_unfinished, which these conditions also match: with statistics taken at rest it looked
  // cheapest, and each claim filtered the whole queued backlog (285 blocks for 3,000 queued
  // runs, 5 with 104: claim-reads-at-rest.pg.test.ts).
  const due = (condition: ReturnType<typeof sql>) =>
    sql`(SELECT r.id FROM runs r WHERE ${condition} AND ${notBlocked} ORDER BY r.id LIMIT ${r.limit})`;
  // `orDue`: a waiting run named here is taken too once it is due (a question just answered).
  const picked = (orDue = false) => sql`(SELECT r.id FROM runs r WHERE r.id IN (${sql.join(queued)})
    AND ${orDue ? sql`(r.status = 'queued' OR (r.status = 'waiting' AND r.wake_at <= ${r.now}))` : sql`r.status = 'queued'`} AND ${notBlocked})`;
  // `only`: these runs and nothing else (the express lane: claimHeads), queued or due waiting.
  const candidates = only
    ? picked(true)
    : sql`${queued.length > 0 ? sql`${picked()} UNION ALL` : sql``}
      ${due(sql`r.status = 'waiting' AND r.wake_at <= ${r.now}`)}
      UNION ALL ${due(sql`r.status = 'running' AND r.lease_until < ${r.now}`)}`;
  const { rows } = await sql<RunsTable>`
    WITH candidates AS (
      ${candidates}
    ), locked AS (
      SELECT l.id FROM runs l
      -- An array, not IN: with statistics taken while every run had ended (autovacuum's, on a
      -- database idle before a burst) runs_unfinished looks empty, and the IN's semi join read it
      -- whole as its outer side, the candidates again for each of its rows (one contact's burst:
      -- 57 completed runs/s instead of ~1,190, one claim of 280 s). The array is read once.
      WHERE l.id = ANY(ARRAY(SELECT id FROM candidates))
        AND (l.status = 'queued' OR (l.status = 'waiting' AND l.wake_at <= ${r.now}) OR (l.status = 'running' AND l.lease_until < ${r.now}))
      ORDER BY l.id LIMIT ${r.limit}
      FOR UPDATE SKIP LOCKED)
    UPDATE runs SET status = 'running', lease_owner = ${r.owner}, lease_until = ${r.leaseUntil},
      wake_at = NULL, attempts = runs.attempts + 1, updated_at = ${r.now}
    FROM locked WHERE runs.id = locked.id
    RETURNING runs.*`.execute(trx);
  return rows;
}
