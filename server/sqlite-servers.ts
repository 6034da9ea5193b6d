import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';

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

export interface RunningMark { release(): void }

/** Taken by a server on a SQLite file as it starts, released as it closes. */
export function markRunning(databaseFile: string): RunningMark {
  const dir = dirOf(databaseFile);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const taking = path.join(dir, `.${name}`);
  const file = path.join(dir, name);
  fs.closeSync(fs.openSync(taking, 'a', 0o600));
  const lock = new DatabaseSync(taking);
  lock.exec('BEGIN EXCLUSIVE');
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

/** The servers running on this SQLite file ("host pid N"); files left by crashed ones are removed. */
export function runningOnSqlite(databaseFile: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dirOf(databaseFile)).filter((n) => !n.startsWith('.')).sort();
  } catch {
    return [];
  }
  const running: string[] = [];
  for (const name of names) {
    const file = path.join(dirOf(databaseFile), name);
    let probe: DatabaseSync | undefined;
    try {
      probe = new DatabaseSync(file, { timeout: 0 });
      probe.exec('BEGIN EXCLUSIVE');
      // Ours now: its server is gone (stopped without removing it, or killed).
      fs.rmSync(file, { force: true });
    } catch {
      const at = name.match(/^(.*)-(\d+)-[0-9a-f]+$/);
      running.push(at ? `${at[1]} pid ${at[2]}` : name);
    } finally {
      probe?.close();
    }
  }
  return running;
}
