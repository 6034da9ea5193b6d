import type { Insertable, Transaction } from 'kysely';
import type { Contact } from '../../lib/contracts/contacts';
import type { Db } from '../store/database';
import type { DB, EventsTable } from '../store/schema';

/** A transaction plus work to do only once it has committed (wake workers, notify clients). */
export interface UnitOfWork {
  trx: Transaction<DB>;
  afterCommit(fn: () => void): void;
  /**
   * Contacts as this transaction last wrote them (updateContact, changeTags). The transaction
   * holds their rows (SQLite: the one writer; PostgreSQL: the row lock) until it ends, so a later
   * step of a run round reads them from here instead of the database.
   */
  written?: Map<string, Contact>;
  /**
   * Set by a run round: recorded events are collected here and inserted together (one multi-row
   * insert per round instead of one per event) before the round commits. Nothing reads the
   * events table inside a round, and a rollback drops them with everything else.
   */
  pendingEvents?: Insertable<EventsTable>[];
}

export async function inTransaction<T>(db: Db, fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const callbacks: (() => void)[] = [];
  const result = await db.transaction().execute((trx) => fn({ trx, afterCommit: (cb) => callbacks.push(cb) }));
  for (const cb of callbacks) {
    try { cb(); } catch { /* a notification failing must not undo a committed change */ }
  }
  return result;
}
