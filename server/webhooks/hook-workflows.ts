import type { Services } from '../services';
import type { Executor } from '../store/database';
import { workflowsByToken, type HookWorkflowRow } from './batch-store';

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * The workflow rows behind webhook URL tokens, kept between batches. Each batch read them
 * again: on PostgreSQL a round trip of its own before the contacts could be looked up, a third
 * of the batch's waits (one instance, 20,000 deliveries: acknowledgements +15 %, completed runs
 * +15 %, bench/RESULTS.md). Every change to a workflow announces `definitions.changed`, on every
 * instance (pg-bridge.ts), and that empties the cache, so an unpublish, an edit, a new URL or
 * signing secret counts from the next batch on, as before. A row read while such a change was
 * being made is not kept (the generation moved meanwhile). Anything changed behind the API's
 * back is seen within TTL_MS.
 */
export class HookWorkflowCache {
  private rows = new Map<string, { row: HookWorkflowRow; until: number }>();
  private generation = 0;

  static of(services: Services): HookWorkflowCache {
    const cache = new HookWorkflowCache();
    const stop = services.live.watch('definitions.changed', () => cache.clear());
    services.onClose(stop);
    return cache;
  }

  /** The rows of these tokens (a token naming no workflow is left out), read only where not cached. */
  async get(db: Executor, tokens: readonly string[], now = Date.now()): Promise<Map<string, HookWorkflowRow>> {
    const found = new Map<string, HookWorkflowRow>();
    const missing: string[] = [];
    for (const token of tokens) {
      const hit = this.rows.get(token);
      if (hit && hit.until > now) found.set(token, hit.row);
      else missing.push(token);
    }
    if (missing.length === 0) return found;
    const generation = this.generation;
    const read = await workflowsByToken(db, missing);
    const keep = generation === this.generation;
    for (const [token, row] of read) {
      found.set(token, row);
      if (!keep) continue;
      if (this.rows.size >= MAX_ENTRIES) this.rows.clear();
      this.rows.set(token, { row, until: now + TTL_MS });
    }
    return found;
  }

  clear() {
    this.generation++;
    this.rows.clear();
  }
}
