import type { RunListQuery, RunPage } from '../../../lib/contracts/runs';
import type { Executor } from '../../store/database';
import { toRun } from './records';

/**
 * Runs across workflows, newest first, keyset-paginated on the run id (ids sort by creation, so
 * a page never shifts when new runs arrive). One extra row tells whether there is a next page.
 */
export async function listAllRuns(db: Executor, query: RunListQuery): Promise<RunPage> {
  let q = db.selectFrom('runs').selectAll();
  if (query.workflowId) q = q.where('workflow_id', '=', query.workflowId);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.contactId) q = q.where('contact_id', '=', query.contactId);
  // Stored times are UTC ISO strings: compare in the same form whatever offset the caller used.
  if (query.since) q = q.where('created_at', '>=', new Date(query.since).toISOString());
  if (query.until) q = q.where('created_at', '<', new Date(query.until).toISOString());
  if (query.cursor) q = q.where('id', '<', query.cursor);
  const rows = await q.orderBy('id', 'desc').limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  return { runs: page.map(toRun), nextCursor: rows.length > query.limit ? page.at(-1)!.id : null };
}
