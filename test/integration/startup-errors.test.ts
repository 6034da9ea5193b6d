import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToExit } from '../support/process';
import { startTestServer, type TestServer } from '../support/server';

// What someone starting the server for the first time reads when it cannot start: one line that
// says what to fix, exit code 1 (it was a stack trace).
describe('a start that cannot happen', () => {
  let dir: string;
  let running: TestServer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'companion-start-'));
    running = await startTestServer();
  });
  afterAll(async () => {
    await running.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('DATA_DIR that cannot be made (a file is in the way)', async () => {
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    const { code, out } = await runToExit({ DATA_DIR: path.join(file, 'data'), PORT: '0' });
    expect(code).toBe(1);
    expect(out).toBe(`Inbox Companion did not start: cannot mkdir ${path.join(file, 'data')} (ENOTDIR: a part of the path is a file): set DATA_DIR to a directory this user may write, or fix its permissions`);
  }, 30_000);

  it('a database file that is not one (or is damaged)', async () => {
    const dataDir = path.join(dir, 'damaged');
    await mkdir(dataDir);
    await writeFile(path.join(dataDir, 'companion.sqlite'), randomBytes(8192));
    const { code, out } = await runToExit({ DATA_DIR: dataDir, PORT: '0' });
    expect(code).toBe(1);
    expect(out).toBe(`Inbox Companion did not start: ${path.join(dataDir, 'companion.sqlite')} is not an SQLite database, or is damaged (file is not a database): restore it from a backup, or move it away to start with an empty one`);
  }, 30_000);

  it('a PostgreSQL address that takes connections and never answers (a hung server, a firewall)', async () => {
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => { held.push(socket); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const { code, out } = await runToExit({ DATA_DIR: path.join(dir, 'silent'), PORT: '0', DATABASE_URL: `postgres://companion:pw@127.0.0.1:${port}/companion`, DATABASE_WAIT_SECONDS: '0' });
      expect(code).toBe(1);
      expect(out).toBe(`Inbox Companion did not start: PostgreSQL is not reachable at 127.0.0.1:${port} (no answer within 10 s): start it, or fix the host and port in DATABASE_URL`);
      // The connection attempt's limit (10 s), not the kernel's two minutes, nor forever.
      expect(Date.now() - started).toBeLessThan(25_000);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((r) => silent.close(r));
    }
  }, 60_000);

  it('a port another server holds', async () => {
    const port = new URL(running.url).port;
    // LOG_LEVEL=warn: the database is made (and its migrations logged) before listening fails.
    const { code, out } = await runToExit({ DATA_DIR: path.join(dir, 'data'), PORT: port, LOG_LEVEL: 'warn' });
    expect(code).toBe(1);
    expect(out).toBe(`Inbox Companion did not start: 127.0.0.1:${port} is already in use (another Inbox Companion running?): stop what holds it, or set PORT`);
  }, 30_000);
});
