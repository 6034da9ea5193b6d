import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from '../webhooks/support';

// Issue 14, "Limits that cannot be side-stepped".
let server: TestServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const start = async (env: Record<string, string>) => (server = await startTestServer({ workers: false, env }));
const get = (s: TestServer, path: string, authorization?: string) =>
  s.request('GET', path, { headers: authorization === undefined ? {} : { authorization } });

describe('the per-token rate limit', () => {
  it('counts the token, not how the Authorization header is spelled', async () => {
    const s = await start({ RATE_LIMIT_PER_MINUTE: '4' });
    const spellings = [`Bearer ${s.adminToken}`, `bearer ${s.adminToken}`, `BEARER   ${s.adminToken}`, `Bearer ${s.adminToken} `];
    for (const h of spellings) expect((await get(s, '/api/v1/me', h)).status).toBe(200);
    for (const h of spellings) {
      const res = await get(s, '/api/v1/me', h);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).not.toBeNull();
    }
    // Another user keeps a bucket of their own.
    const { token } = await s.createUser('agent');
    expect((await get(s, '/api/v1/me', `Bearer ${token}`)).status).toBe(200);
  });
});

describe('failed authentications per client address', () => {
  it('answers 429 once an address has failed too often, whatever tokens it tries', async () => {
    const s = await start({ AUTH_FAILURES_PER_MINUTE: '5' });
    for (let i = 0; i < 5; i++) expect((await get(s, '/api/v1/me', `Bearer guess-${i}`)).status).toBe(401);
    const over = await get(s, '/api/v1/me', 'Bearer guess-next');
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('rate_limited');
    expect((await get(s, '/api/v1/me')).status).toBe(429);
  });
});

describe('a token in the query string', () => {
  it('is refused on API routes and accepted by the live event stream only', async () => {
    const s = await start({});
    const me = await get(s, `/api/v1/me?token=${s.adminToken}`);
    expect(me.status).toBe(401);
    expect(me.body.error.message).toMatch(/only by the live event stream/);
    const controller = new AbortController();
    const stream = await fetch(`${s.url}/api/v1/events/stream?token=${s.adminToken}`, { signal: controller.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    controller.abort();
  });
});

/** Sends only the headers of a POST announcing `length` bytes, and waits for an answer. */
function headersOnly(url: string, length: number, timeoutMs = 3_000): Promise<{ status: number; connection: string | undefined } | 'no answer'> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(length) } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode!, connection: res.headers.connection });
      req.destroy();
    });
    req.on('error', (err) => (String(err).includes('socket hang up') ? undefined : reject(err)));
    req.flushHeaders();
    setTimeout(() => { resolve('no answer'); req.destroy(); }, timeoutMs);
  });
}

describe('/hooks/:token for unknown and unpublished URLs', () => {
  it('refuses before reading the body, and closes the connection', async () => {
    const s = await start({});
    const answer = await headersOnly(`${s.url}/hooks/${'x'.repeat(43)}`, 500_000);
    expect(answer).toEqual({ status: 404, connection: 'close' });
    // Nothing is parsed either: a malformed body to an unknown URL is a 404, not a 400.
    const res = await s.request('POST', `/hooks/${'y'.repeat(43)}`, { body: '{not json', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
  });

  it('refuses an unpublished URL unread, and takes it once published', async () => {
    const s = await start({});
    await makeContact(s, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(s);
    const admin = s.api(s.adminToken);
    expect((await admin.post(`/workflows/${hook.id}/unpublish`)).status).toBe(200);
    expect(await headersOnly(s.url + hook.path, 500_000)).toMatchObject({ status: 404 });
    expect((await admin.post(`/workflows/${hook.id}/publish`)).status).toBe(200);
    const res = await s.request('POST', hook.path, { body: { phone: '+14155550123' } });
    expect(res.status).toBe(202);
  });

  it('rate limits unknown URLs per address, holding the 429s back, while a published URL keeps working', async () => {
    const s = await start({ WEBHOOK_UNKNOWN_PER_MINUTE: '3', WEBHOOK_UNKNOWN_DELAY_MS: '600' });
    await makeContact(s, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(s);
    const answers: { status: number; ms: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const res = await s.request('POST', `/hooks/random${i}`, { body: {} });
      answers.push({ status: res.status, ms: performance.now() - t });
    }
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 429, 429]);
    // A flooder past the limit waits for each answer (tarpit); an honest sender's 404 is immediate.
    for (const a of answers.slice(0, 3)) expect(a.ms).toBeLessThan(400);
    for (const a of answers.slice(3)) expect(a.ms).toBeGreaterThanOrEqual(550);
    // While a refusal is held, the server goes on answering everyone else at once.
    const held = s.request('POST', '/hooks/random-held', { body: {} });
    const t = performance.now();
    expect((await s.request('POST', hook.path, { body: { phone: '+14155550123' } })).status).toBe(202);
    expect(performance.now() - t).toBeLessThan(400);
    expect((await held).status).toBe(429);
  });
});
