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
  get demand() {
    const until = this.shared?.side === 'executor' ? this.shared.mainDemandUntil : this.demandUntil;
    return Date.now() < until;
  }

  turn(): Promise<void> {
    if (!this.busy && this.waiting.length === 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => { this.waiting.push(resolve); this.schedule(); });
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.busy) this.waiting.shift()?.();
      else for (const release of this.waiting.splice(0)) release();
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
