import type pg from 'pg';

/**
 * A pooled connection that PostgreSQL drops (a restart, a failover, a reaper of idle sessions, a
 * network blip) is an 'error' event: on the pool while the connection is idle, on its client while
 * it is checked out (between a transaction's statements, say). Unheard, either ended the process.
 * Heard, the pool forgets that connection and opens another for the next query; a statement in
 * flight fails on its own, as any failed statement does (its transaction rolls back; a run round
 * resumes when its lease runs out). Each loss is reported once.
 */
export function surviveLostConnections(pool: pg.Pool, report: (err: Error) => void): void {
  const reported = new WeakSet<Error>();
  const once = (err: Error) => {
    if (reported.has(err)) return;
    reported.add(err);
    report(err);
  };
  pool.on('error', once);
  pool.on('connect', (client) => { client.on('error', once); });
}

// Socket errors on the way to the database, and PostgreSQL's SQLSTATEs for a connection it ended
// or refused: class 08 (connection exception), 57P01-57P03 (shutdown, crash, starting up). Not
// 08P01 (protocol_violation: a bind with too many parameters, say): the same statement fails the
// same way every time, so a run meeting it would be put back forever instead of failing.
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// pg's words for a connection that did not answer within connectionTimeoutMillis ('timeout
// expired' from a client of its own, the other from the pool), and for one that ended.
const TIMED_OUT = new Set(['timeout expired', 'Connection terminated due to connection timeout']);
const LOST = new Set([...TIMED_OUT, 'Connection terminated', 'Connection terminated unexpectedly', 'timeout exceeded when trying to connect', 'Client has encountered a connection error and is not queryable']);
const messageOf = (err: unknown) => String((err as { message?: unknown } | null)?.message ?? '');
/** The connection did not answer in time (a hung server, dropped packets): not a refusal. */
export const isConnectTimeout = (err: unknown) => TIMED_OUT.has(messageOf(err));

/** The database could not be reached, or dropped the connection mid-statement: a moment's outage, not the request's fault. */
export function isDatabaseUnreachable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK.has(code) || (code.startsWith('08') && code !== '08P01') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  return LOST.has(messageOf(e));
}
