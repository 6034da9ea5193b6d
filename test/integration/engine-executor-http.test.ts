import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepInput } from '../../lib/contracts/steps';
import { listMessages } from '../../server/domain/conversations';
import { httpRequestTiming } from '../../server/engine/steps/http-request';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer | undefined;
let remote: HttpServer | undefined;
afterEach(async () => {
  httpRequestTiming.sleep = undefined;
  await server?.close();
  await remote?.close();
  server = remote = undefined;
});

const readBody = (req: IncomingMessage) => new Promise<string>((resolve) => {
  let body = '';
  req.on('data', (c) => { body += String(c); });
  req.on('end', () => resolve(body));
});

async function run(steps: StepInput[], opts: { allow?: boolean; trigger?: Record<string, unknown> } = {}) {
  server = await startTestServer({ env: opts.allow === false ? {} : { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  const services = server.app.services;
  const { contact, conversation } = await insertContact(services);
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps }));
  const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id, trigger: opts.trigger });
  services.runSignal.notify();
  const done = await waitForRun(services.db, runId, undefined, 20_000);
  return { run: done, messages: await listMessages(services.db, conversation!.id) };
}

const http = (url: string, extra: Partial<{ method: 'GET' | 'POST'; body: string; timeoutMs: number; responseMappings: { jsonKey: string; variable: string }[] }> = {}): StepInput =>
  ({ id: 'call', type: 'http_request', config: { method: 'GET', url, ...extra } });

describe('http_request against a real HTTP server', () => {
  it('sends the rendered request, maps the JSON answer into $step and later steps use it', async () => {
    const seen: { method?: string; url?: string; body?: string; headers?: IncomingMessage['headers'] } = {};
    remote = await startHttpServer(async (req, res) => {
      Object.assign(seen, { method: req.method, url: req.url, headers: req.headers, body: await readBody(req) });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ticket: { id: 'T-9', priority: 2 } }));
    });
    const { run: done, messages } = await run([
      http(`${remote.url}/tickets?order={{$trigger.order}}`, {
        method: 'POST', body: '{"name": "{{$contact.firstName}}", "total": {{$trigger.total}}}',
        responseMappings: [{ jsonKey: '$.ticket.id', variable: 'ticketId' }, { jsonKey: '$.ticket.missing', variable: 'nope' }],
      }),
      { id: 'say', type: 'add_comment', config: { text: 'Ticket {{$step.ticketId}}' } },
    ], { trigger: { order: 'A1', total: 12.5 } });
    expect(done.status, done.error ?? '').toBe('completed');
    expect(seen).toMatchObject({ method: 'POST', url: '/tickets?order=A1', body: '{"name": "Ada", "total": 12.5}' });
    expect(seen.headers?.['idempotency-key']).toBe(`${done.id}:call`);
    // A mapping that matched nothing is null (n8n: an empty output), not left to an earlier step's value.
    expect(done.variables.step).toEqual({ ticketId: 'T-9', nope: null });
    expect(done.stepLog[0]).toMatchObject({ status: 'completed', output: { status: 200, attempts: 1 }, notes: [expect.stringMatching(/\$step\.nope/)] });
    expect(messages.map((m) => m.text)).toEqual(['Ticket T-9']);
  });

  it('retries 503 and 429 (honouring Retry-After) and succeeds on the third attempt', async () => {
    const times: number[] = [];
    remote = await startHttpServer((_req, res) => {
      times.push(Date.now());
      if (times.length === 1) { res.statusCode = 503; res.end(); return; }
      if (times.length === 2) { res.statusCode = 429; res.setHeader('retry-after', '1'); res.end(); return; }
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    const { run: done } = await run([http(remote.url)]);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(remote.hits).toBe(3);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(950);
    expect(done.stepLog[0]).toMatchObject({ output: { status: 200, attempts: 3 } });
    expect(done.stepLog[0]?.notes).toEqual([expect.stringMatching(/attempt 1: HTTP 503/), expect.stringMatching(/attempt 2: HTTP 429, retrying in 1000 ms/)]);
  });

  it('gives up after 3 attempts on a server that keeps failing, and fails the run', async () => {
    remote = await startHttpServer((_req, res) => { res.statusCode = 500; res.end(); });
    const { run: done } = await run([http(remote.url), { id: 'never', type: 'add_comment', config: { text: 'no' } }]);
    expect(done.status).toBe('failed');
    expect(remote.hits).toBe(3);
    expect(done.error).toMatch(/answered HTTP 500/);
    expect(done.stepLog).toHaveLength(1);
  });

  it('a server that keeps answering 429 is tried again later (its Retry-After honoured), with the same Idempotency-Key, and the step passes once it answers', async () => {
    const keys: (string | undefined)[] = [];
    let busy = true;
    remote = await startHttpServer((req, res) => {
      keys.push(req.headers['idempotency-key'] as string | undefined);
      if (busy) { res.statusCode = 429; res.setHeader('retry-after', '600'); res.end(); return; }
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    // Its Retry-After (capped at 30 s for the quick attempts) is past the step's 10 s timeout: no quick retry.
    httpRequestTiming.sleep = async () => {};
    server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    const services = server.app.services;
    const { contact } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [http(remote.url), { id: 'after', type: 'add_comment', config: { text: 'done' } }] }));
    const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
    services.runSignal.notify();
    const waiting = await waitForRun(services.db, runId, ['waiting'], 20_000);
    expect(remote.hits).toBe(1);
    expect(waiting.stepLog).toEqual([expect.objectContaining({ stepId: 'call', status: 'retrying', error: expect.stringMatching(/answered HTTP 429 \(1 attempt\)$/) })]);
    expect(waiting.stepLog[0]?.notes).toEqual([expect.stringMatching(/^attempt 1: HTTP 429; no quick retry: waiting 30000 ms for another attempt would pass the request's timeout$/)]);
    expect(Date.parse(waiting.wakeAt!) - Date.now()).toBeGreaterThan(590_000);

    busy = false;
    await services.db.updateTable('runs').set({ wake_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', runId).execute();
    services.runSignal.notify();
    const done = await waitForRun(services.db, runId, undefined, 20_000);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.stepLog.map((e) => `${e.stepId}:${e.status}`)).toEqual(['call:retrying', 'call:completed', 'after:completed']);
    expect(new Set(keys)).toEqual(new Set([`${runId}:call`]));
    expect(remote.hits).toBe(2);
  });

  it('fails with what the target said: a bounded excerpt of its body, in the run log', async () => {
    remote = await startHttpServer(async (req, res) => {
      await readBody(req);
      res.statusCode = 422;
      res.setHeader('content-type', 'application/json');
      res.end('{"error":"Content is required"}');
    });
    const { run: done } = await run([http(`${remote.url}/notes`, { method: 'POST', body: '{"content": "{{$trigger.note}}"}' })], { trigger: { note: '' } });
    expect(done.status).toBe('failed');
    expect(done.error).toBe(`POST ${remote.url}/notes answered HTTP 422: {"error":"Content is required"}`);
    expect(done.stepLog[0]).toMatchObject({ stepId: 'call', status: 'failed', error: done.error, output: { status: 422, attempts: 1 } });
  });

  it('keeps the request\'s credentials out of the excerpt when the target echoes them, and cuts a long body', async () => {
    const token = 'sk_live_0123456789abcdef';
    remote = await startHttpServer((req, res) => {
      res.statusCode = 401;
      res.end(`Invalid credentials:\n  Authorization: ${String(req.headers.authorization)}\n  X-Api-Key: ${String(req.headers['x-api-key'])}\n${'x'.repeat(500)}`);
    });
    const steps: StepInput[] = [{
      id: 'call', type: 'http_request',
      config: { method: 'GET', url: remote.url, headers: [{ key: 'Authorization', value: `Bearer ${token}` }, { key: 'X-Api-Key', value: '{{$trigger.apiKey}}' }] },
    }];
    const { run: done } = await run(steps, { trigger: { apiKey: 'key_from_trigger_42' } });
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+ answered HTTP 401: Invalid credentials: Authorization: \[redacted\] X-Api-Key: \[redacted\] x{60,}…$/);
    expect(done.error!.length).toBeLessThan(300);
    const log = JSON.stringify({ error: done.error, stepLog: done.stepLog });
    expect(log).not.toContain(token);
    expect(log).not.toContain('key_from_trigger_42');
  });

  it('a NUL in what the server answered fails the run with a message that says so (text arriving at the webhooks is replaced instead)', async () => {
    remote = await startHttpServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ticket": {"id": "T\\u00009"}}');
    });
    const { run: done } = await run([
      http(`${remote.url}/tickets`, { responseMappings: [{ jsonKey: '$.ticket.id', variable: 'ticketId' }] }),
      { id: 'say', type: 'add_comment', config: { text: 'Ticket {{$step.ticketId}}' } },
    ]);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^Text may not contain NUL \(\\u0000\) characters: a value this step wrote holds one/);
  });

  it('does not retry a 4xx answer', async () => {
    remote = await startHttpServer((_req, res) => { res.statusCode = 404; res.end(); });
    const { run: done } = await run([http(remote.url)]);
    expect(done).toMatchObject({ status: 'failed', error: expect.stringMatching(/HTTP 404/) });
    expect(remote.hits).toBe(1);
  });

  it('times out a server that never answers once: the timeout is the whole step\'s, not each attempt\'s', async () => {
    remote = await startHttpServer(() => { /* never answers */ });
    const { run: done } = await run([http(remote.url, { timeoutMs: 200 })]);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/within 200 ms$/);
    expect(remote.hits).toBe(1);
    expect(done.stepLog[0]).toMatchObject({ output: { status: 0, attempts: 1 } });
  });

  it('refuses 127.0.0.1 unless it is allow-listed, without sending anything', async () => {
    remote = await startHttpServer((_req, res) => { res.end('{}'); });
    const { run: done } = await run([http(`${remote.url}/private`)], { allow: false });
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/loopback/);
    expect(remote.connections).toBe(0);
  });
});
