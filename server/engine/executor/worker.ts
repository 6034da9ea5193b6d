import type { Services } from '../../services';
import { renewLeases, type RunFence } from './checkpoint';
import { claimHeads, claimRuns } from './claim';
import { executeQueuedRound, executeRound, HEAD_SHARE, nextHeadShare, type QueuedPick, type RoundResult } from './batch-round';
import { hasDueNonQueuedSqlite } from './claim-sqlite';
import { executeRun, type ExecEnv } from './execute-run';
import type { RunsTable } from '../../store/schema';
import type { PairTail } from './round-prefetch';
import { MarkRecheck } from './mark-recheck';
import { PEER_BEAT_MS, Peers } from './peers';
import { unblockStalled } from './run-queue';
import { restFactor } from './rest';
import { MAX_TIMER_MS } from '../../periodic';
import { isDatabaseLocked, isTransientDatabaseError } from '../../store/transient-errors';

export interface WorkerOptions {
  owner: string;
  /** Runs executed at once by this process. */
  concurrency: number;
  leaseMs: number;
  /** Fallback poll for runs made due elsewhere (other instances, timers missed). */
  pollMs: number;
  /** How long stop() waits for in-flight steps before giving up on them (their lease then runs out). */
  stopGraceMs: number;
  /**
   * Runs claimed at once and advanced together in one transaction (group commit, batch-round.ts);
   * 1 executes every run alone, a transaction per step.
   */
  batch?: number;
  /**
   * How often every blocked run is checked for a pair that became free meanwhile (the safety net
   * behind each process re-checking its own marks: a crash between a mark and its re-check).
   */
  unblockMs?: number;
  /** PostgreSQL: how long after marking a head blocked this process looks at it again (see mark-recheck.ts). */
  recheckMs?: number;
  /**
   * A burst of deliveries is acknowledged first: while the runs a round takes were queued less
   * than this long ago, the executor leaves most of the loop to acknowledgements (BURST_REST);
   * past it, its usual share (BUSY_REST), so a sustained flood still moves the backlog.
   */
  burstMs?: number;
}


/** Rounds in flight at once on PostgreSQL (each holds one pooled connection; the pool has 10). */
const PG_ROUNDS = 4;
/**
 * Rounds in flight for a pool of `size` (DATABASE_POOL_SIZE): two connections stay free for the
 * rest (webhook batches, the API, a run someone waits on), whose every statement otherwise waited
 * for a round to end. Pool of 5, a shortcut's chain of three runs behind 4,000 queued ones: it
 * ended after a median of ~930 of them with four rounds, ~510 with three; the backlog took as long.
 */
export const roundsFor = (size: number) => Math.max(1, Math.min(PG_ROUNDS, size - 2));
/**
 * PostgreSQL: rounds this many times larger while no deliveries queue up. A backlog then drains in
 * a quarter of the commits, picks and statements (its ~10 statements a round shared by four times
 * the runs); while deliveries come in, rounds stay small, so acknowledgements keep their share.
 * Three-step runs, interleaved with the build before: round trips per run 0.21 → 0.16, server and
 * PostgreSQL CPU per run 414-430 / 255-285 → 304-332 / 195-212 µs (bench/RESULTS.md, sixteenth session).
 */
const DRAIN_FACTOR = 4;
/**
 * PostgreSQL: a queued round's budget. DRAIN_FACTOR times the batch while nothing else wants the
 * event loop; the batch alone while deliveries queue up, or while a run someone waits on (an
 * express run: a shortcut, an ad reply) is being claimed or executed. That run goes a step per
 * transaction beside the rounds, and each of its round trips waits for the loop between them: a
 * drained round of 256 runs holds it ~4× as long. Behind 4,000 queued runs, a shortcut ended
 * after a median of 832 (up to 1,856) of them with drained rounds beside it, 640 (up to 832)
 * with batch-sized ones; launched on an instance without a worker, 976 (up to 2,208) and 416
 * (up to 768) (express-runs.pg.test.ts, eight runs each, twenty-sixth session).
 */
export function queuedRoundBudget(batch: number, now: { demand: boolean; express: number }): number {
  return now.demand || now.express > 0 ? batch : batch * DRAIN_FACTOR;
}

/** PostgreSQL: how often the claim path looks for due waiting runs and expired leases while queued rounds run. */
const CLAIM_DUE_MS = 100;
/**
 * PostgreSQL, several instances: after a pick that found nothing to take in other instances' shares
 * either, none is tried there again for this long. A burst of one contact is one pair that only
 * one round at a time can advance: the other instance picked it on every kick (each ingest commit),
 * found its head held, and its probe walked the pair's history (~9 s of PostgreSQL time per 20,000
 * runs). Taking over the share of an instance that is overloaded or gone waits at most this long.
 */
const STEAL_BACKOFF_MS = 100;
/** PostgreSQL: a mark is looked at again this long after it (rounds that could race it are over by then). */
const RECHECK_MS = 1_000;
/** PostgreSQL: the full sweep of blocked runs, behind the re-checks. */
const PG_SWEEP_MS = 30_000;
/** Marks looked at again per statement. */
const RECHECK_CHUNK = 1_000;
/**
 * Express runs (RunSignal.express) being claimed or executed at once, at most: beyond it they
 * wait in the queue like any other run (a campaign's thousand ad replies are a burst, not a person waiting).
 */
const EXPRESS_MAX = 16;

/**
 * Claims due runs and executes them, up to `concurrency` at a time. Woken by kick() (run
 * signal, NOTIFY, a wait's timer, a run finishing) and by a poll every `pollMs`.
 */
export class RunWorker {
  private active = new Map<string, { fence: RunFence; done: Promise<void> }>();
  /** Runs in rounds now, and the rounds in flight (at most maxRounds). */
  private inRounds = new Set<string>();
  /**
   * PostgreSQL: queue heads picked by queued rounds in flight, still queued in the database
   * until their round commits. Later picks and claims pass over them. A claim that takes one
   * anyway (picked meanwhile) runs it: the round's lock then no longer matches it.
   */
  private picked = new Set<string>();
  private rounds = 0;
  /**
   * PostgreSQL: the last queued round's pick left nothing runnable in what it read: it found no
   * head beside other rounds (not deep), or fewer than it asked for. Another pick beside the
   * rounds in flight would read the same window again: none is made until one of their transactions ends.
   */
  private pickedOut = false;
  /** PostgreSQL: a kick came while pickedOut held it back: the next round whose transaction ends kicks, whatever it took. */
  private heldKick = false;
  /** A queued round's new heads are at most 1/headShare of it (batch-round.ts, nextHeadShare); both stores. */
  private headShare: number = HEAD_SHARE.least;
  /** PostgreSQL: no pick takes other instances' heads before this time (STEAL_BACKOFF_MS). */
  private stealAfter = 0;
  /** PostgreSQL: the pump stopped at maxRounds (or concurrency): the next round to end kicks it, whatever it took. */
  private full = false;
  /** Express runs being claimed now (see express()). */
  private expressing = 0;
  /** Express runs claimed and executing now (see express()): PostgreSQL rounds stay small meanwhile. */
  private expressRuns = 0;
  private roundsDone = new Set<Promise<void>>();
  private readonly maxRounds: number;
  private readonly roundSize: number;
  private stopped = false;
  private pumping = false;
  private again = false;
  private timers: NodeJS.Timeout[] = [];
  private wake: { at: number; timer: NodeJS.Timeout } | undefined;
  private lastClaim = 0;
  private readonly marks: MarkRecheck;
  /** PostgreSQL: the other instances executing runs, and this one's share of the contacts. */
  private readonly peers: Peers | undefined;
  private readonly noteMarks: ((ids: string[]) => void) | undefined;

  constructor(private services: Services, private opts: WorkerOptions) {
    this.maxRounds = services.store.dialect === 'postgres' ? roundsFor(services.store.pgPool?.options.max ?? 10) : 1;
    // A whole batch per round on both. PostgreSQL had half a batch per round (32, so that one
    // round would not take every runnable head and leave the others idle): its ~12 statements a
    // round were then shared by half as many runs, and a contact's backlog moved 32 runs per
    // commit instead of 64. The pick takes at most half a round in new heads, down to an eighth
    // while pairs have backlogs (HEAD_SHARE in batch-round.ts); the passes fill the rest.
    this.roundSize = opts.batch ?? 1;
    this.marks = new MarkRecheck(opts.recheckMs ?? RECHECK_MS);
    // SQLite has one writer: a mark and the end of the run before it cannot interleave.
    this.noteMarks = services.store.dialect === 'postgres' ? (ids) => this.marks.add(ids) : undefined;
    this.peers = services.store.dialect === 'postgres' ? new Peers(services.db, opts.owner) : undefined;
  }

  start() {
    this.timers.push(setInterval(() => this.kick(), this.opts.pollMs));
    this.timers.push(setInterval(() => void this.renew(), Math.max(100, Math.floor(this.opts.leaseMs / 3))));
    // PostgreSQL: a pick marking a run blocked just as another round ends the run before it
    // leaves the run waiting; the marks are looked at again shortly after, and this sweep is
    // the net behind that. SQLite (one writer) has no such race.
    const postgres = this.services.store.dialect === 'postgres';
    this.timers.push(setInterval(() => void this.unblock(), this.opts.unblockMs ?? (postgres ? PG_SWEEP_MS : 10_000)));
    if (postgres) this.timers.push(setInterval(() => void this.recheck(), Math.max(50, Math.floor((this.opts.recheckMs ?? RECHECK_MS) / 4))));
    if (this.peers) {
      void this.beat();
      this.timers.push(setInterval(() => void this.beat(), PEER_BEAT_MS));
    }
    this.kick();
  }

  private async unblock() {
    if (this.stopped) return;
    try {
      if (await unblockStalled(this.services.db, this.services.store.dialect) > 0) this.kick();
    } catch (err) {
      this.warn(err, 'releasing stalled queued runs failed');
    }
  }

  private async beat() {
    if (this.stopped) return;
    try {
      await this.peers?.beat();
    } catch (err) {
      this.services.log.warn({ err }, 'telling the other instances this one is alive failed');
    }
  }

  /** This process's marks old enough to look at again: any left blocked with nothing before them are released. */
  private async recheck() {
    if (this.stopped) return;
    const ids = this.marks.due();
    try {
      for (let i = 0; i < ids.length; i += RECHECK_CHUNK) {
        if (await unblockStalled(this.services.db, this.services.store.dialect, ids.slice(i, i + RECHECK_CHUNK)) > 0) this.kick();
      }
    } catch (err) {
      this.services.log.warn({ err }, 'looking again at runs marked blocked failed (the sweep will)');
    }
  }

  /** Look for due runs now (coalesced: at most one claim loop at a time). */
  kick() {
    if (this.stopped) return;
    // PostgreSQL: the last pick left nothing runnable in what it read. A kick now (an ingest commit,
    // the poll) would read the same window again, and mark again the later runs of the pairs the
    // rounds in flight hold, which they take themselves: one contact's burst paid 2.3 picks and
    // 0.8 marks per round. The next round whose transaction ends kicks (pickable()).
    if (this.pickedOut && this.rounds > 0) { this.heldKick = true; return; }
    if (this.pumping) { this.again = true; return; }
    void this.pump();
  }

  get activeCount() { return this.active.size; }

  /** PostgreSQL: no other instance executes runs (as of the last beat, at most a second old): none needs telling of new ones. */
  get executesAlone(): boolean { return this.peers?.alone ?? false; }

  private async pump() {
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (!this.stopped && this.active.size < this.opts.concurrency && this.rounds < this.maxRounds) {
          // Let pending I/O run before each claim (see execute-run: SQLite work is synchronous).
          await this.services.pacer.turn();
          const now = Date.now();
          // Queue heads are advanced in rounds with no claim of their own (batch-round.ts),
          // unless a waiting run is due or a lease ran out: those are claimed below.
          if (this.queuedRounds && !(await this.claimDue(now))) {
            // Nothing (more) in the first window beside rounds in flight: their ends kick the pump again.
            // (A claim now would read the whole backlog to mark it, see pickHeldPostgres.) One
            // contact's burst: each round's pick takes its one head, and the pick after it beside
            // that round found nothing, every round.
            if (await (this.maxRounds > 1 ? this.queuedRoundConcurrent() : this.queuedRound())) { if (this.pickedOut) break; continue; }
            if (this.pickedOut) break;
          }
          const rows = await claimRuns(this.services.store, this.claimRequest(now, (this.opts.batch ?? 1) > 1 ? this.roundSize : this.opts.concurrency - this.active.size));
          if (rows.length === 0) break;
          // Our own run whose lease ran out while still executing here: the claim renewed it; keep one executor.
          const fresh = rows.filter((row) => !this.active.has(row.id) && !this.inRounds.has(row.id));
          if (fresh.length === 0) continue;
          if ((this.opts.batch ?? 1) <= 1) {
            for (const row of fresh) this.alone(row);
            continue;
          }
          const round = this.round(fresh);
          // SQLite has one connection: rounds go one after the other. PostgreSQL takes several at
          // once (each on its own connection), so round trips overlap instead of adding up.
          if (this.rounds >= this.maxRounds) await round;
        }
        // Full: a kick meanwhile found no slot; the next round to end kicks again (see queuedRoundConcurrent).
        if (this.rounds >= this.maxRounds || this.active.size >= this.opts.concurrency) this.full = true;
      } while (this.again && !this.stopped);
    } catch (err) {
      if (!this.stopped) this.logFailure(err, 'claiming runs failed');
    } finally {
      this.pumping = false;
    }
  }

  private get queuedRounds() { return (this.opts.batch ?? 1) > 1; }

  /**
   * Whether the claim path should run now (due waiting runs, expired leases). SQLite asks the
   * database (two index probes). PostgreSQL claims every CLAIM_DUE_MS instead: a probe per
   * round would be a round trip per round, and the claim also takes queue heads.
   */
  private async claimDue(now: number): Promise<boolean> {
    if (this.services.store.dialect === 'sqlite') return hasDueNonQueuedSqlite(this.services.db, new Date(now).toISOString());
    if (now - this.lastClaim < CLAIM_DUE_MS) return false;
    this.lastClaim = now;
    return true;
  }

  /**
   * PostgreSQL: a queued round on its own connection, beside up to maxRounds others. Resolves
   * once its heads are picked (true when there were any), so the next round's pick passes over
   * them; the round itself goes on. `after`: no pick; the round goes on with these pairs, which
   * the round before it (committed) left at its budget, and takes the slot that round leaves.
   */
  private queuedRoundConcurrent(after?: readonly PairTail[]): Promise<boolean> {
    this.rounds++;
    const deep = this.rounds === 1;
    const steal = deep && Date.now() >= this.stealAfter;
    if (!after) this.pickedOut = false;
    const started = performance.now();
    let mine: string[] = [];
    // Pairs this round's budget cut, and (once it has committed) the pairs the next round goes on with.
    let cut: PairTail[] = [];
    let follow: PairTail[] = [];
    let others = true;
    let report!: (some: boolean) => void;
    const pickedSome = new Promise<boolean>((resolve) => { report = resolve; });
    const pick: QueuedPick = {
      skip: this.picked,
      share: this.peers?.partition,
      // Other contacts' heads only when this instance has nothing else in hand: with rounds of
      // its own in flight, its share has work (those rounds' pairs), and it waits for them.
      steal,
      deep,
      headShare: this.headShare,
      chained: (filled) => { this.headShare = nextHeadShare(this.headShare, filled); },
      ...(this.noteMarks ? { marked: this.noteMarks } : {}),
      after,
      cut: (pairs, more) => { cut = pairs; others = more; },
      picked: (ids, all) => {
        mine = ids;
        for (const id of ids) this.picked.add(id);
        if (after) { report(ids.length > 0); return; }
        // A deep pick that found nothing goes on to the claim path (due waits, expired leases).
        if (all && (ids.length > 0 || !deep)) this.pickedOut = true;
        if (ids.length === 0 && steal && this.peers?.partition) this.stealAfter = Date.now() + STEAL_BACKOFF_MS;
        report(ids.length > 0);
      },
    };
    const done = (async () => {
      try {
        const budget = queuedRoundBudget(this.roundSize, { demand: this.services.pacer.demand, express: this.expressing + this.expressRuns });
        const results = await executeQueuedRound(this.env(), budget, this.opts.leaseMs, pick);
        if (results === 'none') return;
        // Its transaction is over: the next runs of its pairs are queue heads now. A kick held back
        // meanwhile picks them beside this round's rest (as it did before kicks were held). Not
        // when its budget cut every pair it released: the round after its rest goes on with them,
        // and a pick now raced that round for each pair's next run, one of the two coming back empty
        // (one contact's burst while deliveries came in: 2.3x the round trips per run, and a round
        // that waited a whole round for the contact's lock to find its runs taken).
        if (cut.length === 0 || others) this.pickable();
        await this.restAfter(started, mine);
        if (!results) {
          // Rolled back: its runs are still queued; take those and go one by one (the per-run
          // path records a failing step's error), instead of picking them into the next round.
          for (const id of mine) this.picked.delete(id);
          const rows = await claimHeads(this.services.store, this.claimRequest(Date.now(), mine.length), mine);
          for (const row of rows) if (!this.active.has(row.id)) this.alone(row);
          return;
        }
        follow = cut;
        this.settle(results);
      } catch (err) {
        if (!this.stopped) this.logFailure(err, 'queued run round failed; its runs stay queued');
      } finally {
        report(false); // picking failed: the claim path meets the same trouble and ends this pump
        for (const id of mine) this.picked.delete(id);
        this.rounds--;
        // A backlog's pairs go on in this round's slot, before any kick: a pick now would race
        // that round for their next runs (whoever locks one first takes the pair; both are right).
        // Not in the last slot free for picks: rounds going on with their pairs in every slot
        // would leave other contacts' runs queued until those backlogs were done; a pick takes
        // the oldest heads, whoever's they are.
        if (follow.length > 0 && (this.stopped || this.rounds >= this.maxRounds - 1)) follow = [];
        if (follow.length > 0) void this.queuedRoundConcurrent(follow);
        // A round that took nothing changed nothing to look at again: kicked, the pump would pick
        // again beside the rounds still in flight, miss, and kick again, a loop of empty picks
        // (one contact's backlog: 5,372 picks for 20,000 runs) until those rounds end. Nor does
        // one whose pairs the round after it goes on with (one contact's backlog: each round
        // picked beside the next, and found its runs held).
        // A round going on with pairs that took none of their runs (a pick or a mark held the next
        // one) kicks: what it left is for a pick now.
        if ((mine.length > 0 && (follow.length === 0 || others)) || (after && mine.length === 0) || this.full || (this.heldKick && this.rounds === 0)) {
          this.full = false;
          this.pickedOut = false;
          this.heldKick = false;
          this.kick();
        }
      }
    })();
    void this.track(done);
    return pickedSome;
  }

  /** PostgreSQL: a round's transaction ended, so a pick may find something again: a kick held back goes now. */
  private pickable() {
    if (!this.pickedOut) return;
    this.pickedOut = false;
    if (this.heldKick) {
      this.heldKick = false;
      this.kick();
    }
  }

  /** A queued round (batch-round.ts); false when no queue head was runnable. */
  private async queuedRound(): Promise<boolean> {
    this.rounds++;
    const started = performance.now();
    let picked = true;
    const done = (async () => {
      try {
        const results = await executeQueuedRound(this.env(), this.roundSize, this.opts.leaseMs, {
          picked: () => {}, headShare: this.headShare, chained: (filled) => { this.headShare = nextHeadShare(this.headShare, filled); },
        });
        if (results === 'none') { picked = false; return; }
        await this.restAfter(started, results ? results.map((r) => r.id) : []);
        if (!results) {
          // Rolled back, claim included: the runs are still queued; take them and go one by one.
          const rows = await claimRuns(this.services.store, this.claimRequest(Date.now(), this.roundSize));
          for (const row of rows) if (!this.active.has(row.id)) this.alone(row);
          return;
        }
        this.settle(results);
      } catch (err) {
        picked = false; // the claim path below meets the same trouble and ends this pump
        if (!this.stopped) this.logFailure(err, 'queued run round failed; its runs stay queued');
      } finally {
        this.rounds--;
      }
    })();
    await this.track(done);
    return picked;
  }

  private claimRequest(now: number, limit: number) {
    return { owner: this.opts.owner, now: new Date(now).toISOString(), leaseUntil: new Date(now + this.opts.leaseMs).toISOString(), limit, skip: this.picked, share: this.peers?.partition, steal: this.rounds === 0 && Date.now() >= this.stealAfter, deep: this.rounds === 0, ...(this.noteMarks ? { marked: this.noteMarks } : {}) };
  }

  /**
   * A round holds the event loop for its whole length (SQLite is synchronous). While deliveries
   * queue up, rest after it: BUSY_REST times as long (the executor takes about a quarter of the
   * loop, acknowledgements the rest: they are what a sender waits on), or BURST_REST times while
   * the round's oldest run is younger than burstMs (a burst: its runs wait a little longer, its
   * senders do not; the work is the same and is done as soon as the burst is over).
   */
  private async restAfter(started: number, runIds: string[]) {
    const length = performance.now() - started;
    // Demand as the round began: it held the loop, so no batch could renew the window meanwhile.
    if (!this.services.pacer.demandSince(Date.now() - length)) return;
    const factor = restFactor(runIds, Date.now(), this.opts.burstMs ?? 0);
    await new Promise((r) => setTimeout(r, Math.min(100, factor * length)));
  }

  /** What a committed round left to do: wake-ups for its waiting runs, the rest of the others alone. */
  private settle(results: RoundResult[]) {
    for (const r of results) {
      if (r.status === 'waiting') this.wakeAt(Date.parse(r.wakeAt));
      else if (r.status === 'continue') this.alone(r.row);
    }
  }

  /** Keeps a round's promise until it ends, so stop() can wait for it. */
  private track(done: Promise<void>): Promise<void> {
    this.roundsDone.add(done);
    void done.then(() => this.roundsDone.delete(done));
    return done;
  }

  /** Advances `rows` together (batch-round.ts); what is left of them continues alone. */
  private round(rows: RunsTable[]): Promise<void> {
    this.rounds++;
    for (const row of rows) this.inRounds.add(row.id);
    const started = performance.now();
    const done = (async () => {
      try {
        const results = await executeRound(this.env(), rows);
        await this.restAfter(started, rows.map((r) => r.id));
        for (const row of rows) this.inRounds.delete(row.id);
        if (!results) {
          for (const row of rows) this.alone(row);
          return;
        }
        this.settle(results);
      } catch (err) {
        if (!this.stopped) this.logFailure(err, 'run round failed; its runs resume when their leases run out');
      } finally {
        for (const row of rows) this.inRounds.delete(row.id);
        this.rounds--;
        this.pickedOut = false;
        this.heldKick = false;
        this.kick();
      }
    })();
    return this.track(done);
  }

  /** A database error that passes (another instance migrating, a deadlock, an outage) is a warning: nothing is lost, the work is done again. */
  private logFailure(err: unknown, message: string, fields: Record<string, unknown> = {}) {
    if (isTransientDatabaseError(err)) this.warn(err, message, fields);
    else this.services.log.error({ err, ...fields }, message);
  }

  /**
   * Not for a SQLite file another process holds the write lock of: every claim, round and lease
   * renewal meets it until it is let go, and the store says so once (server.ts, sqlite-lock.ts).
   */
  private warn(err: unknown, message: string, fields: Record<string, unknown> = {}) {
    if (!isDatabaseLocked(err)) this.services.log.warn({ err, ...fields }, message);
  }

  private env(): ExecEnv {
    return { services: this.services, owner: this.opts.owner, stopping: () => this.stopped };
  }

  /**
   * Runs someone is waiting on (RunSignal.express): claimed now and executed on their own, ahead
   * of the runs queued before them, unless their pair has an unfinished run before them (the claim
   * leaves them then, and the queue takes them in turn). A round or a pick that got there first
   * keeps them (the claim finds them no longer queued).
   */
  express(runIds: readonly string[]) {
    if (this.stopped) return;
    const ids = runIds.filter((id) => !this.active.has(id) && !this.inRounds.has(id) && !this.picked.has(id)).slice(0, EXPRESS_MAX - this.expressing);
    if (ids.length === 0) return;
    this.expressing += ids.length;
    void claimHeads(this.services.store, this.claimRequest(Date.now(), ids.length), ids, { only: true })
      .then((rows) => { for (const row of rows) if (!this.active.has(row.id)) this.alone(row, true); })
      .catch((err) => { if (!this.stopped) this.warn(err, 'claiming runs someone waits on failed; they stay queued'); })
      .finally(() => { this.expressing -= ids.length; });
  }

  /** Executes one claimed run on its own, step by step (outside steps, and a round that was rolled back). */
  private alone(row: RunsTable, express = false) {
    const fence: RunFence = { id: row.id, workflowId: row.workflow_id, contactId: row.contact_id, owner: this.opts.owner, attempts: row.attempts };
    if (express) this.expressRuns++;
    const done = executeRun(this.env(), row, express)
      .then((result) => {
        if (result.status === 'waiting') this.wakeAt(Date.parse(result.wakeAt));
        else if (result.status === 'released' && result.retryAt) this.wakeAt(Date.parse(result.retryAt));
      })
      .catch((err) => { if (!this.stopped) this.logFailure(err, 'run execution failed; it resumes when its lease runs out', { runId: row.id }); })
      .finally(() => { if (express) this.expressRuns--; this.active.delete(row.id); this.kick(); });
    this.active.set(row.id, { fence, done });
  }

  /** A run of ours waits until `at`: be awake then (the poll would find it too, later). */
  private wakeAt(at: number) {
    if (this.stopped || (this.wake && this.wake.at <= at)) return;
    if (this.wake) clearTimeout(this.wake.timer);
    // A Wait of weeks is past Node's longest timer (it would fire at once, with a warning): the
    // wake comes at that limit and finds nothing due, and the poll takes the run when it is.
    const timer = setTimeout(() => { this.wake = undefined; this.kick(); }, Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now()) + 5));
    timer.unref();
    this.wake = { at, timer };
  }

  private async renew() {
    if (this.stopped || this.active.size === 0) return;
    try {
      await renewLeases(this.services.db, this.opts.owner, [...this.active.values()].map((a) => a.fence), new Date(Date.now() + this.opts.leaseMs).toISOString());
    } catch (err) {
      this.warn(err, 'renewing run leases failed');
    }
  }

  async stop() {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    if (this.wake) clearTimeout(this.wake.timer);
    const all = Promise.allSettled([...this.active.values()].map((a) => a.done).concat([...this.roundsDone]));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((resolve) => { timer = setTimeout(resolve, this.opts.stopGraceMs); })]);
    clearTimeout(timer);
    // The others take this instance's share at their next beat instead of PEER_STALE_MS later.
    await this.peers?.leave().catch((err: unknown) => this.services.log.warn({ err }, 'leaving the other instances failed'));
  }
}
