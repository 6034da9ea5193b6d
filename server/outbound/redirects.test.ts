import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
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
