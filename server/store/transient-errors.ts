import { isDatabaseUnreachable } from './pg-connection-loss';
import { isStalePlan } from './pg-prepared';

/** PostgreSQL's deadlock_detected (40P01) or serialization_failure (40001): the transaction was rolled back. */
export function isTransactionConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * An error that says nothing about the work that met it, only about the database at that moment:
 * out of reach or restarting (pg-connection-loss.ts), a transaction given up to untangle it from
 * another one, a prepared statement made stale by another instance's schema change
 * (pg-prepared.ts), or a SQLite file whose write lock another process held past LOCK_WAIT_MS
 * (isDatabaseLocked). What it was part of rolled back; the same work a moment later goes through.
 * The HTTP error handler answers these with a 503; the engine tries the write again or puts the
 * run back (execute-run.ts) and logs them as warnings, not errors.
 */
export function isTransientDatabaseError(err: unknown): boolean {
  return isDatabaseUnreachable(err) || isTransactionConflict(err) || isStalePlan(err) || isDatabaseLocked(err);
}

/**
 * SQLite's SQLITE_BUSY ("database is locked", 5 and its extended codes): another process held the
 * database's write lock longer than a statement waits for it (LOCK_WAIT_MS, sqlite-driver.ts: a
 * backup, sqlite3 maintenance, a bulk import). The statement, or the transaction it would have
 * begun, did nothing; the same request once the lock is let go goes through.
 */
export function isDatabaseLocked(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown } | null;
  return e?.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number' && (e.errcode & 0xff) === 5;
}
