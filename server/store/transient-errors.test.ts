import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDatabaseLocked, isTransientDatabaseError } from './transient-errors';

// One rule for "a database error that passes": the engine (warn, try again) and the HTTP error
// handler (503) agree, SQLite's lock held by another process included.
describe('isTransientDatabaseError', () => {
  it('counts SQLite busy (another process holds the write lock) as passing, as the HTTP handler does', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'transient-errors-'));
    const holder = new DatabaseSync(path.join(dir, 'x.sqlite'));
    const other = new DatabaseSync(path.join(dir, 'x.sqlite'));
    try {
      holder.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x)');
      holder.exec('BEGIN IMMEDIATE');
      let met: unknown;
      try { other.exec('BEGIN IMMEDIATE'); } catch (err) { met = err; }
      expect(isDatabaseLocked(met)).toBe(true);
      expect(isTransientDatabaseError(met)).toBe(true);
      holder.exec('ROLLBACK');
    } finally {
      holder.close();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a unique violation', Object.assign(new Error('UNIQUE constraint failed'), { code: 'ERR_SQLITE_ERROR', errcode: 2067 })],
    ['a protocol violation (08P01)', Object.assign(new Error('bind message supplies 2 parameters'), { code: '08P01' })],
    ['a plain error', new Error('database is locked')],
  ])('leaves %s alone', (_what, err) => {
    expect(isTransientDatabaseError(err)).toBe(false);
  });
});
