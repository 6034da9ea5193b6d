import type { Store } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import { claimPostgres } from './claim-postgres';
import { claimSqlite } from './claim-sqlite';
import { pickQueued } from './run-queue';

export interface ClaimRequest {
  owner: string;
  now: string;
  leaseUntil: string;
  limit: number;
}

/**
 * Takes up to `limit` due runs (queued; waiting with wake_at passed; running with an expired
 * lease), oldest first, skipping any run whose workflow already has an unfinished earlier run
 * for the same contact: runs of one contact in one workflow never interleave.
 */
export async function claimRuns(store: Store, r: ClaimRequest): Promise<RunsTable[]> {
  if (store.dialect === 'postgres') {
    // No transaction around the two: the marks are hints, and the claim re-checks every row it takes.
    return claimPostgres(store.db, r, await pickQueued(store.db, 'postgres', r.limit));
  }
  return store.db.transaction().execute(async (trx) => claimSqlite(trx, r, await pickQueued(trx, 'sqlite', r.limit)));
}
