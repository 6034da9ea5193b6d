import { sql } from 'kysely';
import type { UnfinishedRunCounts } from '../../../lib/contracts/runs';
import type { Dialect, Executor } from '../../store/database';

/**
 * How many of a workflow's runs have not ended, for "let them finish, or cancel them?" before an
 * unpublish. Read from the queue, not the workflow's history (a busy workflow keeps 30 days of
 * finished runs): its running, waiting and ready runs sit in the queue's partial indexes, and a
 * queued run blocked behind an earlier one of its contact is found from that contact's pair
 * (runs_by_contact_workflow). A blocked run whose pair has nothing else unfinished is a missed
 * release the engine repairs within moments (run-queue.ts); it is not counted meanwhile.
 */
export async function countUnfinishedRuns(db: Executor, dialect: Dialect, workflowId: string): Promise<UnfinishedRunCounts> {
  // SQLite: told which index; left to itself it reads the workflow's history (runs_by_workflow).
  const by = (index: string) => (dialect === 'sqlite' ? sql` INDEXED BY ${sql.raw(index)}` : sql``);
  const { rows } = await sql<{ status: string; n: number | string }>`
    WITH heads AS (
      SELECT contact_id FROM runs${by('runs_leased')} WHERE status = 'running' AND workflow_id = ${workflowId}
      UNION SELECT contact_id FROM runs${by('runs_waking')} WHERE status = 'waiting' AND workflow_id = ${workflowId}
      UNION SELECT contact_id FROM runs${by('runs_ready')} WHERE status = 'queued' AND blocked = 0 AND workflow_id = ${workflowId})
    SELECT r.status, count(*) AS n FROM heads h JOIN runs r${by('runs_by_contact_workflow')}
      ON r.contact_id = h.contact_id AND r.workflow_id = ${workflowId} AND r.status IN ('queued', 'running', 'waiting')
    GROUP BY r.status`.execute(db);
  const counts = { queued: 0, running: 0, waiting: 0 };
  for (const row of rows) if (row.status in counts) counts[row.status as keyof typeof counts] = Number(row.n);
  return { total: counts.queued + counts.running + counts.waiting, ...counts };
}
