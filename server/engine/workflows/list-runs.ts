import type { FailedRunCount, Run, RunListQuery, RunPage } from '../../../lib/contracts/runs';
import { notFound } from '../../http-error';
import type { Executor } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import { toRun } from './records';
import { runFilters } from './run-filters';
import { withRerunLinks } from './rerun-links';

type HistoryRow = RunsTable & { launcher_name: string | null } & ContactColumns;
type ContactColumns = { contact_first_name: string | null; contact_last_name: string | null; contact_phone: string | null; contact_email: string | null };

/**
 * The runs with their launcher's name and their contact's, one join on each primary key: the
 * history asked for each row's contact on its own (GET /contacts/:id, 50 requests a page).
 */
const historyRuns = (db: Executor) => db.selectFrom('runs')
  .leftJoin('users', 'users.id', 'runs.launched_by')
  .leftJoin('contacts', 'contacts.id', 'runs.contact_id')
  .selectAll('runs').select('users.name as launcher_name')
  .select(['contacts.first_name as contact_first_name', 'contacts.last_name as contact_last_name', 'contacts.phone as contact_phone', 'contacts.email as contact_email']);

/** Null when the contact is gone (erasing a contact takes their runs with it: only a race sees this). */
const runContact = (row: HistoryRow): Run['contact'] => (row.contact_first_name === null ? null : {
  id: row.contact_id,
  name: `${row.contact_first_name} ${row.contact_last_name ?? ''}`.trim() || null,
  phone: row.contact_phone,
  email: row.contact_email,
});

const toHistoryRun = (row: HistoryRow): Run => ({
  ...toRun(row),
  launchedBy: row.launched_by ? { id: row.launched_by, name: row.launcher_name ?? row.launched_by } : null,
  contact: runContact(row),
});

/**
 * Runs across workflows, newest first, keyset-paginated on the run id (ids sort by creation, so
 * a page never shifts when new runs arrive). One extra row tells whether there is a next page.
 * Each filter reads through its own index (run-filters.ts).
 */
export async function listAllRuns(db: Executor, query: RunListQuery): Promise<RunPage> {
  const rows = await runPageQuery(db, query).execute();
  const page = rows.slice(0, query.limit);
  // Reruns and the runs they ran again: one more read for the page (rerun-links.ts).
  return { runs: await withRerunLinks(db, page, page.map(toHistoryRun)), nextCursor: rows.length > query.limit ? page.at(-1)!.id : null };
}

/** A page's statement (one row more than the page); exported for the plan tests. */
export function runPageQuery(db: Executor, query: RunListQuery) {
  let q = historyRuns(db);
  for (const condition of runFilters(db, query)) q = q.where(condition);
  if (query.cursor) q = q.where('runs.id', '<', query.cursor);
  return q.orderBy('runs.id', 'desc').limit(query.limit + 1);
}

/** One run as the run history shows it (GET /runs/:id), its launcher named. */
export async function historyRun(db: Executor, id: string): Promise<Run> {
  const row = await historyRuns(db).where('runs.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Run ${id}`);
  const [run] = await withRerunLinks(db, [row], [toHistoryRun(row)]);
  return run!;
}

const DAY_MS = 86_400_000;

/**
 * How many runs started since `since` (a day ago unless given) have failed and were not run again:
 * a failure someone has run again (Run again, Run all failed again) is handled, as n8n marks a
 * retried execution; its rerun counts if it failed too. Before, a supervisor who had run every
 * failure again went on seeing the warning. The rows are those GET /runs?status=failed&runAgain=false&since=
 * lists, by the same filters (run-filters.ts): the count repeated their since rule without its
 * slack and left out a run whose id was made a moment before its created_at. Run ids begin with
 * their creation time (ULID), so the bound is also a range of runs_failed: the count reads the
 * recent failures only, not every failure ever, nor every recent run.
 */
export async function countFailedRuns(db: Executor, since?: string): Promise<FailedRunCount> {
  // A day ago to the second: the bound the run history's From field then holds, and lists by.
  const from = new Date(since ?? Math.floor((Date.now() - DAY_MS) / 1000) * 1000);
  const row = await failedCountQuery(db, from).executeTakeFirstOrThrow();
  return { failed: Number(row.n), since: from.toISOString() };
}

/** The count's statement; exported for the plan tests. */
export function failedCountQuery(db: Executor, from: Date) {
  let q = db.selectFrom('runs').select((eb) => eb.fn.countAll<number | string>().as('n'));
  for (const condition of runFilters(db, { status: 'failed', runAgain: 'false', since: from.toISOString() })) q = q.where(condition);
  return q;
}
