/**
 * A background worker over a table of due rows (the apps' outbox, agents' replies to try again):
 * `wake()` looks now (after a commit that queued a row), otherwise it looks again when `tick`
 * says, never twice at once (a wake during a pass runs one more pass after it), and `stop()` waits
 * for the pass in flight. Other instances' rows are noticed by the poll.
 */
export abstract class PolledWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private halted = true;

  /** One pass over due rows; resolves to the milliseconds until the next look. */
  protected abstract tick(): Promise<number>;

  /** True once stop() was called: a pass ends early rather than start more work. */
  protected get stopped() { return this.halted; }

  start() {
    this.halted = false;
    this.wake();
  }

  async stop() {
    this.halted = true;
    clearTimeout(this.timer);
    await this.running;
  }

  wake() {
    if (this.halted) return;
    if (this.running) { this.again = true; return; }
    clearTimeout(this.timer);
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) { this.again = false; this.wake(); }
    });
  }

  private async pass() {
    const nextIn = await this.tick();
    if (!this.halted) this.timer = setTimeout(() => this.wake(), nextIn).unref();
  }
}
