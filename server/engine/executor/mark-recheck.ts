/**
 * Queue heads this process marked blocked, handed back for a second look once every transaction
 * that could have raced the mark has ended. A mark races the end of the run before it when that
 * run's round (another instance, or another connection of this one) looks for a blocked successor
 * to release before the mark commits, and commits after the mark was decided: the successor then
 * stays blocked with nothing before it. Looking again at the few runs one marked is a handful of
 * index probes; sweeping every blocked run for the same reason (every 2 s, per instance) read
 * the whole backlog each time and was a tenth of PostgreSQL's work with two instances.
 */
export class MarkRecheck {
  private batches: { at: number; ids: string[] }[] = [];
  private held = 0;

  /** `delayMs`: how long after a mark its racing transactions are surely over; at most `max` ids held (beyond, the full sweep covers them). */
  constructor(private readonly delayMs: number, private readonly max = 50_000) {}

  add(ids: readonly string[], now = Date.now()) {
    if (ids.length === 0 || this.held + ids.length > this.max) return;
    this.batches.push({ at: now, ids: [...ids] });
    this.held += ids.length;
  }

  /** Marks old enough to look at again (each once), oldest first; they are forgotten here. */
  due(now = Date.now()): string[] {
    const out = new Set<string>();
    while (this.batches.length > 0 && now - this.batches[0]!.at >= this.delayMs) {
      const batch = this.batches.shift()!;
      this.held -= batch.ids.length;
      for (const id of batch.ids) out.add(id);
    }
    return [...out];
  }

  get size() { return this.held; }
}
