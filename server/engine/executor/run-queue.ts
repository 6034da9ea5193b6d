import { sql, type RawBuilder } from 'kysely';
import type { Dialect, Executor } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import { runShaped } from '../../store/compiled-sql';
import { DEFERRED } from '../../store/pg-prepared';
import type { Partition } from './peers';
import { withGenericPlan } from './generic-plan';

// Runs of one (workflow, contact) run one after another. A queued run behind an unfinished run
// of its pair is marked blocked the first time a claim meets it, and unblocked when the run
// before it ends: claims then read queue heads (runs_ready) instead of walking a contact's whole
// backlog on every claim. The flag only narrows the candidates; the claim itself still checks
// that no earlier run of the pair is unfinished, so a stale flag can delay a run, never
// interleave two. A mark can race the end of the run before it (PostgreSQL: the round that ends
// it looks for a blocked successor before the mark commits): the marking process re-checks its
// marks a moment later (`unblockStalled` with their ids, see mark-recheck.ts), and a rare full
// sweep repairs what a crash between the two left.

const UNFINISHED = sql`('queued', 'running', 'waiting')`;
const FIRST_WINDOW = 16;
const MAX_WINDOW = 1024;
/** Queue heads read by one claim at most (a burst of 10,000 runs for one contact takes a few claims to mark). */
const MAX_READ = 8192;

/** PostgreSQL: `r` belongs to this share of the contacts (peers.ts). */
export const inShare = (share: Partition) => sql`(hashtext(r.contact_id) & 2147483647) % ${share.of} = ${share.slot}`;

/**
 * PostgreSQL: `e` is a run of the pair (`w`, `c`) in `status` with an id after (or before) `bound`:
 * one range of runs_by_contact_workflow (contact, workflow, status, id) whatever the statistics.
 * Spelled as a row comparison and a one-sided bound instead of `e.status = … AND e.id > …`: with
 * an equality the planner may read runs_unfinished (088) instead, which the equality implies,
 * and with statistics taken at rest (every run ended, the index looks empty) it did, filtering
 * the whole backlog for each probe (bench/RESULTS.md, thirty-ninth and fortieth sessions). The
 * conditions together say the same, but none proves the index's predicate, and only this index
 * can bound a read with them. Ordered by `e.status, e.id` (the
 * index's order: `e.id` alone would need the status fixed by an equality).
 */
const inPair = (w: RawBuilder<unknown>, c: RawBuilder<unknown>, status: string, side: '>' | '<', bound: RawBuilder<unknown>) => {
  const s = sql.lit(status);
  const pair = sql`e.contact_id = ${c} AND e.workflow_id = ${w}`;
  if (side === '<') return sql`${pair} AND (e.status, e.id) < (${s}, ${bound}) AND e.status >= ${s}`;
  // `>=` and the id apart: the planner sizes a row comparison by its first column alone, and
  // `status > 'queued'` (the running and waiting runs) sized the pair's queued runs at one row;
  // the take's join of them (nextOfPairs) was then a nested loop, quadratic in the round's size.
  return sql`${pair} AND (e.status, e.id) >= (${s}, ${bound}) AND e.status <= ${s} AND e.id > ${bound}`;
};

const ofR = [sql.ref('r.workflow_id'), sql.ref('r.contact_id')] as const;

/** PostgreSQL: an earlier run of `r`'s pair in this status. */
const probe = (status: string) => sql`EXISTS (SELECT 1 FROM runs e WHERE ${inPair(...ofR, status, '<', sql.ref('r.id'))})`;

/** True when an earlier run of the same (workflow, contact) as `r` has not ended: `r` must wait. */
export const earlierUnfinished = (dialect: Dialect) => dialect === 'sqlite'
  ? sql`EXISTS (
  SELECT 1 FROM runs e INDEXED BY runs_by_contact_workflow
  WHERE e.workflow_id = r.workflow_id AND e.contact_id = r.contact_id AND e.status IN ${UNFINISHED} AND e.id < r.id)`
  // PostgreSQL: one probe per status, each a range of (contact, workflow, status, id). With the
  // three statuses in one IN list the planner filtered the pair's whole history instead (every
  // completed run of the pair read, for every head checked).
  //
  // The queued probe reads from the run down (a scalar subquery: EXISTS would drop the ORDER BY),
  // where the run before it sits. Read upwards it would not stop at the run (inPair's bound is
  // not one the index scan stops at, only its status bound is): it went on through every later
  // queued run of the pair, a contact's whole backlog for each head. (Every run of the pair also
  // left a dead 'queued' entry below, until vacuum: a head with none live walks those either way.)
  // The running and waiting probes read upwards: past the run there are only the pair's few
  // running or waiting entries.
  : sql`((SELECT e.id FROM runs e WHERE ${inPair(...ofR, 'queued', '<', sql.ref('r.id'))} ORDER BY e.status DESC, e.id DESC LIMIT 1) IS NOT NULL
    OR ${probe('running')} OR ${probe('waiting')})`;


/** A (workflow, contact) pair as a map key. */
export const pairKey = (workflowId: string, contactId: string) => `${workflowId} ${contactId}`;

/** Ended runs as a typed VALUES list (w, c, after) of their pairs. */
const endedValues = (ended: readonly { id: string; workflowId: string; contactId: string }[]) =>
  sql.join(ended.map((p) => sql`(CAST(${p.workflowId} AS TEXT), CAST(${p.contactId} AS TEXT), CAST(${p.id} AS TEXT))`));

/**
 * PostgreSQL: the same pairs as a table `p(w, c, after)` from three arrays. The statement's text
 * is then the same whatever the count: one prepared statement and one plan, where a VALUES list
 * made a text (and plans) per count.
 */
const endedPairs = (ended: readonly { id: string; workflowId: string; contactId: string }[]) =>
  sql`SELECT * FROM unnest(${ended.map((p) => p.workflowId)}::text[], ${ended.map((p) => p.contactId)}::text[], ${ended.map((p) => p.id)}::text[]) AS p(w, c, after)`;

/** What a pick found: heads to take, whether more may be runnable further on, heads it marked blocked. */
export interface Picked { picked: string[]; more: boolean; marked: string[] }

/** How a process picks: shared by its queued rounds (QueuedPick) and its claims (ClaimRequest). */
export interface PickOptions {
  /** Heads this process is already taking (PostgreSQL queued rounds, between their pick and their lock). */
  skip?: ReadonlySet<string> | undefined;
  /** PostgreSQL, several instances (peers.ts): this instance's share of the contacts, tried first. */
  share?: Partition | undefined;
  /** With `share`: whether other contacts' heads may be taken when the share has none runnable (default yes). */
  steal?: boolean | undefined;
  /**
   * PostgreSQL queued rounds: whether to read past the first window and mark the blocked heads
   * found (default yes). No while other rounds of this process are in flight: see pickHeldPostgres.
   */
  deep?: boolean | undefined;
}

/**
 * Up to `limit` queued runs that may start now, oldest first. Heads found blocked on the way are
 * marked, so the next claim does not read them again. Windows grow: a claim with plenty of
 * runnable heads reads a few rows, one behind a long backlog reads it once. `more` says the read
 * budget ran out before `limit` were found: there may be runnable heads further on.
 */
export async function pickQueued(trx: Executor, dialect: Dialect, limit: number, { skip, share, steal = true }: PickOptions = {}): Promise<Picked> {
  const own = await pickIn(trx, dialect, limit, skip, dialect === 'postgres' ? share : undefined);
  if (!share || !steal || own.picked.length > 0 || dialect !== 'postgres') return own;
  const any = await pickIn(trx, dialect, limit, skip);
  return { ...any, marked: [...own.marked, ...any.marked] };
}

async function pickIn(trx: Executor, dialect: Dialect, limit: number, skip?: ReadonlySet<string>, share?: Partition): Promise<Picked> {
  const picked: string[] = [];
  const marked: string[] = [];
  let after = '';
  // A quarter more than `limit`. PostgreSQL locks every row of a window (for its statement).
  // SQLite read twice `limit`, but its webhook runs behind an unfinished one are stored blocked
  // (out of the window's index), so nearly every row read is a runnable head: half the window,
  // three index seeks a row, was read for nothing (three-step runs: the window reads 250 → 180 ms
  // per 20,000 runs, as many reads as before).
  let window = Math.max(FIRST_WINDOW, limit + (limit >> 2));
  for (let read = 0; picked.length < limit; window = Math.min(MAX_WINDOW, window * 4)) {
    if (read >= MAX_READ) return { picked, more: true, marked };
    const { rows, seen, last } = await readWindow(trx, dialect, after, window, skip, share);
    read += seen;
    for (const row of rows) {
      if (Number(row.blocked)) marked.push(row.id);
      else if (!skip?.has(row.id) && picked.length < limit) picked.push(row.id);
    }
    if (seen < window || !last) break;
    after = last;
  }
  return { picked, more: false, marked };
}

/**
 * The next `window` queue heads after `after` (`seen` of them, the last `last`), and those this
 * read holds (PostgreSQL: locked, see below), each with whether it is blocked; blocked ones are marked.
 */
async function readWindow(trx: Executor, dialect: Dialect, after: string, window: number, skip?: ReadonlySet<string>, share?: Partition): Promise<{ rows: { id: string; blocked: boolean | number }[]; seen: number; last: string | undefined }> {
  if (dialect === 'postgres') {
    // Heads this process's rounds picked are left out before locking: a window locking them,
    // even for its one statement, would make those rounds' own lock pass over them.
    const mine = skip && skip.size > 0 ? sql`AND NOT (r.id = ANY(${[...skip]}::text[]))` : sql``;
    // Filtered before the lock: rows of the other instances' contacts are read, never locked.
    const ours = share ? sql`AND ${inShare(share)}` : sql``;
    // One round trip: the read and the marking. Rows another instance is taking right now (its
    // round holds them locked, or its pick is reading them) are passed over (SKIP LOCKED: never
    // wait, never deadlock): two instances picking at once read different heads, instead of the
    // second finding only the first one's (and nothing to take).
    //
    // The window is read unlocked, then its rows are locked by id (as pickHeldPostgres does). Read
    // and locked in one scan, the read had to keep `status = 'queued' AND blocked = 0` as a filter
    // (a locked row is checked again), which made runs_ready cost the same as runs_unfinished
    // (088): with statistics taken at rest both look empty, and the planner read runs_unfinished,
    // every blocked run of a backlog filtered on each pick (2,000–6,000 blocks a pick behind 3,000
    // blocked runs, 41 now: claim-reads-at-rest.pg.test.ts). Unlocked, the conditions runs_ready's
    // predicate implies are dropped: the same key with no filter, it costs less whatever the
    // statistics. A row someone holds is passed over as before (SKIP LOCKED), now one window later.
    const { rows: [got] } = await sql<{ rows: { id: string; blocked: boolean }[]; seen: number; last: string | null }>`
      WITH w AS MATERIALIZED (
        SELECT r.id, ${earlierUnfinished(dialect)} AS blocked FROM runs r
        WHERE r.status = 'queued' AND r.blocked = 0 AND r.id > ${after} ${mine} ${ours} ORDER BY r.id LIMIT ${window}
      ), l AS (
        -- An array, not IN: at rest (see inPair) the semi join read runs_unfinished whole.
        SELECT r.id FROM runs r WHERE r.id = ANY(ARRAY(SELECT id FROM w)) AND r.status = 'queued' AND r.blocked = 0
        ORDER BY r.id FOR UPDATE OF r SKIP LOCKED
      ), h AS (SELECT l.id, w.blocked FROM l JOIN w ON w.id = l.id), marked AS (
        -- h holds these rows locked, queued and unmarked, so they still are: by id alone. With a
        -- condition on status as well, a plan made while the table was small (prepared statements
        -- keep it) read every queued run through the status column to find the few to mark.
        UPDATE runs SET blocked = 1 FROM h WHERE runs.id = h.id AND h.blocked
      )
      SELECT (SELECT coalesce(json_agg(h ORDER BY h.id), '[]') FROM h) AS rows, (SELECT count(*) FROM w) AS seen,
        (SELECT max(id) FROM w) AS last`.execute(trx);
    return { rows: got!.rows, seen: Number(got!.seen), last: got!.last ?? undefined };
  }
  const { rows } = await sql<{ id: string; blocked: number }>`
    SELECT r.id, ${earlierUnfinished(dialect)} AS blocked FROM runs r INDEXED BY runs_ready
    WHERE r.status = 'queued' AND r.blocked = 0 AND r.id > ${after} ORDER BY r.id LIMIT ${window}`.execute(trx);
  const blocked = rows.filter((r) => Number(r.blocked)).map((r) => r.id);
  // `+status`: SQLite would otherwise read the ids through the status index, i.e. every queued run.
  if (blocked.length > 0) await sql`UPDATE runs SET blocked = 1 WHERE id IN (${sql.join(blocked)}) AND +status = 'queued'`.execute(trx);
  return { rows, seen: rows.length, last: rows.at(-1)?.id };
}

/** What a PostgreSQL queued round took: its heads, locked by its transaction, and the heads it found blocked (not marked yet). */
export interface Held { rows: RunsTable[]; blocked: string[] }

/**
 * PostgreSQL queued rounds: picks queue heads and locks them in the round's own transaction, whole
 * (the row lock is the claim). The window is read without locks and only the runnable heads are
 * locked (SKIP LOCKED: a head another round or instance holds is left to it, one it took and
 * ended meanwhile no longer matches). Before, the pick locked and marked its window in a
 * transaction of its own and the round locked its heads again: two passes of row locks (each a
 * WAL record per row), the pair check twice per head and one more commit per round. Heads found
 * blocked are marked after the round commits (`markBlocked`), when the round's own ends count.
 * (Locking the window as it is read, to probe only rows nobody holds, was tried: the other
 * instance's windows then held the next runs of the pair a round was taking, and one contact's
 * backlog went three times slower.)
 *
 * Not `deep` (other rounds of this process are in flight): one window, and of its blocked heads
 * only a pair's second and later ones are marked. A pair's first there is mostly the next run of
 * a pair those rounds hold; marked, each would cost a mark and a release (two writes that touch
 * every index of runs), and a pick past them would go on marking the pairs' later runs, up to
 * MAX_READ. Unmarked, they are the oldest queued runs, so the pick after those rounds end finds
 * them first. A pick with no other round in flight marks and reads deep as before: a long
 * backlog of one contact is still marked out of the way.
 */
export async function pickHeldPostgres(trx: Executor, limit: number, { skip, share, steal = true, deep = true }: PickOptions = {}): Promise<Held> {
  const own = await heldIn(trx, limit, deep, skip, share);
  if (!share || !steal || own.rows.length > 0) return own;
  const any = await heldIn(trx, limit, deep, skip);
  return { rows: any.rows, blocked: [...own.blocked, ...any.blocked] };
}

async function heldIn(trx: Executor, limit: number, deep: boolean, skip?: ReadonlySet<string>, share?: Partition): Promise<Held> {
  const rows: RunsTable[] = [];
  const blocked: string[] = [];
  let after = '';
  let window = Math.max(FIRST_WINDOW, limit + (limit >> 2));
  const mine = skip && skip.size > 0 ? sql`AND NOT (r.id = ANY(${[...skip]}::text[]))` : sql``;
  const ours = share ? sql`AND ${inShare(share)}` : sql``;
  for (let read = 0; rows.length < limit && read < MAX_READ; window = Math.min(MAX_WINDOW, window * 4)) {
    // The limits are literals: as parameters, PostgreSQL's generic plan assumes a tenth of the
    // table, looks costlier than the custom plans, and the statement was planned on nearly every
    // round (~0.45 ms each). A few texts (window sizes × counts) instead, each planned once.
    // One round trip: the window read and the lock of its runnable heads. The pair check of `w`
    // was made in this transaction just before the lock: a run that ended never becomes
    // unfinished again, and a pair's later runs get later ids. The rows come back as JSON (one
    // row for the window's facts and the locked runs): integers stay numbers, texts strings.
    const { rows: [got] } = await sql<{ taken: RunsTable[]; seen: number; last: string | null; blocked: string[] | null; later: string[] | null }>`
      WITH w AS MATERIALIZED (
        SELECT r.id, r.blocked, row_number() OVER (PARTITION BY r.contact_id, r.workflow_id ORDER BY r.id) > 1 AS later FROM (
          SELECT r.id, r.contact_id, r.workflow_id, ${earlierUnfinished('postgres')} AS blocked FROM runs r
          WHERE r.status = 'queued' AND r.blocked = 0 AND r.id > ${after} ${mine} ${ours} ORDER BY r.id LIMIT ${sql.lit(window)}) r
      ), l AS (
        -- An array, not IN: at rest (see inPair) the semi join read runs_unfinished whole.
        SELECT r.* FROM runs r WHERE r.id = ANY(ARRAY(SELECT id FROM w WHERE NOT w.blocked)) AND r.status = 'queued'
        ORDER BY r.id LIMIT ${sql.lit(limit - rows.length)} FOR UPDATE OF r SKIP LOCKED
      )
      SELECT (SELECT coalesce(json_agg(l ORDER BY l.id), '[]') FROM l) AS taken, (SELECT count(*) FROM w) AS seen,
        (SELECT max(id) FROM w) AS last, (SELECT array_agg(id ORDER BY id) FROM w WHERE w.blocked) AS blocked,
        (SELECT array_agg(id ORDER BY id) FROM w WHERE w.later) AS later`.execute(trx);
    const { taken, seen, last } = got!;
    read += seen;
    // Not deep: only a pair's later runs in the window, behind its first (queued, so they are
    // blocked whoever holds it). One contact's burst arrives as one unmarked run per ingest batch;
    // left unmarked, every pick beside the round working through it read them all again (40 per
    // pick, ~5 ms). A pair's first run in the window is mostly the next run of a pair a round
    // holds, which that round takes or releases itself: marking it would cost two writes.
    blocked.push(...(deep ? got!.blocked : got!.later) ?? []);
    rows.push(...taken);
    if (!deep || seen < window || !last) break;
    after = last;
  }
  return { rows, blocked };
}

/**
 * PostgreSQL queued rounds, after a pass: the next queued runs of each pair whose run the pass
 * ended (`perPair` of them, in order: the round advances each only if the one before it ended),
 * locked (SKIP LOCKED) and whole, at most `limit`. A pair belongs to one contact the round
 * holds already, so taking them keeps the round's lock order (one contact's backlog moves many
 * runs per commit, as on SQLite). The ended run was the pair's head: only a run between it and
 * the next one could still be unfinished, and that is checked too.
 *
 * A pair's runs are taken up to the first one someone else holds locked (a pick or a re-check
 * marking it blocked holds it for a moment): skipped, it would have run after the runs behind
 * it. The pair then stops there, as if its chain ended, and is released as usual.
 */
export async function takeNextOfPairs(trx: Executor, ended: readonly { id: string; workflowId: string; contactId: string }[], limit: number, perPair = 1): Promise<RunsTable[]> {
  if (ended.length === 0 || limit <= 0) return [];
  const { rows } = await nextOfPairs(ended, limit, perPair).execute(trx);
  return inPairOrder(rows);
}

/**
 * takeNextOfPairs' statement: the runs, locked, each with its rank among its pair's candidates.
 * Also a part of a larger statement (round-prefetch.ts: with the round's contacts).
 */
export function nextOfPairs(ended: readonly { id: string; workflowId: string; contactId: string }[], limit: number, perPair: number) {
  // The pair's first running or waiting run after the ended one: its queued runs from there on
  // wait for it. Two index seeks per pair, where a check per candidate cost two per run taken
  // (one contact's backlog takes ~180 runs a round).
  const first = (status: string) => sql`(SELECT e.id FROM runs e WHERE ${inPair(sql.ref('p.w'), sql.ref('p.c'), status, '>', sql.ref('p.after'))}
    ORDER BY e.status, e.id LIMIT 1)`;
  // Each run comes with its rank among the pair's candidates: a run locked by someone else leaves
  // a rank out (rows of one pair come in id order, as ranked). The rank is taken over the probed
  // candidates, not inside the lateral read: there it changed the plan (the pair checks read
  // every running run, 1,500 blocks per call with 200 contacts instead of ~500).
  return sql<RunsTable & { rank: string | number }>`WITH p AS (${endedPairs(ended)}),
    b AS MATERIALIZED (SELECT p.w, p.c, p.after, LEAST(${first('running')}, ${first('waiting')}) AS stop FROM p),
    n AS (SELECT x.id, row_number() OVER (PARTITION BY b.w, b.c ORDER BY x.id) AS rank FROM b CROSS JOIN LATERAL (
      SELECT e.id FROM runs e WHERE ${inPair(sql.ref('b.w'), sql.ref('b.c'), 'queued', '>', sql.ref('b.after'))}
      ORDER BY e.status, e.id LIMIT ${perPair}) x
      -- After the LIMIT: inside the read, the bound was a filter, and the index was read past it to the
      -- pair's last run. b is materialized: inlined, each comparison ran the two seeks again.
      WHERE b.stop IS NULL OR x.id < b.stop)
    -- Each candidate's row read by its id, one probe each (the LIMIT keeps the subquery from being
    -- flattened into a join, and the lock inside it, so a row someone holds yields no row). As a
    -- join the planner chose, by the statistics, a hash join, a merge join, or (one pair, sized at
    -- one row, as at rest) a nested loop comparing every row with every candidate: 65,280 rows
    -- filtered and ~55 ms for a take of 256 runs; before that a join that read runs_unfinished
    -- whole (686 ms a call). A pair's candidates past the LIMIT (at most one per pair, beyond the
    -- round's budget) stay locked until the commit: they come after runs this round holds anyway.
    SELECT r.*, n.rank FROM n CROSS JOIN LATERAL (SELECT * FROM runs r WHERE r.id = n.id AND r.status = 'queued' LIMIT 1) r
    ORDER BY r.id LIMIT ${limit} FOR UPDATE OF r SKIP LOCKED`;
}

/** nextOfPairs' rows, each pair's cut at its first missing rank (a run someone else holds): the ones before it, in order. */
export function inPairOrder(rows: readonly (RunsTable & { rank: string | number })[]): RunsTable[] {
  const counted = new Map<string, number>();
  const cut = new Set<string>();
  const taken: RunsTable[] = [];
  for (const { rank, ...run } of rows) {
    const pair = pairKey(run.workflow_id, run.contact_id);
    if (cut.has(pair)) continue;
    const expected = (counted.get(pair) ?? 0) + 1;
    if (Number(rank) !== expected) { cut.add(pair); continue; }
    counted.set(pair, expected);
    taken.push(run);
  }
  return taken;
}

/**
 * SQLite: the next `limit` queued runs of one pair after its run `after` ended, in order (blocked
 * or not: the round that ended `after` takes them itself, as takeNextOfPairs does on PostgreSQL).
 * One statement per pair, for rounds that chain few pairs (one contact's backlog).
 */
export async function nextOfPairSqlite(trx: Executor, after: { id: string; workflowId: string; contactId: string }, limit: number): Promise<RunsTable[]> {
  const { rows } = await sql<RunsTable>`SELECT * FROM runs INDEXED BY runs_by_contact_workflow
    WHERE workflow_id = ${after.workflowId} AND contact_id = ${after.contactId} AND status = 'queued' AND id > ${after.id}
    ORDER BY id LIMIT ${limit}`.execute(trx);
  return rows;
}

/**
 * SQLite: nextOfPairSqlite for many pairs in one statement (up to `perPair` each, in order); a
 * pair with nothing queued costs one index seek, where a statement per pair cost a statement.
 */
export async function nextOfPairsSqlite(trx: Executor, after: readonly { id: string; workflowId: string; contactId: string }[], perPair: number): Promise<RunsTable[]> {
  if (after.length === 0) return [];
  const { rows } = await sql<RunsTable>`WITH p(w, c, after) AS (VALUES ${endedValues(after)})
    SELECT r.* FROM p JOIN runs r ON r.id IN (SELECT e.id FROM runs e INDEXED BY runs_by_contact_workflow
      WHERE e.workflow_id = p.w AND e.contact_id = p.c AND e.status = 'queued' AND e.id > p.after ORDER BY e.id LIMIT ${perPair})
    ORDER BY r.id`.execute(trx);
  return rows;
}

/**
 * Marks blocked the heads a round found behind an unfinished run of their pair, re-checked now
 * (after the round committed: a pair whose run the round ended is not marked). Rows someone holds
 * are passed over (never wait): they are read again by the next pick. Returns the ids marked.
 */
export async function markBlocked(db: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ id: string }>`
    WITH m AS (
      SELECT r.id FROM runs r WHERE r.id = ANY(${[...ids]}::text[]) AND r.status = 'queued' AND r.blocked = 0 AND ${earlierUnfinished('postgres')}
      FOR UPDATE OF r SKIP LOCKED)
    UPDATE runs SET blocked = 1 FROM m WHERE runs.id = m.id RETURNING runs.id`.execute(db);
  return rows.map((r) => r.id);
}

/**
 * A run of the pair ended: the next queued run of the pair is its new head. Returns how many runs
 * that released (0 or 1). `after`: the ended run was the pair's head (it ran), so its successor
 * comes after it; left out (a cancelled run may sit anywhere in the backlog), the first queued run.
 */
export async function unblockNext(trx: Executor, dialect: Dialect, workflowId: string, contactId: string, after?: string): Promise<number> {
  const result = await sql`UPDATE runs SET blocked = 0 WHERE blocked = 1 AND id = (
    SELECT id FROM runs ${dialect === 'sqlite' ? sql`INDEXED BY runs_by_contact_workflow` : sql``}
    WHERE workflow_id = ${workflowId} AND contact_id = ${contactId} AND status = 'queued' AND id > ${after ?? ''} ORDER BY id LIMIT 1)`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Several pairs' runs ended (a run round): each pair's next queued run is its new head, in one
 * statement. Returns how many it released (0 when `deferred`: PostgreSQL sends it with the
 * transaction's next statement, see DEFERRED, and nobody learns the count). Each ended run was its pair's head, so the search
 * starts after it: on PostgreSQL the index range before it is the pair's history, every run of
 * which left a dead 'queued' entry until vacuum (a third of the statement's reads, measured).
 */
export async function unblockNextOfPairs(trx: Executor, dialect: Dialect, ended: { id: string; workflowId: string; contactId: string }[], { deferred = false } = {}): Promise<number> {
  if (ended.length === 0) return 0;
  if (dialect === 'postgres') {
    // Most rounds release nothing (a pair's next run is rarely marked yet): read each pair's next
    // run once, with its flag, and touch only the blocked ones (not a second probe by id for every pair).
    const release = () => sql`${sql.raw(deferred ? DEFERRED : '')}WITH p AS (${endedPairs(ended)})
      UPDATE runs SET blocked = 0 FROM (
        SELECT n.id FROM p CROSS JOIN LATERAL (
          SELECT e.id, e.blocked FROM runs e WHERE ${inPair(sql.ref('p.w'), sql.ref('p.c'), 'queued', '>', sql.ref('p.after'))}
          ORDER BY e.status, e.id LIMIT 1) n
        WHERE n.blocked = 1) s
      WHERE runs.id = s.id AND runs.blocked = 1`.execute(trx);
    // A round's release (deferred): planned once per connection, not on every round (generic-plan.ts).
    const result = deferred ? await withGenericPlan(trx, release) : await release();
    return Number(result.numAffectedRows ?? 0);
  }
  const result = await sql`WITH p(w, c, after) AS (VALUES ${endedValues(ended)})
    UPDATE runs SET blocked = 0 WHERE blocked = 1 AND id IN (
      SELECT (SELECT id FROM runs ${dialect === 'sqlite' ? sql`INDEXED BY runs_by_contact_workflow` : sql``}
        WHERE workflow_id = p.w AND contact_id = p.c AND status = 'queued' AND id > p.after ORDER BY id LIMIT 1) FROM p)`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Blocked runs whose pair has nothing unfinished before them any more (a missed unblock):
 * unblocked. `ids`: only these (a process re-checking its own marks); without, every blocked run.
 */
export async function unblockStalled(db: Executor, dialect: Dialect, ids?: readonly string[]): Promise<number> {
  if (ids && ids.length === 0) return 0;
  const only = !ids ? sql`` : dialect === 'postgres' ? sql`AND r.id = ANY(${[...ids]}::text[])` : sql`AND r.id IN (${sql.join([...ids])})`;
  const result = await sql`UPDATE runs SET blocked = 0 WHERE id IN (
    SELECT r.id FROM runs r WHERE r.status = 'queued' AND r.blocked = 1 ${only} AND NOT ${earlierUnfinished(dialect)})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
