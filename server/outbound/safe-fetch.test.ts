import { afterEach, describe, expect, it } from 'vitest';
import { OutboundBlockedError, OutboundNetworkError, OutboundRequestError, OutboundTimeoutError, ResponseTooLargeError } from './errors';
import { safeFetch } from './safe-fetch';
import { startTestServer, type TestServer } from './test-server';

const open = { allowList: ['127.0.0.1'] };
const closed = { allowList: [] };
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('safeFetch against a local server', () => {
  it('returns status, headers, text and parsed JSON', async () => {
    server = await startTestServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo-host': req.headers.host ?? '' });
      res.end(JSON.stringify({ ok: true, method: req.method, url: req.url }));
    });
    const res = await safeFetch({ method: 'get', url: `${server.url}/orders?id=7`, timeoutMs: 2000 }, open);
    expect(res.status).toBe(200);
    expect(res.headers['x-echo-host']).toBe(`127.0.0.1:${server.port}`);
    expect(res.json).toEqual({ ok: true, method: 'GET', url: '/orders?id=7' });
    expect(JSON.parse(res.bodyText)).toEqual(res.json);
  });

  it('sends the body and headers', async () => {
    server = await startTestServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ body, auth: req.headers.authorization, length: req.headers['content-length'] }));
      });
    });
    const res = await safeFetch(
      { method: 'POST', url: server.url, headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{"a":1}', timeoutMs: 2000 },
      open,
    );
    expect(res).toMatchObject({ status: 201, json: { body: '{"a":1}', auth: 'Bearer t', length: '7' } });
  });

  it.each(['DELETE', 'PATCH', 'POST'])('a %s\'s body arrives whole, with its length', async (method) => {
    server = await startTestServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, body, length: req.headers['content-length'] })));
    });
    const res = await safeFetch({ method, url: `${server.url}/orders/7`, headers: { 'content-type': 'application/json' }, body: '{"reason":"élan"}', timeoutMs: 2000 }, open);
    expect(res).toMatchObject({ status: 200, json: { method, body: '{"reason":"élan"}', length: '18' } });
    expect(server.hits).toBe(1);
  });

  it('leaves json undefined for a non-JSON body', async () => {
    server = await startTestServer((_req, res) => res.end('plain words'));
    const res = await safeFetch({ method: 'GET', url: server.url, timeoutMs: 2000 }, open);
    expect(res).toMatchObject({ bodyText: 'plain words', json: undefined });
  });

  it('does not follow redirects', async () => {
    server = await startTestServer((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
      res.end();
    });
    const res = await safeFetch({ method: 'GET', url: server.url, timeoutMs: 2000 }, open);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('http://169.254.169.254/latest/meta-data');
    expect(server.hits).toBe(1);
  });

  it('times out on a server that never answers', async () => {
    server = await startTestServer(() => {});
    const started = Date.now();
    await expect(safeFetch({ method: 'GET', url: server.url, timeoutMs: 200 }, open)).rejects.toBeInstanceOf(OutboundTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out on a body that trickles in past the budget', async () => {
    server = await startTestServer((_req, res) => {
      res.writeHead(200);
      res.write('{');
    });
    await expect(safeFetch({ method: 'GET', url: server.url, timeoutMs: 200 }, open)).rejects.toBeInstanceOf(OutboundTimeoutError);
  });

  it.each([
    ['with content-length', true],
    ['chunked', false],
  ])('refuses a 5 MB response (%s)', async (_name, withLength) => {
    const big = Buffer.alloc(5 * 1024 * 1024, 'a');
    server = await startTestServer((_req, res) => {
      res.writeHead(200, withLength ? { 'content-length': String(big.length) } : {});
      res.end(big);
    });
    const err = await safeFetch({ method: 'GET', url: server.url, timeoutMs: 5000 }, open).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as Error).message).toBe('response larger than 1048576 bytes');
  });

  it('reports a refused connection as a network error', async () => {
    server = await startTestServer(() => {});
    const url = server.url;
    await server.close();
    server = undefined;
    await expect(safeFetch({ method: 'GET', url, timeoutMs: 2000 }, open)).rejects.toBeInstanceOf(OutboundNetworkError);
  });
});

describe('safeFetch address policy', () => {
  it('refuses loopback without an allow-list, before connecting', async () => {
    server = await startTestServer((_req, res) => res.end('{}'));
    const err = await safeFetch({ method: 'GET', url: server.url, timeoutMs: 2000 }, closed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundBlockedError);
    expect((err as Error).message).toMatch(/127\.0\.0\.1.*loopback.*COMPANION_ALLOW_PRIVATE_URLS/);
    expect(server.connections).toBe(0);
  });

  it('refuses localhost (a name resolving to loopback) without an allow-list', async () => {
    server = await startTestServer((_req, res) => res.end('{}'));
    const url = `http://localhost:${server.port}/`;
    const err = await safeFetch({ method: 'GET', url, timeoutMs: 2000 }, closed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundBlockedError);
    expect((err as Error).message).toMatch(/localhost \(resolves to .*\)/);
    expect(server.connections).toBe(0);
  });

  it('lets localhost through when the name is allow-listed', async () => {
    server = await startTestServer((req, res) => res.end(JSON.stringify({ host: req.headers.host })));
    const res = await safeFetch({ method: 'GET', url: `http://localhost:${server.port}/`, timeoutMs: 2000 }, { allowList: ['localhost'] });
    expect(res.json).toEqual({ host: `localhost:${server.port}` });
  });

  it.each([
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/',
    'http://0.0.0.0/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://224.0.0.1/',
    'http://2130706433/', // 127.0.0.1 as a single number; URL normalises it
  ])('refuses %s without connecting', async (url) => {
    // A connect attempt would end in a timeout or network error, never in OutboundBlockedError.
    await expect(safeFetch({ method: 'GET', url, timeoutMs: 1000 }, closed)).rejects.toBeInstanceOf(OutboundBlockedError);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/x', 'gopher://example.com/', 'data:text/plain,hi'])('refuses the scheme of %s', async (url) => {
    await expect(safeFetch({ method: 'GET', url, timeoutMs: 1000 }, open)).rejects.toThrow(/only http and https/);
  });

  it.each([
    [{ url: 'not a url' }, /invalid URL/],
    [{ url: 'http://127.0.0.1/', headers: { 'bad header': 'x' } }, /invalid request/],
    [{ url: 'http://127.0.0.1/', timeoutMs: 0 }, /timeoutMs/],
  ])('rejects a malformed request %o', async (overrides, message) => {
    const input = { method: 'GET', timeoutMs: 1000, ...overrides };
    const err = await safeFetch(input, open).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundRequestError);
    expect((err as Error).message).toMatch(message);
  });
});
