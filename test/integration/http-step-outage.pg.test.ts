import { afterEach, expect, it } from 'vitest';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { pgProxy } from '../support/pg-proxy';
import { describePg, pgUrl } from '../support/postgres';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { waitForRun } from './webhooks/support';

// PostgreSQL going away right after an HTTP request step's POST went out (a restart, a failover),
// the companion itself staying up: the answer cannot be stored, nor the run's checkpoint, so the
// run is taken again when its lease (30 s) runs out. A review found 18 of 200 such POSTs sent a
// second time, the runs `completed` with nothing said. The attempt is committed before the call.
describePg('an HTTP request step when PostgreSQL goes away right after its request (PostgreSQL)', () => {
  let server: TestServer | undefined;
  let sink: HttpServer | undefined;
  let proxy: Awaited<ReturnType<typeof pgProxy>> | undefined;
  afterEach(async () => {
    proxy?.outage(false);
    await server?.close().catch(() => {});
    await sink?.close();
    await proxy?.close();
    server = sink = proxy = undefined;
  });

  it('the POST is not sent again when the run resumes: the step fails saying its outcome is unknown', async () => {
    proxy = await pgProxy();
    const outage = proxy;
    server = await startTestServer({ databaseUrl: proxy.url(pgUrl()!).toString(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    const hits: string[] = [];
    sink = await startHttpServer((req, res) => {
      hits.push(String(req.headers['idempotency-key']));
      req.resume();
      // The order is taken; the database is gone before the companion hears so, for two seconds.
      if (hits.length === 1) {
        outage.outage(true);
        setTimeout(() => outage.outage(false), 2_000);
      }
      setTimeout(() => res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"ord_1"}'), 200);
    });
    const admin = server.api(server.adminToken);
    const wf = await admin.post('/workflows', {
      name: 'Place the order', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['buy'] },
      steps: [{ id: 'order', type: 'http_request', config: { method: 'POST', url: `${sink.url}/orders`, body: '{"sku": "A1"}' } }],
    });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    expect((await admin.post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
    const contact = await admin.post('/contacts', { firstName: 'Ana', email: 'ana@example.com' });
    expect((await admin.post(`/contacts/${contact.body.id}/tags`, { tags: ['buy'] })).status).toBeLessThan(300);

    const runId = await waitFor('the run', async () => (await admin.get(`/workflows/${wf.body.id}/runs`)).body.runs[0]?.id as string | undefined, 10_000);
    const run = await waitForRun(server, runId, 50_000);
    expect(hits).toEqual([`${run.id}:order`]);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/orders: an earlier attempt went out before a restart \(or a database outage\) and its answer was not recorded, so the server may or may not have acted on it; a POST is not sent again/);
    expect(run.stepLog.at(-1).output).toMatchObject({ outcome: 'unknown' });
  }, 70_000);
});
