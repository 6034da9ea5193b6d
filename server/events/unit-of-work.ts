import type { Transaction } from 'kysely';
import type { Db } from '../store/database';
import type { DB } from '../store/schema';

/** A transaction plus work to do only once it has committed (wake workers, notify clients). */
export interface UnitOfWork {
  trx: Transaction<DB>;
  afterCommit(fn: () => void): void;
}

export async function inTransaction<T>(db: Db, fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const callbacks: (() => void)[] = [];
  const result = await db.transaction().execute((trx) => fn({ trx, afterCommit: (cb) => callbacks.push(cb) }));
  for (const cb of callbacks) {
    try { cb(); } catch { /* a notification failing must not undo a committed change */ }
  }
  return result;
}
