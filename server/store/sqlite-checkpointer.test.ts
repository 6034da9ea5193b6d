import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/wait';
import { openSqlite } from './sqlite-adapter';
import { WriteTurn } from './write-turn';

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

  // Steady writes, as webhook batches come: a transaction every few milliseconds, each taking the
  // write turn as the store's transactions do. ~60 MB go through the WAL.
  async function steadyWrites(db: ReturnType<typeof openSqlite>, turn?: WriteTurn) {
    db.raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.raw.prepare('INSERT INTO t (body) VALUES (?)');
    const wal = `${db.raw.location()}-wal`;
    let peak = 0;
    for (let batch = 0; batch < 500; batch++) {
      const taking = turn?.take();
      if (taking) await taking;
      db.raw.exec('BEGIN IMMEDIATE');
      for (let i = 0; i < 30; i++) insert.run('x'.repeat(4000));
      db.raw.exec('COMMIT');
      turn?.give();
      peak = Math.max(peak, size(wal));
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(db.raw.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 15_000 });
    return peak;
  }

  it('keeps the WAL short under steady writes: it is started over once copied back (write turn shared)', async () => {
    const turn = new WriteTurn(WriteTurn.buffer(), 'main');
    const db = openSqlite(tempFile(), { turn: turn.buffer });
    const peak = await steadyWrites(db, turn);
    await db.checkpointer!.stop();
    db.close();
    // Started over every ~4 MiB (RESTART_FRAMES); a tick's worth of writes comes on top (13-17 MiB
    // measured; all 60 MB without the catch-up, below).
    expect(peak).toBeLessThan(32 * 2 ** 20);
  }, 30_000);

  it('without the shared turn the same writes grow the WAL (what the catch-up prevents)', async () => {
    const db = openSqlite(tempFile());
    const peak = await steadyWrites(db);
    await db.checkpointer!.stop();
    db.close();
    expect(peak).toBeGreaterThan(48 * 2 ** 20);
  }, 30_000);

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
