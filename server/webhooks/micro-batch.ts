/** Each input's own result: a value or the error its caller gets. */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface MicroBatchOptions {
  /** A batch holds at most this many items; more wait for the next one. */
  maxBatch: number;
}

/**
 * Group commit: calls made while a batch is being written (or in the same event-loop turn)
 * are gathered and handed to `process` together. One batch runs at a time; the next starts
 * as soon as the previous ends, on the next turn (setImmediate) so that everything the
 * poll phase delivered meanwhile joins it. `process` answers every item on its own.
 */
export class MicroBatcher<I, O> {
  private queue: { input: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private busy = false;
  private scheduled = false;

  constructor(private process: (inputs: I[]) => Promise<Outcome<O>[]>, private opts: MicroBatchOptions) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.queue.length >= this.opts.maxBatch) void this.flush();
      else this.schedule();
    });
  }

  private schedule() {
    if (this.busy || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush() {
    if (this.busy || this.queue.length === 0) return;
    this.busy = true;
    const batch = this.queue.splice(0, this.opts.maxBatch);
    try {
      const outcomes = await this.process(batch.map((b) => b.input));
      batch.forEach((b, i) => {
        const o = outcomes[i];
        if (o?.ok) b.resolve(o.value);
        else b.reject(o ? o.error : new Error('batch gave no answer for this item'));
      });
    } catch (err) {
      for (const b of batch) b.reject(err);
    } finally {
      this.busy = false;
      if (this.queue.length > 0) this.schedule();
    }
  }
}
