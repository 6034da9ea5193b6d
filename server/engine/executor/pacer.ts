/**
 * Acknowledging deliveries comes first. While webhook deliveries queue up (a batch carries more
 * than one), the executor takes one turn (a claim, a step) per millisecond instead of one per
 * event-loop turn: runs are durable and catch up once the burst is over, while a 202 that waits
 * behind them is a sender timing out and retrying. Without that pressure a turn is setImmediate:
 * pending I/O first, then the executor, as before.
 */
export class Pacer {
  private busyUntil = 0;
  private waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private opts: { holdMs: number; intervalMs: number } = { holdMs: 50, intervalMs: 1 }) {}

  /** Requests are queueing: hold the executor back for the next holdMs. */
  markBusy() { this.busyUntil = Date.now() + this.opts.holdMs; }

  get busy() { return Date.now() < this.busyUntil; }

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
