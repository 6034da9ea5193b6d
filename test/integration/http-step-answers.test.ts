import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepInput } from '../../lib/contracts/steps';
import { listMessages } from '../../server/domain/conversations';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';

// What an HTTP request step makes of the answer: read in its declared charset, redirects
// followed (each hop checked as the URL itself is), and what came back kept in the run log when
// the step could not use it (n8n shows a node's output).

let server: TestServer | undefined;
const remotes: HttpServer[] = [];
afterEach(async () => {
  await server?.close();
  for (const r of remotes.splice(0)) await r.close();
  server = undefined;
});

interface Received { method: string; url: string; headers: IncomingMessage['headers']; body: string }

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const received: Received[] = [];
  const remote = await startHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += String(c); });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  remotes.push(remote);
  return { url: remote.url, port: remote.port, received };
}

async function run(steps: StepInput[], allow = '127.0.0.1') {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: allow } });
  const services = server.app.services;
  const { contact, conversation } = await insertContact(services);
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps }));
  const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
  services.runSignal.notify();
  const done = await waitForRun(services.db, runId, undefined, 20_000);
  return { run: done, comments: (await listMessages(services.db, conversation!.id)).map((m) => m.text) };
}

const call = (config: Record<string, unknown>): StepInput => ({ id: 'call', type: 'http_request', config: { method: 'GET', ...config } as never });
const say = (text: string): StepInput => ({ id: 'say', type: 'add_comment', config: { text } });

describe('the answer\'s charset', () => {
  it.each([
    { charset: 'iso-8859-1', bytes: Buffer.from('{"name":"José"}', 'latin1'), name: 'José' },
    { charset: 'latin1', bytes: Buffer.from('{"name":"Müller"}', 'latin1'), name: 'Müller' },
    { charset: 'windows-1252', bytes: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0x80]), Buffer.from('5 off"}')]), name: '€5 off' },
    { charset: 'utf-16le', bytes: Buffer.from('{"name":"Zoë"}', 'utf16le'), name: 'Zoë' },
    { charset: '"UTF-8"', bytes: Buffer.from('{"name":"José"}'), name: 'José' },
  ])('charset=$charset is read as such', async ({ charset, bytes, name }) => {
    const remote = await serve((_req, res) => res.writeHead(200, { 'content-type': `application/json; charset=${charset}` }).end(bytes));
    const { run: done, comments } = await run([call({ url: `${remote.url}/who`, responseMappings: [{ jsonKey: '$.name', variable: 'name' }] }), say('Hi {{$step.name}}')]);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.variables.step).toEqual({ name });
    expect(comments).toEqual([`Hi ${name}`]);
    expect(done.stepLog[0]?.notes ?? []).toEqual([]);
  });

  it('an unknown charset is read as UTF-8, with a note saying so', async () => {
    const remote = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json; charset=x-klingon' }).end('{"name":"Ana"}'));
    const { run: done } = await run([call({ url: remote.url, responseMappings: [{ jsonKey: '$.name', variable: 'name' }] })]);
    expect(done.status).toBe('completed');
    expect(done.variables.step).toEqual({ name: 'Ana' });
    expect(done.stepLog[0]?.notes).toEqual(['The answer\'s charset "x-klingon" is unknown; it was read as UTF-8']);
  });
});

describe('redirects', () => {
  it('follows a 302 to where it points and maps the answer there, noting the hop', async () => {
    const remote = await serve((req, res) => {
      if (req.url === '/old') { res.writeHead(302, { location: '/new?page=2' }).end(); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ticket":"T-9"}');
    });
    const { run: done } = await run([call({ url: `${remote.url}/old`, responseMappings: [{ jsonKey: '$.ticket', variable: 'ticket' }] })]);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.variables.step).toEqual({ ticket: 'T-9' });
    expect(remote.received.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /old', 'GET /new?page=2']);
    expect(done.stepLog[0]).toMatchObject({ output: { status: 200, attempts: 1 }, notes: [`HTTP 302: followed to GET ${remote.url}/new?page=2`] });
  });

  it.each([
    { status: 301, method: 'POST', then: 'GET', body: false },
    { status: 302, method: 'POST', then: 'GET', body: false },
    { status: 303, method: 'POST', then: 'GET', body: false },
    { status: 303, method: 'PUT', then: 'GET', body: false },
    { status: 302, method: 'PUT', then: 'PUT', body: true },
    { status: 307, method: 'POST', then: 'POST', body: true },
    { status: 308, method: 'PATCH', then: 'PATCH', body: true },
  ] as const)('$method answered $status: the next request is a $then, body kept: $body (as fetch does)', async ({ status, method, then, body }) => {
    const remote = await serve((req, res) => {
      if (req.url === '/form') { res.writeHead(status, { location: '/done' }).end(); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const { run: done } = await run([call({ method, url: `${remote.url}/form`, body: '{"order": "A1"}' })]);
    expect(done.status, done.error ?? '').toBe('completed');
    const [first, second] = remote.received;
    expect(first).toMatchObject({ method, body: '{"order": "A1"}' });
    expect(second).toMatchObject({ method: then, url: '/done', body: body ? '{"order": "A1"}' : '' });
    expect(second!.headers['content-type']).toBe(body ? 'application/json' : undefined);
    expect(second!.headers['idempotency-key']).toBe(`${done.id}:call`);
  });

  it('carries none of the headers the admin set to another origin, whatever their names; the same origin keeps them', async () => {
    const other = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const remote = await serve((req, res) => {
      if (req.url === '/start') { res.writeHead(302, { location: '/same' }).end(); return; }
      res.writeHead(307, { location: `${other.url}/elsewhere` }).end();
    });
    const headers = [
      { key: 'Authorization', value: 'Bearer sk_live_0123456789' }, { key: 'X-Api-Key', value: 'key_0123456789' },
      { key: 'Cookie', value: 'session=abc0123456789' }, { key: 'X-Shop', value: 'acme' }, { key: 'X-Custom', value: 'CustomSecretValue456' },
    ];
    const { run: done } = await run([call({ url: `http://localhost:${remote.port}/start`, headers })], 'localhost,127.0.0.1');
    expect(done.status, done.error ?? '').toBe('completed');
    expect(remote.received[1]!.headers).toMatchObject({
      authorization: 'Bearer sk_live_0123456789', 'x-api-key': 'key_0123456789', cookie: 'session=abc0123456789', 'x-shop': 'acme', 'x-custom': 'CustomSecretValue456',
    });
    // What describes the request goes on; a custom header may be a key as well as X-Api-Key.
    const moved = other.received[0]!.headers;
    expect(moved).toMatchObject({ 'idempotency-key': `${done.id}:call`, 'user-agent': 'InboxCompanion-Workflow/1' });
    for (const name of ['authorization', 'x-api-key', 'cookie', 'x-shop', 'x-custom']) expect(moved).not.toHaveProperty(name);
  });

  it.each([
    { to: (port: number) => `http://127.0.0.1:${port}/admin`, range: 'loopback' },
    { to: () => 'http://169.254.169.254/latest/meta-data/', range: 'linkLocal' },
    { to: () => 'http://10.0.0.7/internal', range: 'private' },
  ])('refuses a hop to a $range address that the URL itself could not reach', async ({ to, range }) => {
    const inside = await serve((_req, res) => res.end('secret'));
    const remote = await serve((_req, res) => res.writeHead(302, { location: to(inside.port) }).end());
    // Only the first host is allowed: what it redirects to is checked on its own.
    const { run: done } = await run([call({ url: `http://localhost:${remote.port}/go` })], 'localhost');
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(new RegExp(`refusing to connect to [0-9.]+: ${range} address`));
    expect(inside.received).toHaveLength(0);
    const insideServer = remotes.find((r) => r.port === inside.port)!;
    expect(insideServer.connections).toBe(0);
  });

  it('stops after 5 redirects and fails showing where the sixth pointed', async () => {
    const remote = await serve((req, res) => {
      const n = Number(/\/hop\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
      res.writeHead(302, { location: `/hop/${n + 1}?token=s3cr3t_value` }).end();
    });
    const { run: done } = await run([call({ url: `${remote.url}/hop/0` })]);
    expect(done.status).toBe('failed');
    expect(remote.received).toHaveLength(6);
    expect(done.error).toBe(`GET ${remote.url}/hop/0 answered HTTP 302 (Location: ${remote.url}/hop/6?token=***)`);
    expect(done.stepLog[0]?.notes).toContain('Redirect not followed: at most 5 are followed');
    expect(JSON.stringify(done.stepLog)).not.toContain('s3cr3t_value');
  });
});

describe('what came back, in the run log', () => {
  it('keeps the answer when a mapping matched nothing in it', async () => {
    const answer = '{"ticket": {"id": "T-9", "state": "open"}}';
    const remote = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
    const { run: done } = await run([call({ url: remote.url, responseMappings: [{ jsonKey: '$.ticket.id', variable: 'id' }, { jsonKey: '$.ticket.number', variable: 'number' }] })]);
    expect(done.status).toBe('completed');
    expect(done.stepLog[0]).toMatchObject({
      output: { status: 200, attempts: 1, variables: { id: 'T-9' }, response: answer },
      notes: ['$step.number: $.ticket.number matched nothing in the body'],
    });
  });

  it('keeps the answer when it is not JSON', async () => {
    const remote = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>\n  <h1>Down for maintenance</h1>\n</html>'));
    const { run: done } = await run([call({ url: remote.url, responseMappings: [{ jsonKey: '$.id', variable: 'id' }] })]);
    expect(done.stepLog[0]).toMatchObject({
      output: { status: 200, response: '<html> <h1>Down for maintenance</h1> </html>' },
      notes: ['The response is not JSON; no variable was mapped'],
    });
  });

  it('keeps the first 2 KB of a failed answer, what the request sent masked; the error keeps its short excerpt', async () => {
    const token = 'sk_live_0123456789abcdef';
    const remote = await serve((req, res) => res.writeHead(422, { 'content-type': 'text/plain' }).end(`Refused for ${String(req.headers.authorization)}: ${'x'.repeat(5000)}`));
    const { run: done } = await run([call({ method: 'POST', url: remote.url, body: '{}', headers: [{ key: 'Authorization', value: `Bearer ${token}` }] })]);
    expect(done.status).toBe('failed');
    const response = (done.stepLog[0]?.output as { response: string }).response;
    expect(response).toMatch(/^Refused for \[redacted\]: x+…$/);
    expect(response.length).toBe(2049);
    expect(done.error!.length).toBeLessThan(300);
    expect(JSON.stringify(done)).not.toContain(token);
  });

  it('keeps nothing of an answer the step used', async () => {
    const remote = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": 7}'));
    const { run: done } = await run([call({ url: remote.url, responseMappings: [{ jsonKey: '$.id', variable: 'id' }] })]);
    expect(done.stepLog[0]?.output).toEqual({ status: 200, attempts: 1, variables: { id: 7 } });
  });
});
