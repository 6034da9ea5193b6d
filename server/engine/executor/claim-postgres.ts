import { sql } from 'kysely';
import type { Db } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import type { ClaimRequest } from './claim';

/**
 * PostgreSQL: several instances claim at once. FOR UPDATE SKIP LOCKED lets each take rows the
 * others are not taking; a row another instance claimed and committed meanwhile is re-checked
 * against the status/lease condition and dropped.
 */
export async function claimPostgres(db: Db, r: ClaimRequest): Promise<RunsTable[]> {
  const { rows } = await sql<RunsTable>`
    WITH due AS (
      SELECT r.id FROM runs r
      WHERE (r.status = 'queued'
          OR (r.status = 'waiting' AND r.wake_at <= ${r.now})
          OR (r.status = 'running' AND r.lease_until < ${r.now}))
        AND NOT EXISTS (
          SELECT 1 FROM runs e
          WHERE e.workflow_id = r.workflow_id AND e.contact_id = r.contact_id AND e.id < r.id
            AND e.status IN ('queued', 'running', 'waiting'))
      ORDER BY r.id
      LIMIT ${r.limit}
      FOR UPDATE SKIP LOCKED)
    UPDATE runs SET status = 'running', lease_owner = ${r.owner}, lease_until = ${r.leaseUntil},
      wake_at = NULL, attempts = runs.attempts + 1, updated_at = ${r.now}
    FROM due WHERE runs.id = due.id
    RETURNING runs.*`.execute(db);
  return rows;
}
