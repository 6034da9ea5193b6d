import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepInput } from '../../../lib/contracts/steps';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../../server/outbound/test-server';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../../support/builders';
import { startTestServer, type TestServer } from '../../support/server';

// Issue 14, "Templates reaching other systems": the http_request step against a real HTTP server.
let server: TestServer | undefined;
let remote: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  await remote?.close();
  server = remote = undefined;
});

async function run(steps: StepInput[], trigger: Record<string, unknown>) {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  const services = server.app.services;
  const { contact } = await insertContact(services);
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps }));
  const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id, trigger });
  services.runSignal.notify();
  return waitForRun(services.db, runId, undefined, 20_000);
}

function recorder() {
  const seen: { url?: string; headers?: IncomingMessage['headers'] }[] = [];
  return {
    seen,
    start: async () => {
      remote = await startHttpServer((req, res) => {
        seen.push({ url: req.url, headers: req.headers });
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      });
      return remote.url;
    },
  };
}

describe('http_request URL and header templates', () => {
  it.each([
    ['A-1/../../admin?drop=1#x', '/orders/A-1%2F..%2F..%2Fadmin%3Fdrop%3D1%23x?ref=A-1%2F..%2F..%2Fadmin%3Fdrop%3D1%23x'],
    ['a b&c=d', '/orders/a%20b%26c%3Dd?ref=a%20b%26c%3Dd'],
  ])('sends %j as one path segment and one query value', async (id, path) => {
    const r = recorder();
    const base = await r.start();
    const done = await run([{ id: 'call', type: 'http_request', config: { method: 'GET', url: `${base}/orders/{{$trigger.id}}?ref={{$trigger.id}}` } }], { id });
    expect(done.status, done.error ?? '').toBe('completed');
    expect(r.seen.map((s) => s.url)).toEqual([path]);
  });

  it('fails the step without calling when a value would be the whole segment ".."', async () => {
    const r = recorder();
    const base = await r.start();
    const done = await run([{ id: 'call', type: 'http_request', config: { method: 'GET', url: `${base}/orders/{{$trigger.id}}/cancel` } }], { id: '..' });
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/path segment "\.\."/);
    expect(r.seen).toHaveLength(0);
  });

  it('removes line breaks from a header value rendered from a variable, and the run log says so', async () => {
    const r = recorder();
    const base = await r.start();
    const done = await run([{ id: 'call', type: 'http_request', config: {
      method: 'GET', url: base, headers: [{ key: 'X-Customer', value: '{{$trigger.name}}' }],
    } }], { name: 'Ada\r\nX-Admin: yes' });
    expect(done.status, done.error ?? '').toBe('completed');
    expect(r.seen[0]!.headers!['x-customer']).toBe('Ada X-Admin: yes');
    expect(r.seen[0]!.headers!['x-admin']).toBeUndefined();
    expect(done.stepLog[0]!.notes).toContain('Header X-Customer: line breaks and control characters removed from the rendered value');
  });
});
