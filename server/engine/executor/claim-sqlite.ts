import { sql } from 'kysely';
import type { Executor } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import type { ClaimRequest } from './claim';
import { earlierUnfinished } from './run-queue';

/**
 * SQLite: one conditional UPDATE … RETURNING over the queue heads picked in this transaction and
 * the due waiting and expired-lease runs. Writers are serialised by SQLite itself, so the rows
 * chosen cannot be taken by anyone else before they are updated.
 */
export async function claimSqlite(trx: Executor, r: ClaimRequest, queued: string[], { only = false }: { only?: boolean } = {}): Promise<RunsTable[]> {
  // INDEXED BY inside: left to itself the planner walks every earlier run of the workflow.
  const notBlocked = sql`NOT ${earlierUnfinished('sqlite')}`;
  const due = (index: 'runs_waking' | 'runs_leased', condition: ReturnType<typeof sql>) =>
    sql`SELECT id FROM (SELECT r.id FROM runs r INDEXED BY ${sql.raw(index)} WHERE ${condition} AND ${notBlocked} ORDER BY r.id LIMIT ${r.limit})`;
  // `+r.status`: by primary key, not through the status index (every queued run).
  // `orDue`: a waiting run named here is taken too once it is due (a question just answered).
  const picked = (orDue = false) => sql`SELECT r.id FROM runs r WHERE r.id IN (${sql.join(queued)})
    AND ${orDue ? sql`(+r.status = 'queued' OR (+r.status = 'waiting' AND r.wake_at <= ${r.now}))` : sql`+r.status = 'queued'`} AND ${notBlocked}`;
  // `only`: these runs and nothing else (the express lane: claimHeads), queued or due waiting.
  const candidates = only
    ? picked(true)
    : sql`${queued.length > 0 ? sql`${picked()} UNION ALL` : sql``}
        ${due('runs_waking', sql`r.status = 'waiting' AND r.wake_at <= ${r.now}`)}
        UNION ALL ${due('runs_leased', sql`r.status = 'running' AND r.lease_until < ${r.now}`)}`;
  const { rows } = await sql<RunsTable>`
    UPDATE runs SET status = 'running', lease_owner = ${r.owner}, lease_until = ${r.leaseUntil},
      wake_at = NULL, attempts = attempts + 1, updated_at = ${r.now}
    WHERE id IN (SELECT id FROM (${candidates}) ORDER BY id LIMIT ${r.limit})
    RETURNING *`.execute(trx);
  return rows;
}

/**
 * An embedded SQLite store belongs to one process: runs still marked running by an earlier
 * process (killed, crashed) are resumable right away instead of after their lease runs out.
 */
export async function releaseStaleLeasesSqlite(db: Executor, owner: string): Promise<number> {
  const result = await sql`
    UPDATE runs SET lease_until = '1970-01-01T00:00:00.000Z'
    WHERE status = 'running' AND (lease_owner IS NULL OR lease_owner <> ${owner})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Whether a waiting run is due or a lease has run out: those go through the claim, not a queued round. */
export async function hasDueNonQueuedSqlite(db: Executor, now: string): Promise<boolean> {
  const { rows } = await sql<{ due: number }>`
    SELECT EXISTS (SELECT 1 FROM runs INDEXED BY runs_waking WHERE status = 'waiting' AND wake_at <= ${now})
      OR EXISTS (SELECT 1 FROM runs INDEXED BY runs_leased WHERE status = 'running' AND lease_until < ${now}) AS due`.execute(db);
  return Number(rows[0]?.due) === 1;
}
