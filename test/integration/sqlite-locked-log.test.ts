import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, killHard, spawnServer, type ServerProcess } from '../support/process';
import { holdSqliteLock } from '../support/sqlite-lock-holder';

// What the operator's log says while a backup or `sqlite3` holds the SQLite file's write lock, the
// engine on: the engine's claims, rounds and lease renewals meet it every few seconds, and each was
// an error line ("claiming runs failed", "queued run round failed", level 50). Nothing is lost (the
// runs wait), so it is one warning when the wait begins and one line when the lock is let go.

let dataDir: string;
let server: ServerProcess;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'companion-locked-log-'));
  server = await spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: 'info' }, await freePort());
}, 40_000);
afterAll(async () => {
  if (server) await killHard(server);
  await rm(dataDir, { recursive: true, force: true });
});

it('says once that another process holds the lock, and once that it was let go: no error lines', async () => {
  const from = server.output().length;
  const lock = await holdSqliteLock(path.join(dataDir, 'companion.sqlite'), 12_000);
  await lock.released;
  const lines = () => server.output().slice(from).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string });
  for (const until = Date.now() + 5_000; !lines().some((l) => /was let go/.test(l.msg)) && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
  const said = lines();
  expect(said.filter((l) => l.level >= 50), JSON.stringify(said)).toEqual([]);
  expect(said.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([expect.stringMatching(/^another process holds the SQLite database's write lock .*writes answer 503 busy after 5 s and runs wait; reads go on$/)]);
  expect(said.filter((l) => /was let go/.test(l.msg))).toHaveLength(1);
}, 40_000);
