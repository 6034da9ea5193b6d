import { encodeTime } from 'ulid';
import { sql } from 'kysely';
import type { FailedRunCount, Run, RunListQuery, RunPage } from '../../../lib/contracts/runs';
import { notFound } from '../../http-error';
import type { Executor } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import { toRun } from './records';

type HistoryRow = RunsTable & { launcher_name: string | null };

/** The runs with their launcher's name: one join on the users' primary key, whatever the page's size. */
const historyRuns = (db: Executor) => db.selectFrom('runs')
  .leftJoin('users', 'users.id', 'runs.launched_by')
  .selectAll('runs').select('users.name as launcher_name');

const toHistoryRun = (row: HistoryRow): Run => ({
  ...toRun(row),
  launchedBy: row.launched_by ? { id: row.launched_by, name: row.launcher_name ?? row.launched_by } : null,
});

/**
 * Runs across workflows, newest first, keyset-paginated on the run id (ids sort by creation, so
 * a page never shifts when new runs arrive). One extra row tells whether there is a next page.
 * `launchedBy` is a range of runs_by_launcher (085), `status=failed` of runs_failed.
 */
export async function listAllRuns(db: Executor, query: RunListQuery): Promise<RunPage> {
  const rows = await runPageQuery(db, query).execute();
  const page = rows.slice(0, query.limit);
  return { runs: page.map(toHistoryRun), nextCursor: rows.length > query.limit ? page.at(-1)!.id : null };
}

/** A page's statement (one row more than the page); exported for the plan tests. */
export function runPageQuery(db: Executor, query: RunListQuery) {
  let q = historyRuns(db);
  if (query.workflowId) q = q.where('runs.workflow_id', '=', query.workflowId);
  if (query.status) q = q.where('runs.status', '=', query.status);
  if (query.contactId) q = q.where('runs.contact_id', '=', query.contactId);
  if (query.launchedBy) q = q.where('runs.launched_by', '=', query.launchedBy);
  // Stored times are UTC ISO strings: compare in the same form whatever offset the caller used.
  if (query.since) q = q.where('runs.created_at', '>=', new Date(query.since).toISOString());
  if (query.until) q = q.where('runs.created_at', '<', new Date(query.until).toISOString());
  if (query.cursor) q = q.where('runs.id', '<', query.cursor);
  return q.orderBy('runs.id', 'desc').limit(query.limit + 1);
}

/** One run as the run history shows it (GET /runs/:id), its launcher named. */
export async function historyRun(db: Executor, id: string): Promise<Run> {
  const row = await historyRuns(db).where('runs.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Run ${id}`);
  return toHistoryRun(row);
}

const DAY_MS = 86_400_000;

/**
 * How many runs started since `since` (a day ago unless given) have failed. Run ids begin with
 * their creation time (ULID), so the bound is also a range of runs_failed: the count reads the
 * recent failures only, not every failure ever, nor every recent run. The literal status lets
 * SQLite see that the partial index applies.
 */
export async function countFailedRuns(db: Executor, since?: string): Promise<FailedRunCount> {
  const from = new Date(since ?? Date.now() - DAY_MS);
  const row = await failedCountQuery(db, from).executeTakeFirstOrThrow();
  return { failed: Number(row.n), since: from.toISOString() };
}

/** The count's statement; exported for the plan tests. */
export const failedCountQuery = (db: Executor, from: Date) => db.selectFrom('runs')
  .select((eb) => eb.fn.countAll<number | string>().as('n'))
  .where(sql<boolean>`status = 'failed'`)
  .where('id', '>=', `run_${encodeTime(Math.max(0, from.getTime()), 10)}`)
  .where('created_at', '>=', from.toISOString());
