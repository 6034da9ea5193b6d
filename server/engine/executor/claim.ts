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
export function claimRuns(store: Store, r: ClaimRequest): Promise<RunsTable[]> {
  return store.db.transaction().execute(async (trx) => {
    const queued = await pickQueued(trx, store.dialect, r.limit);
    return store.dialect === 'postgres' ? claimPostgres(trx, r, queued) : claimSqlite(trx, r, queued);
  });
}
