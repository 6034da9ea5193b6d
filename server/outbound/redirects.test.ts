import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOOPBACK_TLS, trustCertificates } from '../../test/support/loopback-tls';
import { callAndMap } from './call';
import { OutboundBlockedError } from './errors';
import { fetchFollowing } from './redirects';
import { startTestServer, type TestServer } from './test-server';

// Two loopback servers on two ports are two origins: what a redirect may carry from one to the
// other is what a redirect to another company's host would carry.

interface Received { method: string; url: string; body: string }
const servers: TestServer[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await s.close(); });

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const received: Received[] = [];
  const server = await startTestServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += String(c); });
    req.on('end', () => { received.push({ method: req.method ?? '', url: req.url ?? '', body }); handler(req, res); });
  });
  servers.push(server);
  return Object.assign(server, { received });
}

const ok = (_req: IncomingMessage, res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
const policy = { allowList: ['127.0.0.1'] };
const BODY = '{"client_id":"app_1","client_secret":"cs_live_Zx81bQ0pLm44"}';

describe('a redirect that would carry the body to another origin', () => {
  it.each([
    { status: 307, method: 'POST' },
    { status: 308, method: 'PATCH' },
    { status: 302, method: 'PUT' },
    { status: 301, method: 'DELETE' },
  ])('$method answered $status: not followed, nothing reaches the other origin', async ({ status, method }) => {
    const other = await serve(ok);
    const first = await serve((_req, res) => res.writeHead(status, { location: `${other.url}/token` }).end());
    const err = await fetchFollowing({ method, url: `${first.url}/token`, body: BODY, headers: { 'content-type': 'application/json' }, timeoutMs: 5000 }, policy)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundBlockedError);
    expect((err as Error).message).toBe(
      `answered HTTP ${status} to another site (Location: ${other.url}/token); not followed: the ${method}'s body goes only to ${first.url}, `
      + `not on to ${other.url}, which the request did not name. If ${other.url} is meant to get it, put its URL in the request itself.`,
    );
    expect(first.received).toEqual([{ method, url: '/token', body: BODY }]);
    expect(other.connections).toBe(0);
  });

  it.each([
    { status: 307, method: 'POST', then: 'POST', body: BODY },
    { status: 308, method: 'PUT', then: 'PUT', body: BODY },
  ])('the same origin still gets a $status with its body', async ({ status, method, then, body }) => {
    const site = await serve((req, res) => (req.url === '/old' ? res.writeHead(status, { location: '/new' }).end() : ok(req, res)));
    const answer = await fetchFollowing({ method, url: `${site.url}/old`, body: BODY, timeoutMs: 5000 }, policy);
    expect(answer).toMatchObject({ status: 200, url: `${site.url}/new`, hops: [{ status, method: then, url: `${site.url}/new` }] });
    expect(site.received[1]).toEqual({ method: then, url: '/new', body });
  });

  it.each([
    { status: 303, method: 'POST', body: BODY },
    { status: 302, method: 'POST', body: BODY },
    { status: 307, method: 'GET', body: undefined },
  ])('$method answered $status goes on to the other origin as a GET without a body', async ({ status, method, body }) => {
    const other = await serve(ok);
    const first = await serve((_req, res) => res.writeHead(status, { location: `${other.url}/done` }).end());
    const answer = await fetchFollowing({ method, url: `${first.url}/form`, ...(body ? { body } : {}), timeoutMs: 5000 }, policy);
    expect(answer.status).toBe(200);
    expect(other.received).toEqual([{ method: 'GET', url: '/done', body: '' }]);
  });
});

describe('the step\'s error for a refused hop', () => {
  it('names both origins, is not retried, and masks what the body carried wherever the Location repeats it', async () => {
    const other = await serve(ok);
    const first = await serve((_req, res) => res.writeHead(307, { location: `${other.url}/cb?ref=cs_live_Zx81bQ0pLm44` }).end());
    const result = await callAndMap({ method: 'POST', url: `${first.url}/oauth/token`, body: BODY, timeoutMs: 5000 }, { allowList: policy.allowList, mappings: [] });
    expect(result).toMatchObject({ ok: false, status: 0, attempts: 1 });
    expect(result.later).toBeUndefined();
    expect(result.error).toBe(
      `answered HTTP 307 to another site (Location: ${other.url}/cb?ref=[redacted]); not followed: the POST's body goes only to ${first.url}, `
      + `not on to ${other.url}, which the request did not name. If ${other.url} is meant to get it, put its URL in the request itself.`,
    );
    expect(first.hits).toBe(1);
    expect(other.connections).toBe(0);
  });
});

/**
 * One port answering plain HTTP and TLS, as nginx does with `error_page 497` (plain HTTP sent to
 * its TLS port is redirected to https on the same host and port): the same site, moved to TLS.
 */
async function plainAndTls(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const received: (Received & { scheme: string; apiKey?: string; auth?: string })[] = [];
  const recording = (scheme: string) => (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => { body += String(c); });
    req.on('end', () => {
      received.push({ scheme, method: req.method ?? '', url: req.url ?? '', body, apiKey: req.headers['x-api-key'] as string | undefined, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      handler(req, res);
    });
  };
  const plain = http.createServer(recording('http'));
  const secure = https.createServer(LOOPBACK_TLS, recording('https'));
  const sockets = new Set<net.Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', (first) => {
      socket.pause();
      socket.unshift(first);
      // A TLS handshake starts with a record of type 22.
      (first[0] === 22 ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const { port } = front.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); front.close(() => resolve()); });
  servers.push({ url: `http://127.0.0.1:${port}`, port, hits: 0, connections: 0, close });
  return { port, received };
}

describe('a redirect of the same host to https', () => {
  let untrust = () => {};
  beforeAll(() => { untrust = trustCertificates(LOOPBACK_TLS.cert); });
  afterAll(() => untrust());

  it.each([
    { status: 307, method: 'POST' },
    { status: 308, method: 'PUT' },
  ])('$method answered $status is followed with its body and headers, as n8n follows it', async ({ status, method }) => {
    const site = await plainAndTls((req, res) => (req.socket instanceof tls.TLSSocket
      ? ok(req, res)
      : res.writeHead(status, { location: `https://127.0.0.1:${site.port}${req.url}` }).end()));
    const headers = { 'content-type': 'application/json', 'x-api-key': 'key_live_5Tq0aLw9' };
    const answer = await fetchFollowing({ method, url: `http://127.0.0.1:${site.port}/token`, body: BODY, headers, timeoutMs: 5000 }, policy);
    expect(answer).toMatchObject({ status: 200, url: `https://127.0.0.1:${site.port}/token`, hops: [{ status, method, url: `https://127.0.0.1:${site.port}/token` }] });
    expect(site.received).toEqual([
      { scheme: 'http', method, url: '/token', body: BODY, apiKey: 'key_live_5Tq0aLw9' },
      { scheme: 'https', method, url: '/token', body: BODY, apiKey: 'key_live_5Tq0aLw9' },
    ]);
  });

  it('a GET with the user and password in its URL keeps them on its way to https (an absolute Location names none)', async () => {
    const site = await plainAndTls((req, res) => (req.socket instanceof tls.TLSSocket
      ? ok(req, res)
      : res.writeHead(301, { location: `https://127.0.0.1:${site.port}${req.url}` }).end()));
    const answer = await fetchFollowing({ method: 'GET', url: `http://ann:s3cret-pw@127.0.0.1:${site.port}/orders`, timeoutMs: 5000 }, policy);
    expect(answer.status).toBe(200);
    const basic = `Basic ${Buffer.from('ann:s3cret-pw').toString('base64')}`;
    expect(site.received.map((r) => [r.scheme, r.auth])).toEqual([['http', basic], ['https', basic]]);
  });

  it('the other way, https to http on the same host, is still refused: the body would go in the clear', async () => {
    const site = await plainAndTls((req, res) => (req.socket instanceof tls.TLSSocket
      ? res.writeHead(307, { location: `http://127.0.0.1:${site.port}${req.url}` }).end()
      : ok(req, res)));
    const err = await fetchFollowing({ method: 'POST', url: `https://127.0.0.1:${site.port}/token`, body: BODY, timeoutMs: 5000 }, policy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundBlockedError);
    expect(site.received.map((r) => r.scheme)).toEqual(['https']);
  });
});
