import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/wait';
import { openSqlite } from './sqlite-adapter';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'companion-ckpt-'));
  dirs.push(dir);
  return path.join(dir, 'db.sqlite');
};
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const size = (file: string) => { try { return statSync(file).size; } catch { return 0; } };

describe('WAL checkpoints off the writer thread', () => {
  it('copies committed pages into the database file while the writer never checkpoints itself', async () => {
    const file = tempFile();
    const db = openSqlite(file);
    expect(db.checkpointer).toBeDefined();
    expect(db.raw.prepare('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 0 });
    db.raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const before = size(file);
    const insert = db.raw.prepare('INSERT INTO t (body) VALUES (?)');
    // ~8 MB through the WAL: without a checkpoint none of it reaches the database file.
    for (let batch = 0; batch < 20; batch++) {
      db.raw.exec('BEGIN');
      for (let i = 0; i < 100; i++) insert.run('x'.repeat(4000));
      db.raw.exec('COMMIT');
    }
    await waitFor('the background checkpoint', async () => (size(file) > before + 4_000_000 ? true : undefined));
    await db.checkpointer!.stop();
    db.close();
    const reopened = new DatabaseSync(file);
    expect(reopened.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2000 });
    reopened.close();
  });

  it('gives the WAL file back to the disk once writes stop (bounded at rest)', async () => {
    const file = tempFile();
    const db = openSqlite(file);
    db.raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.raw.prepare('INSERT INTO t (body) VALUES (?)');
    for (let batch = 0; batch < 20; batch++) {
      db.raw.exec('BEGIN');
      for (let i = 0; i < 100; i++) insert.run('x'.repeat(4000));
      db.raw.exec('COMMIT');
    }
    expect(size(`${file}-wal`)).toBeGreaterThan(4_000_000);
    // Idle for a second: the checkpointer truncates the WAL it has fully copied back.
    await waitFor('the WAL truncated at rest', async () => (size(`${file}-wal`) === 0 ? true : undefined), 10_000);
    expect(db.raw.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2000 });
    await db.checkpointer!.stop();
    db.close();
  });

  it('is not started for an in-memory database', () => {
    const db = openSqlite(':memory:');
    expect(db.checkpointer).toBeUndefined();
    db.close();
  });

  it('stops within a close, so a process can exit', async () => {
    const db = openSqlite(tempFile());
    const started = Date.now();
    await db.checkpointer!.stop();
    await db.checkpointer!.stop(); // twice is harmless
    db.close();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
