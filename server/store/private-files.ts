import fs from 'node:fs';
import path from 'node:path';

/**
 * The SQLite database holds every contact, message and credential: its directory is the
 * server user's only (0700) and the database with its WAL/SHM siblings 0600, like admin-token.
 * The file is created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the
 * main file's mode, and files left by an older version are tightened here at every start.
 */
export function preparePrivateDatabase(file: string) {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A shared directory (the sticky bit: /tmp and its like) is not ours to close: a database put
  // there directly keeps its own 0600, and the directory stays as everyone else needs it.
  if (!(fs.statSync(dir).mode & 0o1000)) tighten(dir, 0o700);
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tighten(f, 0o600);
}

function tighten(file: string, mode: number) {
  try {
    if ((fs.statSync(file).mode & 0o777) !== mode) fs.chmodSync(file, mode);
  } catch { /* absent (no WAL yet) or not ours: nothing to tighten */ }
}
