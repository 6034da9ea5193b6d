import { sql } from 'kysely';
import { encodeTime } from 'ulid';
import type { Db } from '../../store/database';

// Finished runs (their step logs and variables), events (trigger payloads) and recorded outside
// effects are kept RUN_RETENTION_DAYS (default 30; 0 keeps everything), as n8n prunes execution
// data after EXECUTIONS_DATA_MAX_AGE. Pruning goes in small batches, oldest first by id (ids are
// ULIDs: their first characters are the creation time, so the primary key is the time index and
// no other index is needed), and yields between batches so a large backlog never holds the
// writer for long. Enrollments stay: once-per-contact must still hold after the run is gone.

export const DEFAULT_RETENTION_DAYS = 30;
const BATCH = 500;
const DAY_MS = 86_400_000;

/** The smallest id a row created at `ms` can have (prefix_ + its 10-character ULID time). */
const idAt = (prefix: string, ms: number) => `${prefix}_${encodeTime(ms, 10)}`;

export interface PruneResult { runs: number; events: number; effects: number }

/** One pass: at most `batch` rows of each kind older than `days`. */
export async function pruneOnce(db: Db, days: number, now = Date.now(), batch = BATCH): Promise<PruneResult> {
  const cutoff = now - days * DAY_MS;
  // More days than since 1970 (RUN_RETENTION_DAYS=100000): nothing is that old, and a ULID cannot
  // hold a time before it (every pass failed, a warning a minute).
  if (!(cutoff > 0)) return { runs: 0, events: 0, effects: 0 };
  const cutoffIso = new Date(cutoff).toISOString();
  const runs = await sql`DELETE FROM runs WHERE id IN (
    SELECT id FROM runs WHERE id < ${idAt('run', cutoff)} AND status IN ('completed', 'failed', 'cancelled') AND ended_at < ${cutoffIso}
    ORDER BY id LIMIT ${batch})`.execute(db);
  // Keys are `<run id>:<step id>…`: they sort with their run.
  const effects = await sql`DELETE FROM step_effects WHERE key IN (
    SELECT key FROM step_effects WHERE key < ${idAt('run', cutoff)} ORDER BY key LIMIT ${batch})`.execute(db);
  const events = await sql`DELETE FROM events WHERE id IN (
    SELECT id FROM events WHERE id < ${idAt('evt', cutoff)} ORDER BY id LIMIT ${batch})`.execute(db);
  return {
    runs: Number(runs.numAffectedRows ?? 0),
    events: Number(events.numAffectedRows ?? 0),
    effects: Number(effects.numAffectedRows ?? 0),
  };
}

/** Prunes every `everyMs` until there is nothing old left, a batch per event-loop turn. */
export function startPruner(db: Db, days: number, onError: (err: unknown) => void, everyMs = 60_000): { stop(): void } {
  if (!(days > 0)) return { stop() {} };
  let stopped = false;
  let running = false;
  const pass = async () => {
    if (running || stopped) return;
    running = true;
    try {
      for (;;) {
        const r = await pruneOnce(db, days);
        if (stopped || r.runs + r.events + r.effects === 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      if (!stopped) onError(err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), everyMs);
  timer.unref();
  const first = setTimeout(() => void pass(), 5_000);
  first.unref();
  return { stop() { stopped = true; clearInterval(timer); clearTimeout(first); } };
}
