import { encodeTime } from 'ulid';
import { sql, type Expression, type SqlBool } from 'kysely';
import { UNFINISHED_RUN_STATUSES, type RunListQuery } from '../../../lib/contracts/runs';
import { isPostgres, type Executor } from '../../store/database';

/**
 * The run history's filters as conditions a page of runs can read through one index, newest first,
 * touching only the runs that match its most selective filter (a 300k-run workspace: a few ms
 * each instead of 0.1–0.8 s; the status indexes are migration 088's).
 *
 * Which index reads: the contact's (runs_by_contact_workflow: a contact has few runs), else the
 * launcher's (runs_by_launcher), else the rerunner's (runs_by_rerunner, 092), else for queued, running and waiting runs runs_unfinished (as
 * few as the engine has in hand, of any workflow), else for failed and cancelled runs their
 * partial indexes (runs_failed, runs_cancelled; of one workflow: runs_failed_by_workflow,
 * runs_cancelled_by_workflow), else the workflow's (runs_by_workflow), else the primary key.
 * Each ends in the id, so the time bounds and the cursor are a range of whichever reads.
 * SQLite has no statistics to choose by (nothing runs ANALYZE): left to itself it read a busy
 * workflow's 100k runs for its 50 queued ones, or for one contact's, because runs_by_workflow
 * gives the order. The other filters' columns are written `+column` there, SQLite's way of
 * keeping a term off the indexes (https://sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_);
 * they still filter. PostgreSQL chooses by its statistics, and has no unary + on text.
 */
export function runFilters(db: Executor, query: RunFilterQuery): Expression<SqlBool>[] {
  type Column = 'workflow_id' | 'contact_id' | 'launched_by' | 'rerun_by' | 'status';
  const reads: Column[] = query.contactId ? ['contact_id']
    : query.launchedBy ? ['launched_by']
      : query.rerunBy ? ['rerun_by']
        : query.status && UNFINISHED.has(query.status) ? ['status']
          : ['status', 'workflow_id'];
  const pg = isPostgres(db);
  const col = (name: Column) => (pg || reads.includes(name) ? sql.ref(`runs.${name}`) : sql`+${sql.ref(`runs.${name}`)}`);
  const where: Expression<SqlBool>[] = [];
  if (query.workflowId) where.push(sql<SqlBool>`${col('workflow_id')} = ${query.workflowId}`);
  // A literal (the status is one of RUN_STATUSES): a partial index applies only to a query whose
  // text implies its condition, on PostgreSQL's generic plans of a prepared statement too.
  if (query.status) where.push(sql<SqlBool>`${col('status')} = ${sql.lit(query.status)}`);
  if (query.contactId) where.push(sql<SqlBool>`${col('contact_id')} = ${query.contactId}`);
  if (query.launchedBy) where.push(sql<SqlBool>`${col('launched_by')} = ${query.launchedBy}`);
  // Run again or not: one probe of runs_rerun_of (087, unique: a run is run again once) per row,
  // as the failed runs' count reads it.
  if (query.runAgain === 'true') where.push(sql<SqlBool>`EXISTS (SELECT 1 FROM runs AS rerun WHERE rerun.rerun_of = runs.id)`);
  if (query.runAgain === 'false') where.push(sql<SqlBool>`NOT EXISTS (SELECT 1 FROM runs AS rerun WHERE rerun.rerun_of = runs.id)`);
  if (query.rerunBy) where.push(sql<SqlBool>`${col('rerun_by')} = ${query.rerunBy}`);
  // The id's time and created_at are taken a moment apart (up to a batch's length): the id range,
  // widened by ID_SLACK_MS, picks the rows through an index; created_at is the exact bound a client
  // gave (a run's own createdAt as `since` includes it).
  if (query.since) {
    const since = Date.parse(query.since);
    where.push(sql<SqlBool>`runs.id >= ${runIdAt(since - ID_SLACK_MS)}`, sql<SqlBool>`runs.created_at >= ${new Date(since).toISOString()}`);
  }
  if (query.until) {
    const until = Date.parse(query.until);
    where.push(sql<SqlBool>`runs.id < ${runIdAt(until + ID_SLACK_MS)}`, sql<SqlBool>`runs.created_at < ${new Date(until).toISOString()}`);
  }
  return where;
}

/** What runFilters reads of a list query (the count of failed runs has no page). */
export type RunFilterQuery = Omit<RunListQuery, 'limit' | 'cursor'>;

const UNFINISHED = new Set<string>(UNFINISHED_RUN_STATUSES);
const ID_SLACK_MS = 2_000;

/**
 * The smallest id of a run started at `ms`. A run's id begins with its start time to the
 * millisecond (ULID, as retention.ts reads it), so `since` and `until` are a range of whichever
 * index reads. `created_at` is the same instant, read a moment apart (before or after), so it is
 * compared too, for the exact bound: a client giving a run's own createdAt as `since` must get it.
 * (PostgreSQL may take the two ranges for independent and underestimate a day's runs; a page is
 * then read and sorted whole: a few ms, against a run left out.)
 */
export const runIdAt = (ms: number) => `run_${encodeTime(Math.min(Math.max(0, ms), 2 ** 48 - 1), 10)}`;
