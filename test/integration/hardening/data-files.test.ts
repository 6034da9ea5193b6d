import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../../server/server';

// Issue 14: the database and its WAL/SHM siblings are the server user's only; demo tokens print once.
let root: string | undefined;
afterEach(async () => { if (root) await rm(root, { recursive: true, force: true }); root = undefined; });

const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

async function start(dataDir: string, env: Record<string, string> = {}) {
  return startServer({ env: { COMPANION_DEMO: '0', ...env }, config: { port: 0, dataDir }, logger: false, listen: false, workers: false });
}

describe('data files', () => {
  it('creates the data directory 0700 and the database, WAL and SHM files 0600', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'companion-files-'));
    const dataDir = path.join(root, 'data');
    const server = await start(dataDir);
    // A write, so the WAL has content.
    await server.store.db.insertInto('settings').values({ key: 'x', value: '1', updated_at: 'now' }).execute();
    const db = path.join(dataDir, 'companion.sqlite');
    expect(await modeOf(dataDir)).toBe(0o700);
    for (const f of [db, `${db}-wal`, `${db}-shm`, path.join(dataDir, 'admin-token')]) expect([f, await modeOf(f)]).toEqual([f, 0o600]);
    await server.close();
  });

  it('tightens a data directory and database left open by an earlier version', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'companion-files-'));
    const dataDir = path.join(root, 'data');
    await (await start(dataDir)).close();
    const { chmod } = await import('node:fs/promises');
    await chmod(dataDir, 0o755);
    await chmod(path.join(dataDir, 'companion.sqlite'), 0o644);
    const again = await start(dataDir);
    expect(await modeOf(dataDir)).toBe(0o700);
    expect(await modeOf(path.join(dataDir, 'companion.sqlite'))).toBe(0o600);
    await again.close();
  });

  it('leaves a shared directory (sticky bit, like /tmp) open: only the database files are closed', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'companion-files-'));
    const shared = path.join(root, 'shared');
    const { chmod, mkdir } = await import('node:fs/promises');
    await mkdir(shared);
    await chmod(shared, 0o1777);
    const server = await start(shared);
    expect(await modeOf(shared)).toBe(0o777);
    expect((await stat(shared)).mode & 0o1000).toBe(0o1000);
    expect(await modeOf(path.join(shared, 'companion.sqlite'))).toBe(0o600);
    await server.close();
  });

  it('gives the demo tokens on the first start only', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'companion-files-'));
    const dataDir = path.join(root, 'data');
    const first = await start(dataDir, { COMPANION_DEMO: '1' });
    expect(Object.keys(first.tokens.demo ?? {}).length).toBeGreaterThan(0);
    await first.close();
    const second = await start(dataDir, { COMPANION_DEMO: '1' });
    expect(second.tokens.demo).toBeUndefined();
    expect(second.tokens.admin).toBeUndefined();
    await second.close();
  });
});
