import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../server/store/migrations/index';
import { startAttempt } from '../../support/start-attempt';

// What the log says of webhook deliveries, health probes and migrations, and what a request
// arriving during a shutdown gets, with `npm start`'s process.

type Line = { level: number; msg: string; reqId?: string; req?: { url?: string }; res?: { statusCode?: number }; code?: string };
const logLines = (out: string): Line[] => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
/** Per request to `url` (as logged): the level of its lines, its status and error code. */
const answered = (lines: Line[], url: string) => lines.filter((l) => l.msg === 'incoming request' && l.req?.url === url).map((incoming) => {
  const done = lines.find((l) => l.msg === 'request completed' && l.reqId === incoming.reqId);
  return [incoming.level, done?.level, done?.res?.statusCode, done?.code];
});

async function startWithDemo(dataDir: string, logLevel: string) {
  const attempt = await startAttempt({ DATA_DIR: dataDir, COMPANION_DEMO: '1', LOG_LEVEL: logLevel });
  if (!attempt.started) throw new Error(`did not start:\n${attempt.out}`);
  const token = /Demo webhook: +curl -X POST \S+\/hooks\/([\w-]+) /.exec(attempt.out())?.[1];
  if (!token) throw new Error(`no demo webhook in the banner:\n${attempt.out()}`);
  return { ...attempt, token };
}

const deliver = (url: string, token: string) => fetch(`${url}/hooks/${token}`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '+34600111222', order: { id: '1042' } }),
});

/** A Chatwoot delivery to a URL no account has, and a Meta delivery (no META_APP_SECRET here): both refused. */
const deliverElsewhere = async (url: string) => {
  const body = JSON.stringify({ event: 'conversation_created', id: 1 });
  const chatwoot = await fetch(`${url}/chatwoot/webhook/no-such-account-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const meta = await fetch(`${url}/meta/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ object: 'whatsapp_business_account', entry: [] }) });
  return [chatwoot.status, meta.status];
};

/** Lines written until the log is quiet (pino writes asynchronously). */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('request logs', () => {
  let root: string;
  beforeAll(async () => { root = await mkdtemp(path.join(tmpdir(), 'companion-logs-')); });
  afterAll(async () => { await rm(root, { recursive: true, force: true }); });

  it('LOG_LEVEL=debug: deliveries and refusals are logged at debug, with the reason code and the token redacted', async () => {
    const server = await startWithDemo(path.join(root, 'debug'), 'debug');
    try {
      expect((await deliver(server.url, server.token)).status).toBe(202);
      expect((await deliver(server.url, 'no-such-webhook-url-token')).status).toBe(404);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(await deliverElsewhere(server.url)).toEqual([404, 401]);
      await settle();
      const lines = logLines(server.out());
      expect(answered(lines, '/hooks/[redacted]')).toEqual([[20, 20, 202, undefined], [20, 20, 404, 'not_found']]);
      expect(answered(lines, '/chatwoot/webhook/[redacted]')).toEqual([[20, 20, 404, 'not_found']]);
      expect(answered(lines, '/meta/webhook')).toEqual([[20, 20, 401, 'not_configured']]);
      expect(answered(lines, '/healthz')).toEqual([[20, 20, 200, undefined]]);
      // The banner prints the demo URL; the log never holds a URL token.
      const log = lines.map((l) => JSON.stringify(l)).join('\n');
      expect(log).not.toContain(server.token);
      expect(log).not.toContain('no-such-webhook-url-token');
      expect(log).not.toContain('no-such-account-token');
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('LOG_LEVEL=info (the default): no line per delivery or health probe, API requests as before; migrations once', async () => {
    const dataDir = path.join(root, 'info');
    const server = await startWithDemo(dataDir, 'info');
    try {
      expect((await deliver(server.url, server.token)).status).toBe(202);
      expect((await deliver(server.url, 'no-such-webhook-url-token')).status).toBe(404);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${server.url}/api/v1/me`)).status).toBe(401);
      expect(await deliverElsewhere(server.url)).toEqual([404, 401]);
      await settle();
      const lines = logLines(server.out());
      expect(answered(lines, '/hooks/[redacted]')).toEqual([]);
      expect(answered(lines, '/chatwoot/webhook/[redacted]')).toEqual([]);
      expect(answered(lines, '/meta/webhook')).toEqual([]);
      expect(answered(lines, '/readyz')).toEqual([]);
      expect(answered(lines, '/api/v1/me')).toEqual([[30, 30, 401, undefined]]);
      // Named by the latest migration, as the release's server/store/migrations ends.
      const latest = Object.keys(migrations).sort().at(-1)!;
      expect(latest).toMatch(/^\d{3}-/);
      expect(lines.filter((l) => l.msg === `applied ${Object.keys(migrations).length} migrations; the database is at ${latest}`).map((l) => l.level)).toEqual([30]);
    } finally {
      await server.stop();
    }
    const again = await startAttempt({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    if (!again.started) throw new Error(`did not start again:\n${again.out}`);
    await again.stop();
    expect(logLines(again.out()).filter((l) => l.msg.startsWith('applied '))).toEqual([]);
  }, 60_000);

  it('/docs lists the health probes', async () => {
    const server = await startAttempt({ DATA_DIR: path.join(root, 'docs') });
    if (!server.started) throw new Error(`did not start:\n${server.out}`);
    try {
      const doc = await (await fetch(`${server.url}/docs/json`)).json() as { paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, unknown> }>> };
      expect(doc.paths['/healthz']?.get?.tags).toEqual(['health']);
      expect(doc.paths['/readyz']?.get?.tags).toEqual(['health']);
      expect(Object.keys(doc.paths['/readyz']!.get!.responses)).toEqual(expect.arrayContaining(['200', '503']));
    } finally {
      await server.stop();
    }
  }, 40_000);
});

describe('a request arriving while the server shuts down (SIGTERM)', () => {
  let root: string;
  beforeAll(async () => { root = await mkdtemp(path.join(tmpdir(), 'companion-closing-')); });
  afterAll(async () => { await rm(root, { recursive: true, force: true }); });

  it('gets 503 in the error shape with Retry-After: 1, after the request in flight is answered', async () => {
    const admin = 'ict_closing_admin_token_0123456789abcdef';
    const server = await startAttempt({ DATA_DIR: root, COMPANION_ADMIN_TOKEN: admin });
    if (!server.started) throw new Error(`did not start:\n${server.out}`);
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let received = '';
    socket.on('data', (d) => { received += String(d); });
    const closed = new Promise((r) => socket.once('close', r));
    // A request in flight (its body half sent) when SIGTERM comes, and one sent behind it on the
    // same kept-alive connection once the server is closing (nginx, webhook senders do this).
    const body = JSON.stringify({ firstName: 'Late' });
    socket.write(`POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.write(`${body.slice(5)}GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin}\r\n\r\n`);
    await closed;
    expect(await server.exited).toBe(0);
    const answers = received.split(/(?=HTTP\/1\.1 )/);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 201 /);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 503 /);
    expect(answers[1]).toMatch(/\r\nretry-after: 1\r\n/i);
    expect(JSON.parse(answers[1]!.split('\r\n\r\n')[1]!)).toEqual({ error: { code: 'shutting_down', message: 'The server is shutting down; try again in a moment' } });
  }, 40_000);
});
