import type { Services } from '../../services';
import { renewLeases, type RunFence } from './checkpoint';
import { claimRuns } from './claim';
import { executeRound } from './batch-round';
import { executeRun, type ExecEnv } from './execute-run';
import type { RunsTable } from '../../store/schema';
import { unblockStalled } from './run-queue';

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
  /** How often runs left blocked after their pair became free (a race between instances) are released. */
  unblockMs?: number;
}

const BUSY_REST = Number(process.env.COMPANION_BUSY_REST ?? 3);

/**
 * Claims due runs and executes them, up to `concurrency` at a time. Woken by kick() (run
 * signal, NOTIFY, a wait's timer, a run finishing) and by a poll every `pollMs`.
 */
export class RunWorker {
  private active = new Map<string, { fence: RunFence; done: Promise<void> }>();
  private stopped = false;
  private pumping = false;
  private again = false;
  private timers: NodeJS.Timeout[] = [];
  private wake: { at: number; timer: NodeJS.Timeout } | undefined;

  constructor(private services: Services, private opts: WorkerOptions) {}

  start() {
    this.timers.push(setInterval(() => this.kick(), this.opts.pollMs));
    this.timers.push(setInterval(() => void this.renew(), Math.max(100, Math.floor(this.opts.leaseMs / 3))));
    this.timers.push(setInterval(() => void this.unblock(), this.opts.unblockMs ?? 10_000));
    this.kick();
  }

  private async unblock() {
    if (this.stopped) return;
    try {
      if (await unblockStalled(this.services.db, this.services.store.dialect) > 0) this.kick();
    } catch (err) {
      this.services.log.warn({ err }, 'releasing stalled queued runs failed');
    }
  }

  /** Look for due runs now (coalesced: at most one claim loop at a time). */
  kick() {
    if (this.stopped) return;
    if (this.pumping) { this.again = true; return; }
    void this.pump();
  }

  get activeCount() { return this.active.size; }

  private async pump() {
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (!this.stopped && this.active.size < this.opts.concurrency) {
          // Let pending I/O run before each claim (see execute-run: SQLite work is synchronous).
          await this.services.pacer.turn();
          const now = Date.now();
          const rows = await claimRuns(this.services.store, {
            owner: this.opts.owner,
            now: new Date(now).toISOString(),
            leaseUntil: new Date(now + this.opts.leaseMs).toISOString(),
            limit: this.opts.batch ?? 1,
          });
          if (rows.length === 0) break;
          // Our own run whose lease ran out while still executing here: the claim renewed it; keep one executor.
          const fresh = rows.filter((row) => !this.active.has(row.id));
          if (fresh.length === 0) continue;
          const env = this.env();
          const roundStarted = performance.now();
          const results = (this.opts.batch ?? 1) > 1 ? await executeRound(env, fresh) : undefined;
          // A round holds the event loop for its whole length (SQLite is synchronous). While
          // deliveries queue up, rest BUSY_REST times as long after it: the executor then takes
          // about a quarter of the loop and acknowledgements the rest (they are what a sender waits on).
          if (this.services.pacer.demand) await new Promise((r) => setTimeout(r, Math.min(100, BUSY_REST * (performance.now() - roundStarted))));
          if (!results) {
            for (const row of fresh) this.alone(row);
            continue;
          }
          for (const r of results) {
            if (r.status === 'waiting') this.wakeAt(Date.parse(r.wakeAt));
            else if (r.status === 'continue') this.alone(r.row);
          }
        }
      } while (this.again && !this.stopped);
    } catch (err) {
      if (!this.stopped) this.services.log.error({ err }, 'claiming runs failed');
    } finally {
      this.pumping = false;
    }
  }

  private env(): ExecEnv {
    return { services: this.services, owner: this.opts.owner, stopping: () => this.stopped };
  }

  /** Executes one claimed run on its own, step by step (outside steps, and a round that was rolled back). */
  private alone(row: RunsTable) {
    const fence: RunFence = { id: row.id, workflowId: row.workflow_id, contactId: row.contact_id, owner: this.opts.owner, attempts: row.attempts };
    const done = executeRun(this.env(), row)
      .then((result) => { if (result.status === 'waiting') this.wakeAt(Date.parse(result.wakeAt)); })
      .catch((err) => { if (!this.stopped) this.services.log.error({ err, runId: row.id }, 'run execution failed; it resumes when its lease runs out'); })
      .finally(() => { this.active.delete(row.id); this.kick(); });
    this.active.set(row.id, { fence, done });
  }

  /** A run of ours waits until `at`: be awake then (the poll would find it too, later). */
  private wakeAt(at: number) {
    if (this.stopped || (this.wake && this.wake.at <= at)) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(() => { this.wake = undefined; this.kick(); }, Math.max(0, at - Date.now()) + 5);
    timer.unref();
    this.wake = { at, timer };
  }

  private async renew() {
    if (this.stopped || this.active.size === 0) return;
    try {
      await renewLeases(this.services.db, this.opts.owner, [...this.active.values()].map((a) => a.fence), new Date(Date.now() + this.opts.leaseMs).toISOString());
    } catch (err) {
      this.services.log.warn({ err }, 'renewing run leases failed');
    }
  }

  async stop() {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    if (this.wake) clearTimeout(this.wake.timer);
    const all = Promise.allSettled([...this.active.values()].map((a) => a.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((resolve) => { timer = setTimeout(resolve, this.opts.stopGraceMs); })]);
    clearTimeout(timer);
  }
}
