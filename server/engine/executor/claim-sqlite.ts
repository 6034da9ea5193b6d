import { sql } from 'kysely';
import type { Db } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import type { ClaimRequest } from './claim';

/**
 * SQLite: one conditional UPDATE … RETURNING. Writers are serialised by SQLite itself, so the
 * rows chosen by the sub-select cannot be taken by anyone else before they are updated.
 */
export async function claimSqlite(db: Db, r: ClaimRequest): Promise<RunsTable[]> {
  const { rows } = await sql<RunsTable>`
    UPDATE runs SET status = 'running', lease_owner = ${r.owner}, lease_until = ${r.leaseUntil},
      wake_at = NULL, attempts = attempts + 1, updated_at = ${r.now}
    WHERE id IN (
      SELECT r.id FROM runs r
      WHERE (r.status = 'queued'
          OR (r.status = 'waiting' AND r.wake_at <= ${r.now})
          OR (r.status = 'running' AND r.lease_until < ${r.now}))
        AND NOT EXISTS (
          SELECT 1 FROM runs e
          WHERE e.workflow_id = r.workflow_id AND e.contact_id = r.contact_id AND e.id < r.id
            AND e.status IN ('queued', 'running', 'waiting'))
      ORDER BY r.id
      LIMIT ${r.limit})
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
