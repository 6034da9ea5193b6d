import { sql } from 'kysely';
import type { Db } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import type { ClaimRequest } from './claim';

/**
 * SQLite: one conditional UPDATE … RETURNING. Writers are serialised by SQLite itself, so the
 * rows chosen by the sub-select cannot be taken by anyone else before they are updated.
 * Each kind of due run is read on its own through (status, id), oldest first, so the scan
 * stops after `limit` claimable rows however long the backlog is.
 */
export async function claimSqlite(db: Db, r: ClaimRequest): Promise<RunsTable[]> {
  // Left to itself the planner walks every earlier run of the workflow (quadratic in the backlog).
  const notBlocked = sql`NOT EXISTS (
    SELECT 1 FROM runs e INDEXED BY runs_by_contact_workflow
    WHERE e.workflow_id = r.workflow_id AND e.contact_id = r.contact_id AND e.id < r.id
      AND e.status IN ('queued', 'running', 'waiting'))`;
  const due = (condition: ReturnType<typeof sql>) =>
    sql`SELECT id FROM (SELECT r.id FROM runs r INDEXED BY runs_claim WHERE ${condition} AND ${notBlocked} ORDER BY r.id LIMIT ${r.limit})`;
  const { rows } = await sql<RunsTable>`
    UPDATE runs SET status = 'running', lease_owner = ${r.owner}, lease_until = ${r.leaseUntil},
      wake_at = NULL, attempts = attempts + 1, updated_at = ${r.now}
    WHERE id IN (
      SELECT id FROM (
        ${due(sql`r.status = 'queued'`)}
        UNION ALL ${due(sql`r.status = 'waiting' AND r.wake_at <= ${r.now}`)}
        UNION ALL ${due(sql`r.status = 'running' AND r.lease_until < ${r.now}`)})
      ORDER BY id LIMIT ${r.limit})
    RETURNING *`.execute(db);
  return rows;
}

/**
 * An embedded SQLite store belongs to one process: runs still marked running by an earlier
 * process (killed, crashed) are resumable right away instead of after their lease runs out.
 */
export async function releaseStaleLeasesSqlite(db: Db, owner: string): Promise<number> {
  const result = await sql`
    UPDATE runs SET lease_until = '1970-01-01T00:00:00.000Z'
    WHERE status = 'running' AND (lease_owner IS NULL OR lease_owner <> ${owner})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
