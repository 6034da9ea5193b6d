import type { Store } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import { claimPostgres } from './claim-postgres';
import { claimSqlite } from './claim-sqlite';
import { pickQueued, type PickOptions } from './run-queue';

export interface ClaimRequest extends PickOptions {
  owner: string;
  now: string;
  leaseUntil: string;
  limit: number;
  /** PostgreSQL: told which heads the claim's pick marked blocked (to look at them again, see mark-recheck.ts). */
  marked?: (ids: string[]) => void;
}

/**
 * Takes up to `limit` due runs (queued; waiting with wake_at passed; running with an expired
 * lease), oldest first, skipping any run whose workflow already has an unfinished earlier run
 * for the same contact: runs of one contact in one workflow never interleave.
 */
export async function claimRuns(store: Store, r: ClaimRequest): Promise<RunsTable[]> {
  // A burst of more unmarked blocked runs than one pass reads: keep marking (a few passes, I/O
  // in between) rather than answer "nothing due" while runnable heads wait further on.
  for (let pass = 0; ; pass++) {
    const { rows, more } = await claimOnce(store, r);
    if (rows.length > 0 || !more || pass >= MAX_PASSES - 1) return rows;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

const MAX_PASSES = 8;

async function claimOnce(store: Store, r: ClaimRequest): Promise<{ rows: RunsTable[]; more: boolean }> {
  if (store.dialect === 'postgres') {
    // No transaction around the two: the marks are hints, and the claim re-checks every row it takes.
    // Beside queued rounds in flight (not deep) a claim is for due waiting runs and lost leases:
    // the rounds take the queue heads (a pick here would read and mark the pairs they hold).
    const { picked, more, marked } = r.deep === false ? { picked: [], more: false, marked: [] } : await pickQueued(store.db, 'postgres', r.limit, r);
    r.marked?.(marked);
    return { rows: await claimPostgres(store.db, r, picked), more };
  }
  return store.db.transaction().execute(async (trx) => {
    const { picked, more } = await pickQueued(trx, 'sqlite', r.limit, r);
    return { rows: await claimSqlite(trx, r, picked), more };
  });
}

/**
 * Claims these queue heads, if still runnable (a rolled-back round's own runs, to go on alone).
 * `only` (the express lane): these runs and nothing else, queued or waiting and due (a question
 * just answered); otherwise due waiting runs and expired leases may come too (oldest first,
 * within the limit).
 */
export async function claimHeads(store: Store, r: ClaimRequest, ids: string[], opts: { only?: boolean } = {}): Promise<RunsTable[]> {
  if (ids.length === 0) return [];
  if (store.dialect === 'postgres') return claimPostgres(store.db, r, ids, opts);
  return store.db.transaction().execute((trx) => claimSqlite(trx, r, ids, opts));
}
