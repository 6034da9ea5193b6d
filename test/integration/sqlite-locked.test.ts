import { mkdtemp, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { startTestServer, type TestServer } from '../support/server';
import { holdSqliteLock } from '../support/sqlite-lock-holder';
import { makeContact, publishWebhookWorkflow, waitForRun } from './webhooks/support';

// Another process holds the SQLite file's write lock past the server's wait (5 s): a backup,
// sqlite3 maintenance, a bulk insert (the review's, for 30 s). A write meanwhile was a 500
// "internal" ("database is locked"); it is a 503 `busy` with Retry-After, as a PostgreSQL
// deadlock is, and the same request once the lock is let go goes through. With the engine on,
// SQLite's busy handler (synchronous) froze the whole server while the lock lasted: /docs/json
// took 11 s, the engine's claims and rounds each stood 5 s, and an HTTP step whose CRM had
// answered failed as timed out. Now writes wait without blocking: reads go on, runs wait. The
// same with the runs executed on the executor thread (COMPANION_EXECUTOR_THREAD=1, its own connection).

const timed = async <T>(fn: () => Promise<T>) => {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
};

describe.each([
  ['on the main thread', {}],
  ['on the executor thread', { COMPANION_EXECUTOR_THREAD: '1' }],
])('runs executed %s', (_where, env) => {
  let dir: string;
  let file: string;
  let server: TestServer;
  let other: DatabaseSync;
  let crm: HttpServer;
  const orders: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'companion-locked-'));
    file = path.join(dir, 'companion.sqlite');
    // A CRM that takes its time: 1.5 s per order.
    crm = await startHttpServer((req, res) => {
      orders.push(String(req.headers['idempotency-key']));
      req.resume();
      setTimeout(() => res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}'), 1_500);
    });
    server = await startTestServer({ sqliteFile: file, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', ...env } });
    other = new DatabaseSync(file);
  }, 30_000);
  afterAll(async () => {
    other?.close();
    await server?.close();
    await crm?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a write 503 busy with Retry-After while another process holds the lock, and takes it once the lock is gone', async () => {
    const admin = server.api(server.adminToken);
    const before = await admin.post('/contacts', { firstName: 'Before' });
    expect(before.status).toBe(201);

    other.exec('BEGIN IMMEDIATE');
    try {
      const locked = await admin.post('/contacts', { firstName: 'Ada' });
      expect(locked.status, JSON.stringify(locked.body)).toBe(503);
      expect(locked.body.error.code).toBe('busy');
      expect(locked.body.error.message).toMatch(/another process .* not saved; send it again/);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      // Reading does not wait for the writer.
      const read = await admin.get(`/contacts/${before.body.id}`);
      expect(read.status).toBe(200);
    } finally {
      other.exec('ROLLBACK');
    }

    const again = await admin.post('/contacts', { firstName: 'Ada' });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const conversation = await admin.post('/conversations', { contactId: again.body.id });
    expect(conversation.status, JSON.stringify(conversation.body)).toBe(201);
  }, 30_000);

  it('with the engine on, reads go on and writes wait without blocking while another process holds the lock for 8 s; runs wait and finish once, an answered HTTP step included', async () => {
    const admin = server.api(server.adminToken);
    const contact = await makeContact(server, { phone: '+14155550188' });
    expect((await admin.post('/conversations', { contactId: contact.id })).status).toBe(201);
    // Built once, before the lock (its first build takes a moment whatever the database does).
    expect((await server.request('GET', '/docs/json')).status).toBe(200);
    const hook = await publishWebhookWorkflow(server, {}, [
      { id: 'order', type: 'http_request', config: { method: 'POST', url: `${crm.url}/orders`, body: '{"order": "{{$trigger.orderId}}"}', timeoutMs: 3_000 } },
      { id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}} placed' } },
    ]);
    const deliver = async (id: string) => {
      const res = await server.request('POST', hook.path, { body: JSON.stringify({ phone: '+14155550188', order: { id } }), headers: { 'content-type': 'application/json' } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return res.body.runIds[0] as string;
    };
    // The first run's POST is at the CRM when the lock is taken; the second waits in the queue behind it.
    const first = await deliver('A1');
    const second = await deliver('A2');
    for (const until = Date.now() + 10_000; orders.length === 0 && Date.now() < until;) await new Promise((r) => setTimeout(r, 10));
    expect(orders).toEqual([`${first}:order`]);

    const lock = await holdSqliteLock(file, 8_000);
    const docs = await timed(() => server.request('GET', '/docs/json'));
    expect(docs.value.status).toBe(200);
    expect(docs.ms).toBeLessThan(1_000);
    const list = await timed(() => admin.get('/contacts'));
    expect(list.value.status).toBe(200);
    expect(list.ms).toBeLessThan(1_000);
    const write = await timed(() => admin.post('/contacts', { firstName: 'Bo' }));
    expect(write.value.status, JSON.stringify(write.value.body)).toBe(503);
    expect(write.value.body.error.code).toBe('busy');
    expect(write.ms).toBeGreaterThan(4_500);
    expect(write.ms).toBeLessThan(7_000);
    // Still locked: nothing of the runs moved, and the inbox's reads answer.
    expect((await timed(() => admin.get(`/runs/${second}`))).ms).toBeLessThan(1_000);
    expect((await admin.get(`/runs/${second}`)).body.status).toBe('queued');
    await lock.released;

    const done = [await waitForRun(server, first, 20_000), await waitForRun(server, second, 20_000)];
    expect(done.map((r) => r.status), JSON.stringify(done.map((r) => r.stepLog))).toEqual(['completed', 'completed']);
    // The CRM answered the first POST while the lock was held: that answer counts, it was not timed
    // out nor sent again; the second run placed its own order, once.
    expect(orders).toEqual([`${first}:order`, `${second}:order`]);
    expect(done[0]!.stepLog[0]).toMatchObject({ stepId: 'order', status: 'completed', output: { status: 201, attempts: 1 } });
    expect(done.map((r) => r.stepLog.map((s: { stepId: string }) => s.stepId))).toEqual([['order', 'note'], ['order', 'note']]);
    // The write refused meanwhile goes through now.
    expect((await admin.post('/contacts', { firstName: 'Bo' })).status).toBe(201);
  }, 60_000);
});
