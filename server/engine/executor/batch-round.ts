import { sql } from 'kysely';
import type { StepLogEntry } from '../../../lib/contracts/runs';
import type { Step } from '../../../lib/contracts/steps';
import { contactIn, flushContacts } from '../../domain/contacts';
import { openConversationIn } from '../../domain/conversations';
import { flushPendingEvents } from '../../events/recorder';
import { inTransaction, roundReads, type UnitOfWork } from '../../events/unit-of-work';
import { nowIso } from '../../ids';
import { fromJson, toJson, type Dialect } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import { runShaped } from '../../store/compiled-sql';
import type { StepOutcome } from '../steps/define';
import { stepRegistry } from '../steps/registry';
import { claimHeldRun, fenceOf, LeaseLostError, type RunFence } from './checkpoint';
import { checkpointMany, type PendingCheckpoint } from './checkpoint-many';
import { loadVersionSteps } from './definitions';
import { markBlocked, nextOfPairSqlite, nextOfPairsSqlite, pairKey, pickHeldPostgres, pickQueued, takeNextOfPairs, unblockNextOfPairs, type PickOptions } from './run-queue';
import type { ExecEnv } from './execute-run';
import { prefetchRound, prefetchRoundFollowing, prefetchRoundTaking, type PairTail, type Taken } from './round-prefetch';
import { buildStepContext } from './step-context';
import { runsOutside, startStep } from './step-start';
import { applyOutcome, type NextState, type RunState } from './transition';

/**
 * Group commit for runs. The in-transaction steps of many claimed runs execute in ONE
 * transaction, each run going step by step until it ends, waits, or meets a step that runs
 * outside a transaction; each run's checkpoint (its last state) is written in that same
 * transaction. A step's changes and the cursor move still commit together, so a crash loses
 * nothing or repeats nothing; it only means fewer commits (each writes its dirty pages once
 * to the WAL and, on PostgreSQL, is a round trip and a WAL flush).
 *
 * Optimistic: when anything goes wrong for one run (a step fails, a lease was lost, a
 * database error), the whole transaction is rolled back and nothing of it happened; the
 * caller then executes each run of the batch alone, as before (`executeRun`), which handles
 * those cases one run at a time.
 */

/** What became of a run in a committed round. */
export type RoundResult =
  | { id: string; status: 'completed' | 'failed' }
  | { id: string; status: 'waiting'; wakeAt: string }
  /** Its next step runs outside a transaction (or the engine is stopping): continue it alone from `row`. */
  | { id: string; status: 'continue'; row: RunsTable };

/**
 * PostgreSQL queued rounds: new heads are at most 1/share of the round; the passes fill the rest
 * with the next runs of those pairs. A round holds its pairs until it commits, and the rounds
 * beside it (four at once) need pairs of their own. With half the round in heads, a burst over
 * 200 contacts (100 runs each) had two rounds take every head: 1.9 rounds in flight on average,
 * the event loop half idle waiting on the database. With an eighth, 3.3-3.5 in flight and 36-65 %
 * more completed runs per second (bench/RESULTS.md, twenty-first session). But when each contact
 * has one run (nothing to chain), an eighth only made rounds smaller: twice the round trips per
 * run. So the worker adapts the share (nextHeadShare): it doubles while rounds fill up with chained
 * runs (pairs have backlogs) and halves back while chains run out before the round is full.
 */
export const HEAD_SHARE = { least: 2, most: 8 } as const;

/** The head share for the next round, after a round whose chains filled it (`filled`) or ran out first. */
export function nextHeadShare(share: number, filled: boolean): number {
  return filled ? Math.min(HEAD_SHARE.most, share * 2) : Math.max(HEAD_SHARE.least, share / 2);
}

/** SQLite: a pass that ended runs of at most this many pairs reads their next runs directly (executeQueuedRound). */
const CHAIN_PAIRS = 4;

/** Any failure inside the round: roll everything back and let the runs go one by one. */
class RoundAborted extends Error {
  override name = 'RoundAborted';
}

/** Runs the round; undefined when it was rolled back (then nothing of it was written). */
export async function executeRound(env: ExecEnv, rows: RunsTable[]): Promise<RoundResult[] | undefined> {
  const { services } = env;
  const prepared: { row: RunsTable; steps: Step[] }[] = [];
  // PostgreSQL: rounds of several instances (and several rounds of one) run at once; taking
  // contacts' row locks in one order keeps two rounds from waiting on each other in a circle.
  const ordered = services.store.dialect === 'postgres' ? [...rows].sort((a, b) => (a.contact_id < b.contact_id ? -1 : a.contact_id > b.contact_id ? 1 : 0)) : rows;
  for (const row of ordered) {
    try {
      prepared.push({ row, steps: await loadVersionSteps(services.db, row.workflow_id, row.workflow_version) });
    } catch {
      return undefined; // a missing or broken version fails its run: the per-run path records why
    }
  }
  try {
    return await inTransaction(services.db, async (uow) => {
      beginRound(uow, services.store.dialect);
      await prefetchRound(uow, prepared.map((p) => p.row.contact_id));
      const results: RoundResult[] = [];
      const pending: PendingCheckpoint[] = [];
      for (const { row, steps } of prepared) results.push(await advance(env, uow, row, steps, pending));
      await flushContacts(uow);
      const ended: RunFence[] = [];
      await writeCheckpoints(env, uow, pending, ended);
      // At most one run of a pair is in a round (the next one is blocked behind it), so the
      // pairs' new heads can be released together after all of them. Other instances hear of
      // them (NOTIFY): else only this one, claiming again after its round, would ever take them.
      if (await unblockNextOfPairs(uow.trx, services.store.dialect, ended) > 0) uow.afterCommit(() => services.runSignal.released());
      await flushPendingEvents(uow);
      return results;
    });
  } catch (err) {
    if (!(err instanceof RoundAborted)) services.log.debug({ err, runs: rows.length }, 'run round rolled back; executing its runs one by one');
    return undefined;
  }
}

/**
 * SQLite: picks queue heads and advances them in the same transaction, with no claim of its own.
 * The embedded store has one writer (this process, this connection), so between picking a
 * head and checkpointing it nobody else can take it; each run is written once, queued →
 * its state after the round (completed, waiting, or running with our lease when it goes on
 * alone). Saves the claim's UPDATE and commit per round. Due waiting runs and expired leases
 * still go through the claim (worker). 'none': no queued head is runnable. PostgreSQL gets to the
 * same end its own way (queuedRoundPostgres: there the row lock is the claim).
 */
export async function executeQueuedRound(env: ExecEnv, limit: number, leaseMs: number, pick?: QueuedPick): Promise<RoundResult[] | 'none' | undefined> {
  const { services } = env;
  if (services.store.dialect === 'postgres') return queuedRoundPostgres(env, limit, leaseMs, pick);
  try {
    return await inTransaction(services.db, async (uow) => {
      beginRound(uow, services.store.dialect);
      const leaseUntil = new Date(Date.now() + leaseMs).toISOString();
      const results: RoundResult[] = [];
      // Passes: a run that ends in this round frees the next run of its pair, which a later pass
      // takes (after it, in order), so one contact's backlog moves many runs per commit. With few
      // such pairs the next pass reads their next runs directly, many per pair (one statement
      // each); with many, it releases them and picks queue heads again (three statements in all).
      // With a head share (the worker's, as on PostgreSQL: HEAD_SHARE), the pick takes 1/share of
      // the round and the passes chain those pairs (one statement for all of them), topped up with
      // new heads when the chains run short: with backlogs over 200 contacts a round of 64 touched
      // 64 contacts, each read, written and its index pages rewritten for one run.
      const pickHeads = async (budget: number, skip?: ReadonlySet<string>) => {
        const { picked } = await pickQueued(uow.trx, 'sqlite', budget, { skip });
        if (picked.length === 0) return [];
        return runShaped(uow.trx, `pickedRuns:${picked.length}`, picked, () =>
          uow.trx.selectFrom('runs').selectAll().where('id', 'in', picked).where('status', '=', sql.lit('queued')).orderBy('id'));
      };
      const share = pick?.headShare ?? 1;
      const heads = Math.max(1, Math.ceil(limit / share));
      let rows: RunsTable[] = await pickHeads(heads);
      let budget = limit;
      let chained = false;
      for (; rows.length > 0;) {
        budget -= rows.length;
        await prefetchRound(uow, rows.map((r) => r.contact_id));
        const pending: PendingCheckpoint[] = [];
        const { advanced, stopped } = await advanceChains(env, uow, rows, pending, leaseUntil);
        results.push(...advanced);
        // Written before the next pass looks for runnable runs: a pair's next run waits on these.
        const ended: RunFence[] = [];
        await writeCheckpoints(env, uow, pending, ended, { leaseUntil });
        // A pair whose chain stopped at a run that goes on (waits, or continues alone) has nothing to release.
        const last = lastOfPairs(ended).filter((f) => !stopped.has(pairKey(f.workflowId, f.contactId)));
        if (budget <= 0 || last.length === 0 || env.stopping()) {
          await unblockNextOfPairs(uow.trx, 'sqlite', last);
          break;
        }
        if (last.length <= (share > 1 ? heads : CHAIN_PAIRS)) {
          const perPair = Math.ceil(budget / last.length);
          rows = [];
          if (last.length <= CHAIN_PAIRS) for (const f of last) rows.push(...await nextOfPairSqlite(uow.trx, f, perPair));
          else rows = await nextOfPairsSqlite(uow.trx, last, perPair);
          chained ||= rows.length > 0;
          const taken = new Set(rows.map((r) => pairKey(r.workflow_id, r.contact_id)));
          await unblockNextOfPairs(uow.trx, 'sqlite', last.filter((f) => !taken.has(pairKey(f.workflowId, f.contactId))));
          rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
          // Pairs with nothing more queued (each contact has one run) leave the round to new heads.
          if (share > 1 && rows.length < budget) rows.push(...await pickHeads(budget - rows.length, new Set(rows.map((r) => r.id))));
        } else {
          await unblockNextOfPairs(uow.trx, 'sqlite', last);
          rows = await pickHeads(budget);
        }
      }
      await flushContacts(uow);
      await flushPendingEvents(uow);
      // Whether chained runs filled the round (pairs have backlogs), not its heads alone.
      if (results.length > 0) pick?.chained?.(budget <= 0 && chained);
      return results.length === 0 ? 'none' as const : results;
    });
  } catch (err) {
    if (!(err instanceof RoundAborted)) services.log.debug({ err }, 'queued run round rolled back; claiming its runs one by one');
    return undefined;
  }
}

/** PostgreSQL queued rounds: heads this process is taking already, and where to report the ones a round picked. */
export interface QueuedPick extends PickOptions {
  /** `all`: the pick took fewer heads than it asked for, so it left none runnable that it read. */
  picked(ids: string[], all: boolean): void;
  /** New heads are at most 1/headShare of the round (HEAD_SHARE; default its least). */
  headShare?: number;
  /** After the passes: whether chained runs filled the round (`filled`), or the chains ran out first. */
  chained?(filled: boolean): void;
  marked?(ids: string[]): void;
  /**
   * Go on with these pairs instead of picking: each one's last run ended in the round before,
   * which committed, and the budget stopped its chain there (see `cut`).
   */
  after?: readonly PairTail[] | undefined;
  /**
   * Before the COMMIT: the pairs whose chain the round's budget cut (the last run it took of each
   * ended; more may be queued). Worth a round of their own once this one has committed (`after`).
   * `others`: the round released other pairs too (their next runs are for a pick).
   */
  cut?(pairs: PairTail[], others: boolean): void;
}

/**
 * PostgreSQL queued rounds: the round's transaction picks the queue heads and locks them
 * (pickHeldPostgres: FOR UPDATE SKIP LOCKED, so a head another round or instance holds is left to
 * it) and advances them. The row lock is the claim: nobody else can take, cancel or advance a
 * locked run until the round commits, and a crash rolls it back to queued. Each run is written
 * once, as on SQLite: no claim UPDATE and no commit of its own. The heads' next runs come with
 * their contacts (prefetchRoundTaking), so the first pass advances heads and chains; later passes
 * take only the next runs of pairs whose run ended (takeNextOfPairs): a pick of new heads would
 * lock contacts out of id order, those runs' contacts are held already. A backlog's round is then
 * three round trips: pick, contacts with next runs, COMMIT (the checkpoints go with it); two when
 * it goes on with the pairs the round before left at its budget (`after`: no pick). Heads
 * found blocked are marked once the round has committed (its own ends count then), in a statement
 * of their own.
 */
async function queuedRoundPostgres(env: ExecEnv, limit: number, leaseMs: number, pick?: QueuedPick): Promise<RoundResult[] | 'none' | undefined> {
  const { services } = env;
  let blocked: string[] = [];
  let reported = false;
  const report = (ids: string[], all: boolean) => { reported = true; pick?.picked(ids, all); };
  try {
    return await inTransaction(services.db, async (uow) => {
      beginRound(uow, 'postgres');
      let rows: RunsTable[];
      let ahead: Taken;
      if (pick?.after) {
        // Pairs the round before left at its budget: their next runs with their contacts, no pick
        // (a round trip, and the pick's read of the queue heads, less per round of a backlog).
        ahead = await prefetchRoundFollowing(uow, { after: pick.after, limit: env.stopping() ? 0 : limit });
        rows = [];
        report(ahead.runs.map((r) => r.id), false);
        if (ahead.runs.length === 0) return 'none' as const;
      } else {
        // A share of the round in new heads, the rest for the next runs of their pairs (passes
        // below): see HEAD_SHARE. One contact's backlog still moves a whole round per commit.
        const heads = Math.max(1, Math.ceil(limit / (pick?.headShare ?? HEAD_SHARE.least)));
        const held = await pickHeldPostgres(uow.trx, heads, pick);
        blocked = held.blocked;
        rows = held.rows;
        report(rows.map((r) => r.id), rows.length < heads);
        if (rows.length === 0) return 'none' as const;
        // Contacts' row locks in one order (see executeRound); later passes add no contact.
        rows.sort((a, b) => (a.contact_id < b.contact_id ? -1 : a.contact_id > b.contact_id ? 1 : 0));
        // The heads' contacts, and in the same statement the next runs of their pairs (as if every
        // head will end): the first pass advances heads and chains together (prefetchRoundTaking).
        // A pair that got less than its share has nothing more queued (or stops at a run someone
        // else holds): after the first pass it is released, not asked again (a round trip for nothing).
        ahead = await prefetchRoundTaking(uow, { heads: rows, limit: env.stopping() ? 0 : limit - rows.length });
      }
      const leaseUntil = new Date(Date.now() + leaseMs).toISOString();
      let spent: Set<string> | undefined = ahead.spent;
      rows = rows.concat(ahead.runs);
      const results: RoundResult[] = [];
      // Pairs whose run ended and whose next run the round did not take: their next run may be marked blocked.
      const release: RunFence[] = [];
      // Every pass's checkpoints, written together at the end: nothing the next pass reads depends
      // on them (takeNextOfPairs starts after each pair's ended run and checks only the runs
      // between, which are queued; the round holds all of them locked, so nobody else sees any).
      // One statement and one round trip less per pass (one contact's burst: a round was two).
      const pending: PendingCheckpoint[] = [];
      let budget = limit;
      for (;;) {
        const from = pending.length;
        const { advanced, stopped } = await advanceChains(env, uow, rows, pending, leaseUntil);
        budget -= advanced.length;
        results.push(...advanced);
        const ended = pending.slice(from).filter(({ next }) => next.status === 'completed' || next.status === 'failed').map(({ fence }) => fence);
        // A pair whose chain stopped at a run that goes on (waits, or continues alone) has nothing to release.
        const last = lastOfPairs(ended).filter((f) => !stopped.has(pairKey(f.workflowId, f.contactId)));
        // One contact's backlog: its next runs in one pass (one statement for many runs).
        const more = spent ? last.filter((f) => !spent!.has(pairKey(f.workflowId, f.contactId))) : last;
        spent = undefined;
        rows = env.stopping() || more.length === 0 ? [] : await takeNextOfPairs(uow.trx, more, budget, Math.ceil(budget / more.length));
        const taken = new Set(rows.map((r) => pairKey(r.workflow_id, r.contact_id)));
        release.push(...last.filter((f) => !taken.has(pairKey(f.workflowId, f.contactId))));
        if (rows.length === 0) {
          // Still released (the next round may not come: this one rolls back, or the process
          // stops); a round going on with them takes their next runs whether marked or not.
          if (budget <= 0 && !env.stopping() && more.length > 0) pick?.cut?.(more.map(({ id, workflowId, contactId }) => ({ id, workflowId, contactId })), release.length > more.length);
          break;
        }
      }
      if (!pick?.after) pick?.chained?.(budget <= 0);
      // The round's writes go out with its COMMIT (deferred: nobody reads their results; the
      // checkpoints' own check fails the COMMIT, see checkpointMany). Whether the unblock released
      // a run is not known then: any pair to release signals (at most every 50 ms).
      await writeCheckpoints(env, uow, pending, [], { leaseUntil }, { deferred: true });
      await flushContacts(uow);
      await unblockNextOfPairs(uow.trx, 'postgres', release, { deferred: true });
      if (release.length > 0) uow.afterCommit(() => services.runSignal.released());
      await flushPendingEvents(uow);
      return results;
    });
  } catch (err) {
    if (!reported) throw err; // the pick itself failed: nothing was taken
    if (!(err instanceof RoundAborted)) services.log.debug({ err }, 'queued run round rolled back; claiming its runs one by one');
    return undefined;
  } finally {
    if (blocked.length > 0) {
      const marked = await markBlocked(services.db, blocked).catch((err: unknown) => {
        services.log.warn({ err }, 'marking blocked runs failed (the next pick reads them again)');
        return [];
      });
      pick?.marked?.(marked);
    }
  }
}

/**
 * A pass: rows may hold several runs of one pair, in order; a run is advanced only if the one
 * before it (in this pass) ended, else it is left queued (on PostgreSQL its lock goes with the commit).
 */
async function advanceChains(env: ExecEnv, uow: UnitOfWork, rows: RunsTable[], pending: PendingCheckpoint[], leaseUntil: string): Promise<{ advanced: RoundResult[]; stopped: Set<string> }> {
  const results: RoundResult[] = [];
  const stopped = new Set<string>();
  // PostgreSQL: contacts' row locks in one order (see executeRound). SQLite: as queued.
  const ordered = env.services.store.dialect === 'postgres'
    ? [...rows].sort((a, b) => (a.contact_id < b.contact_id ? -1 : a.contact_id > b.contact_id ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    : rows;
  for (const row of ordered) {
    const pair = pairKey(row.workflow_id, row.contact_id);
    if (stopped.has(pair)) continue;
    const [result] = await advanceQueued(env, uow, [row], pending, leaseUntil);
    results.push(result!);
    if (result!.status !== 'completed' && result!.status !== 'failed') stopped.add(pair);
  }
  return { advanced: results, stopped };
}

/** Each pair's last ended run (the next pass starts after it). */
function lastOfPairs(ended: RunFence[]): RunFence[] {
  const last = new Map<string, RunFence>();
  for (const f of ended) {
    const key = pairKey(f.workflowId, f.contactId);
    const seen = last.get(key);
    if (!seen || f.id > seen.id) last.set(key, f);
  }
  return [...last.values()];
}

/** Queue heads this transaction picked (and, on PostgreSQL, holds locked), each advanced as held by us until `leaseUntil`. */
async function advanceQueued(env: ExecEnv, uow: UnitOfWork, rows: RunsTable[], pending: PendingCheckpoint[], leaseUntil: string): Promise<RoundResult[]> {
  const results: RoundResult[] = [];
  for (const queued of rows) {
    let steps: Step[];
    try {
      steps = await loadVersionSteps(uow.trx, queued.workflow_id, queued.workflow_version);
    } catch {
      throw new RoundAborted(); // a missing or broken version fails its run: the per-run path records why
    }
    const held: RunsTable = { ...queued, status: 'running', lease_owner: env.owner, lease_until: leaseUntil, wake_at: null, attempts: queued.attempts + 1 };
    // Queued and never claimed: it never ran, so it has recorded no effect (step-context.ts, fresh).
    results.push(await advance(env, uow, held, steps, pending, { leaseUntil }, queued.attempts === 0));
  }
  return results;
}

/** What a round keeps in its unit of work (unit-of-work.ts): writes and reads its steps share, events stored at its end. */
function beginRound(uow: UnitOfWork, dialect: Dialect) {
  uow.written = new Map();
  uow.pendingEvents = [];
  uow.reads = roundReads(dialect);
  uow.dirtyContacts = new Map();
}

/** The round's checkpoints, together; a run no longer held (lease lost, cancelled) rolls the round back, and the per-run path stops it alone. */
async function writeCheckpoints(env: ExecEnv, uow: UnitOfWork, pending: PendingCheckpoint[], ended: RunFence[], fromQueued?: { leaseUntil: string }, options?: { deferred?: boolean }) {
  try {
    await checkpointMany(uow, env.services, env.owner, pending, (f) => ended.push(f), fromQueued, options);
  } catch (err) {
    if (err instanceof LeaseLostError) throw new RoundAborted();
    throw err;
  }
}

/**
 * One run, inside the round's transaction: its consecutive in-transaction steps; its checkpoint joins
 * the round's (`pending`, written together).
 * `fromQueued`: the run was picked queued in this transaction (executeQueuedRound); `row` is it
 * as held by us, and its one write also takes it (attempts, owner, lease).
 */
async function advance(env: ExecEnv, uow: UnitOfWork, row: RunsTable, steps: Step[], pending: PendingCheckpoint[], fromQueued?: { leaseUntil: string }, fresh = false): Promise<RoundResult> {
  const { services } = env;
  const fence: RunFence = fenceOf(row, env.owner);
  let state: RunState = {
    cursor: row.cursor,
    variables: fromJson<Record<string, unknown>>(row.variables, {}),
    stepLog: fromJson<StepLogEntry[]>(row.step_log, []),
    jumps: row.jumps,
  };
  let next: NextState = { ...state, status: 'running' };
  // The log's length before this round's steps: what is new in it (run-activity.ts).
  const logged = state.stepLog.length;
  let done = 0;
  for (;;) {
    if (state.cursor >= steps.length) { next = { ...state, status: 'completed' }; break; }
    if (env.stopping()) break;
    const step = steps[state.cursor]!;
    const definition = stepRegistry[step.type];
    const contact = await contactIn(uow, row.contact_id);
    if (!contact) throw new RoundAborted();
    const conversation = (await openConversationIn(uow, row.contact_id)) ?? null;
    const outside = runsOutside(definition, conversation, { contactId: row.contact_id, db: uow.trx, config: step.config });
    if (typeof outside === 'boolean' ? outside : await outside) break;
    const notes: string[] = [];
    const { run, startedAt, idempotencyKey } = startStep(row, state, step);
    const ctx = buildStepContext({
      services, run, step, contact, conversation, idempotencyKey, notes, effects: uow.trx, fresh,
      db: ((fn: (u: UnitOfWork) => Promise<unknown>) => fn(uow)) as <R>(fn: (u: UnitOfWork) => Promise<R>) => Promise<R>,
    });
    let outcome: StepOutcome;
    try {
      outcome = await (definition.run as (c: typeof ctx) => Promise<StepOutcome>)(ctx);
    } catch {
      throw new RoundAborted();
    }
    // A failing step's changes must roll back alone: the per-run path does that.
    if (outcome.kind === 'fail' || outcome.kind === 'retry') throw new RoundAborted();
    next = applyOutcome(state, steps, outcome, { stepId: step.id, type: step.type, startedAt, endedAt: nowIso(), notes });
    done++;
    if (next.status !== 'running') break;
    state = next;
  }
  if (next.status === 'running' && done === 0) {
    // Nothing done for this run (its first step is outside, or the engine stops): no write,
    // unless it was picked queued: then it is taken now, to go on alone.
    if (fromQueued && !(await claimHeldRun(uow.trx, fence, fromQueued.leaseUntil))) throw new RoundAborted();
    return { id: row.id, status: 'continue', row };
  }
  if (next.status === 'completed' || next.status === 'failed') next = { ...next, endedAt: nowIso() };
  pending.push({ fence, next, since: logged });
  switch (next.status) {
    case 'completed': case 'failed': return { id: row.id, status: next.status };
    case 'waiting': return { id: row.id, status: 'waiting', wakeAt: next.wakeAt };
    default:
      return {
        id: row.id, status: 'continue',
        row: { ...row, cursor: next.cursor, variables: toJson(next.variables), step_log: toJson(next.stepLog), jumps: next.jumps },
      };
  }
}
