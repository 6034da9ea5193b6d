import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ContactImportResult } from '../../lib/contracts/contact-import';
import { startTestServer, type TestServer } from '../support/server';

// A SQLite file whose executor thread is busy (a worker taking the write turn as run rounds do).
// An import's transaction waiting for the turn lets the other requests on: each then reads who has
// which key between two of the first import's transactions, and creates the contacts its later
// transactions create too, unless the read is in the import's own transaction, in its turn.
// contact-import-match-suite.ts covers the same on PostgreSQL (and in memory).

let dir: string;
let server: TestServer | undefined;
beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), 'companion-import-turns-')); });
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

it('imports of one file by field at once, beside a busy executor thread, make one contact per key', async () => {
  server = await startTestServer({ sqliteFile: path.join(dir, 'companion.sqlite'), workers: false });
  const admin = server.api(server.adminToken);
  expect((await admin.put('/fields/customer_id', { label: 'Customer ID', type: 'text' })).status).toBe(200);
  // Eight transactions of 250: the others' statements before their read fit in between.
  const rows = Array.from({ length: 2000 }, (_, i) => ({ firstName: `P${i}`, fields: { customer_id: `K-${i}` } }));

  const stop = new SharedArrayBuffer(4);
  const executor = new Worker(new URL('../support/busy-executor-turns.ts', import.meta.url), {
    workerData: { buffer: server.store.writeTurn!.buffer, stop }, execArgv: ['--import', 'tsx'],
  });
  await new Promise((resolve, reject) => { executor.once('message', resolve); executor.once('error', reject); });
  const responses = await Promise.all(Array.from({ length: 3 }, () => admin.post('/contacts/import', { match: { field: 'customer_id' }, contacts: rows })));
  Atomics.store(new Int32Array(stop), 0, 1);
  await executor.terminate();
  const answers = responses.map((res) => {
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ContactImportResult.parse(res.body);
  });

  expect(answers.reduce((n, a) => n + a.created, 0)).toBe(2000);
  rows.forEach((_, i) => expect(new Set(answers.map((a) => a.results[i]!.contactId)).size, `row ${i}`).toBe(1));
  const count = await server.store.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  expect(Number(count.n)).toBe(2000);
});
