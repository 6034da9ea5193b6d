import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { ConfigError } from './http/trust-proxy';

/**
 * SQLite: which servers run on a database file, for `npm run forget-secrets` (PostgreSQL has its
 * advisory lock, engine/executor/running-lock.ts). Each server keeps one small file in
 * `<database>.servers/`, named after its host and pid, with SQLite's exclusive lock on it for as
 * long as it runs. The lock is the operating system's (fcntl): a crash or SIGKILL lets it go with
 * the process, so a file left behind is told apart from a live server by trying the lock, never
 * by a pid that may have been reused or a heartbeat that may lag. Two servers on one file keep
 * two files and both are named. A file is created under a dot-name, locked, then renamed, so the
 * command never mistakes a server that is still taking its lock for a crashed one.
 */

const dirOf = (databaseFile: string) => `${databaseFile}.servers`;
/** SQLite's result code for a lock another connection holds. */
const SQLITE_BUSY = 5;

/**
 * SQLite's exclusive lock on `file`, taken without a journal: nothing is written, so a full disk
 * takes it too (the server runs there and answers writes 503, store/database.ts isStorageFull),
 * and a killed server leaves no `-journal` file beside its own that no command removes.
 */
function lockExclusively(file: string): DatabaseSync {
  const db = new DatabaseSync(file, { timeout: 0 });
  try {
    // In memory: SQLite keeps an empty file's journal_mode at DELETE when asked for OFF.
    db.exec('PRAGMA journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

const sqliteCode = (err: unknown) => ((err as { errcode?: unknown })?.errcode as number | undefined);
const reason = (err: unknown) => String((err as { errstr?: unknown })?.errstr ?? (err as Error)?.message ?? err);

export interface RunningMark { release(): void }

/** Taken by a server on a SQLite file as it starts, released as it closes. */
export function markRunning(databaseFile: string): RunningMark {
  const dir = dirOf(databaseFile);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw new ConfigError(`${dir} is not a directory: move it away (each server running on this DATA_DIR keeps a locked file in that directory, which npm run forget-secrets reads)`);
  }
  const name = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const taking = path.join(dir, `.${name}`);
  const file = path.join(dir, name);
  fs.closeSync(fs.openSync(taking, 'a', 0o600));
  let lock: DatabaseSync;
  try {
    lock = lockExclusively(taking);
  } catch (err) {
    fs.rmSync(taking, { force: true });
    throw new ConfigError(`cannot lock ${taking} (${reason(err)}): each server running on this DATA_DIR keeps a locked file there, which npm run forget-secrets reads; fix that directory's permissions or the disk under it`);
  }
  fs.renameSync(taking, file);
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      fs.rmSync(file, { force: true });
      lock.close();
    },
  };
}

/**
 * The servers running on this SQLite file ("pid N on host"); files left by crashed ones are
 * removed. Only a lock another process holds means a server: a file that cannot be tried for
 * another reason is said as such (ConfigError), not taken for a running server.
 */
export function runningOnSqlite(databaseFile: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dirOf(databaseFile)).filter((n) => !n.startsWith('.')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfigError(`cannot read ${dirOf(databaseFile)} (${(err as Error).message}), where each server running on this DATA_DIR keeps a locked file: run this as the user the server runs as`);
  }
  const running: string[] = [];
  for (const name of names) {
    const file = path.join(dirOf(databaseFile), name);
    let probe: DatabaseSync;
    try {
      probe = lockExclusively(file);
    } catch (err) {
      if (((sqliteCode(err) ?? 0) & 0xff) !== SQLITE_BUSY) {
        throw new ConfigError(`cannot tell whether the server that left ${file} still runs (${reason(err)}): if no server runs on this DATA_DIR, remove that file, then run this again`);
      }
      const at = name.match(/^(.*)-(\d+)-[0-9a-f]+$/);
      running.push(at ? `pid ${at[2]} on ${at[1]}` : name);
      continue;
    }
    // Ours now: its server is gone (stopped without removing it, or killed). Left there if it cannot be removed: the next look finds it unlocked again.
    try { fs.rmSync(file, { force: true }); } catch { /* a read-only directory */ }
    probe.close();
  }
  return running;
}
