import dns from 'node:dns/promises';
import net from 'node:net';
import { knob } from './engine/executor/rest';
import { ConfigError } from './http/trust-proxy';
import { CONNECT_TIMEOUT_MS } from './store/database';
import { isConnectTimeout, isDatabaseUnreachable } from './store/pg-connection-loss';

/** How long `npm start` waits for PostgreSQL to accept connections (DATABASE_WAIT_SECONDS), trying every WAIT_STEP_MS. */
export const DEFAULT_DATABASE_WAIT_SECONDS = 60;
/** DATABASE_WAIT_SECONDS read as the other knobs are: a number ≥ 0; empty, negative or garbage is the default (not "no wait"). */
export const databaseWaitSeconds = (raw: string | undefined): number => knob(raw, DEFAULT_DATABASE_WAIT_SECONDS);
const WAIT_STEP_MS = 2_000;

// Node's TLS codes for a server certificate it cannot verify (managed databases often use their own CA).
const UNTRUSTED_CERTIFICATE = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/** Where DATABASE_URL points, without its password: what a message about it may show. */
function target(databaseUrl: string | undefined): { where: string; database: string; user: string } {
  try {
    const u = new URL(databaseUrl ?? '');
    return { where: `${u.hostname || 'localhost'}:${u.port || '5432'}`, database: decodeURIComponent(u.pathname.slice(1)) || '(default)', user: decodeURIComponent(u.username) || '(default)' };
  } catch {
    return { where: '(unparsable DATABASE_URL)', database: '?', user: '?' };
  }
}

/**
 * What an operator should read when the server could not start because of the database: one line
 * that says what to fix. Undefined for any other failure (its stack trace is the useful part).
 */
export function startupProblem(err: unknown, databaseUrl: string | undefined): string | undefined {
  if (!databaseUrl) return undefined;
  const t = target(databaseUrl);
  const e = err as { code?: unknown; message?: unknown };
  const why = isConnectTimeout(err) ? `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`
    : typeof e?.code === 'string' && !/^\d/.test(e.code) ? e.code : typeof e?.message === 'string' ? e.message : String(err);
  if (isDatabaseUnreachable(err)) return `PostgreSQL is not reachable at ${t.where} (${why}): start it, or fix the host and port in DATABASE_URL`;
  if (e?.code === '3D000') return `PostgreSQL at ${t.where} has no database "${t.database}": create it (createdb ${t.database}), or fix the database name in DATABASE_URL`;
  if (e?.message === 'The server does not support SSL connections') return `PostgreSQL at ${t.where} does not accept TLS, but DATABASE_URL asks for it (sslmode): remove sslmode from DATABASE_URL, or turn ssl on in postgresql.conf`;
  if (typeof e?.code === 'string' && UNTRUSTED_CERTIFICATE.has(e.code)) return `PostgreSQL's TLS certificate at ${t.where} is not trusted (${e.code}): give its CA in DATABASE_URL (sslrootcert=/path/to/ca.pem&sslmode=verify-full), or sslmode=no-verify where the network is trusted`;
  if (e?.code === '28P01' || e?.code === '28000') return `PostgreSQL at ${t.where} refused user "${t.user}" (${why}): fix the user or password in DATABASE_URL, or pg_hba.conf`;
  return undefined;
}

/**
 * Starts the server; while PostgreSQL does not accept connections yet (containers started
 * together: the database is often still starting), tries again every 2 s for up to `waitSeconds`,
 * saying so each time. Other failures are not retried.
 */
export async function startWhenDatabaseReady<T>(start: () => Promise<T>, opts: { waitSeconds: number; databaseUrl: string | undefined; say: (line: string) => void; sleep?: (ms: number) => Promise<void> }): Promise<T> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const until = Date.now() + Math.max(0, opts.waitSeconds) * 1000;
  for (;;) {
    try {
      return await start();
    } catch (err) {
      if (!opts.databaseUrl || !isDatabaseUnreachable(err) || Date.now() + WAIT_STEP_MS > until) throw err;
      opts.say(`${startupProblem(err, opts.databaseUrl)}; trying again in ${WAIT_STEP_MS / 1000} s (for up to ${opts.waitSeconds} s, DATABASE_WAIT_SECONDS)`);
      await sleep(WAIT_STEP_MS);
    }
  }
}

/** getaddrinfo's codes for a name that does not resolve (now, or at all). */
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

const hostProblem = (host: string, code: string) =>
  `HOST=${host} does not resolve to an address (${code}): set HOST to an address of this machine, e.g. 127.0.0.1, or 0.0.0.0 for every interface`;

/**
 * Listening failed: the port is taken (another Inbox Companion, say), HOST is no address of this
 * machine or does not resolve, the port needs privileges. Which setting, and how to fix it.
 */
export function portProblem(err: unknown): string | undefined {
  const e = err as { code?: unknown; address?: unknown; port?: unknown; hostname?: unknown; syscall?: unknown };
  const where = `${String(e?.address ?? 'the address')}:${String(e?.port ?? '?')}`;
  switch (e?.code) {
    case 'EADDRINUSE': return `${where} is already in use (another Inbox Companion running?): stop what holds it, or set PORT`;
    case 'EADDRNOTAVAIL': return `${where}: this machine has no such address (EADDRNOTAVAIL): set HOST to one of its addresses, 127.0.0.1, or 0.0.0.0 for every interface`;
    case 'EACCES': return e.syscall === 'listen' ? `${where}: not permitted to listen there (EACCES; ports below 1024 need privileges): set PORT to 1024 or above` : undefined;
    case 'ERR_SOCKET_BAD_PORT': return 'PORT is not a port number: give a whole number from 0 to 65535';
    default: return typeof e?.code === 'string' && UNRESOLVED.has(e.code) && typeof e.hostname === 'string' ? hostProblem(e.hostname, e.code) : undefined;
  }
}

/** HOST resolves (an address, or a name with one): checked before the database is opened, so a typo stops the start with nothing written. */
export async function checkHost(host: string): Promise<void> {
  if (net.isIP(host)) return;
  try {
    await dns.lookup(host);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new ConfigError(hostProblem(host, typeof code === 'string' ? code : 'unresolved'));
  }
}

/** DATA_DIR (or a file in it) cannot be written: which path, and why, in one line. */
export function fileProblem(err: unknown): string | undefined {
  const e = err as { code?: unknown; path?: unknown; syscall?: unknown };
  const why: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'not permitted', EROFS: 'the file system is read-only', ENOSPC: 'the disk is full', ENOTDIR: 'a part of the path is a file',
  };
  if (typeof e?.code !== 'string' || !(e.code in why) || typeof e.path !== 'string') return undefined;
  return `cannot ${typeof e.syscall === 'string' ? e.syscall : 'write'} ${e.path} (${e.code}: ${why[e.code]}): set DATA_DIR to a directory this user may write, or fix its permissions`;
}

/** SQLite's result codes for a file that is not a database (26, SQLITE_NOTADB) or a damaged one (11, SQLITE_CORRUPT). */
const NOT_A_DATABASE = new Set([26, 11]);

/** The SQLite file in DATA_DIR is not a database, or is damaged: which file, and the ways out. */
export function sqliteProblem(err: unknown, sqliteFile: string): string | undefined {
  const e = err as { code?: unknown; errcode?: unknown; errstr?: unknown };
  if (e?.code !== 'ERR_SQLITE_ERROR' || typeof e.errcode !== 'number' || !NOT_A_DATABASE.has(e.errcode & 0xff)) return undefined;
  return `${sqliteFile} is not an SQLite database, or is damaged (${String(e.errstr ?? 'unreadable')}): restore it from a backup, or move it away to start with an empty one`;
}
