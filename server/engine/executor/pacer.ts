import type { WriteTurn } from '../../store/write-turn';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * Acknowledging deliveries comes first. While webhook deliveries queue up (a batch carries more
 * than one) and the event loop is mostly busy (> 60%), the executor takes one turn (a claim, a step) every
 * 2 ms (~10% of the loop) instead of one per event-loop turn: runs are durable and catch up once the burst is
 * over, while a 202 that waits behind them is a sender timing out and retrying. With CPU to
 * spare nothing is held back (else a steady trickle of concurrent deliveries would cap the
 * executor for good); without pressure a turn is setImmediate: pending I/O first, as before.
 */
export class Pacer {
  private busyUntil = 0;
  private demandUntil = 0;
  private waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private saturated: () => boolean;
  /** Deliveries handed to the ingest and not stored yet: their senders wait for 202s. */
  private deliveries = 0;
  /** Turns that came due while deliveries waited: they go once that batch is stored and answered. */
  private behindBatch: (() => void)[] = [];

  /**
   * `shared`: a SQLite file shared with the executor thread (write-turn.ts). The main thread's
   * pacer publishes its demand there, the executor thread's reads it: that is where webhooks queue.
   */
  constructor(private opts: { holdMs: number; intervalMs: number; saturated?: () => boolean } = { holdMs: 50, intervalMs: 2 }, private shared?: WriteTurn) {
    // 60%, not 80: a loop serving many concurrent senders still waits on them a fifth of the
    // time between group commits (measured: ~20% idle at full webhook load), and at 80% the
    // executor slipped through and took a third of the loop from the acknowledgements.
    this.saturated = opts.saturated ?? loopSaturation(0.6, 20);
  }

  /** Requests are queueing: if the loop has no time to spare, hold the executor back for the next holdMs. */
  markBusy() {
    const now = Date.now();
    this.demandUntil = now + this.opts.holdMs;
    if (this.shared?.side === 'main') this.shared.mainDemandUntil = this.demandUntil;
    if (this.saturated()) this.busyUntil = now + this.opts.holdMs;
  }

  get busy() { return Date.now() < this.busyUntil; }

  /**
   * Deliveries queued up within the last holdMs, however busy the loop looked. A run round holds
   * the loop for milliseconds at a time, so the worker rests after each while this holds (the
   * loop's utilisation misleads on a shared machine: time taken away by other processes reads as idle).
   */
  get demand() { return this.demandSince(Date.now()); }

  /**
   * Deliveries queued up at `at` (epoch ms) or since. A round on this thread holds the loop, so no
   * batch renews the window while it runs: judged at the round's start, a round longer than holdMs
   * (20-240 ms on a shared machine) does not read as "no more deliveries" and skip its rest.
   */
  demandSince(at: number) {
    const until = this.shared?.side === 'executor' ? this.shared.mainDemandUntil : this.demandUntil;
    return at < until;
  }

  /** A delivery waits for its batch (ingest.ts). */
  deliveryWaiting() { this.deliveries++; }

  /** A batch of `n` deliveries is stored: turns held behind it go after its 202s are written (the next loop turn). */
  deliveriesStored(n: number) {
    this.deliveries = Math.max(0, this.deliveries - n);
    for (const go of this.behindBatch.splice(0)) setImmediate(go);
  }

  turn(): Promise<void> {
    if (!this.busy && this.waiting.length === 0) return new Promise((resolve) => setImmediate(() => this.afterWaitingDeliveries(resolve)));
    return new Promise((resolve) => { this.waiting.push(resolve); this.schedule(); });
  }

  /**
   * A turn that comes due while deliveries wait for their batch goes after that batch: the pump asks
   * for its turn in the timers phase (after a rest) and the poll phase then reads requests, so both
   * the turn and the batch land in the same check phase, the turn first, and every sender waited a
   * whole round for its 202 (loaded: 15-46 % of rounds started so, 11 % after). One batch at most: a turn
   * is never held longer, so a steady flood cannot starve the runs.
   */
  private afterWaitingDeliveries(go: () => void) {
    if (this.deliveries === 0) { go(); return; }
    // holdMs at most, whatever happens to that batch: the runs never wait on it for good.
    let gone = false;
    const once = () => { if (!gone) { gone = true; clearTimeout(timer); go(); } };
    const timer = setTimeout(once, this.opts.holdMs);
    this.behindBatch.push(once);
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.busy) { const release = this.waiting.shift(); if (release) this.afterWaitingDeliveries(release); }
      else for (const release of this.waiting.splice(0)) this.afterWaitingDeliveries(release);
      if (this.waiting.length > 0) this.schedule();
    }, this.opts.intervalMs);
  }
}

/** Whether the event loop was busy more than `threshold` of the time, sampled at most every `everyMs`. */
function loopSaturation(threshold: number, everyMs: number): () => boolean {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  let sampledAt = 0;
  let saturated = false;
  return () => {
    const now = Date.now();
    if (now - sampledAt >= everyMs) {
      const current = performance.eventLoopUtilization();
      saturated = performance.eventLoopUtilization(current, last).utilization > threshold;
      last = current;
      sampledAt = now;
    }
    return saturated;
  };
}
