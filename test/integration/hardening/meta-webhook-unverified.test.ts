import { createHmac } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rawRequest } from '../../support/raw-http';
import { startTestServer, type TestServer } from '../../support/server';

// POST /meta/webhook takes up to 16 MiB (Meta batches up to 1,000 updates). Its JSON was parsed
// before anything said the body was Meta's: an anonymous 15 MB body held the event loop for
// seconds, for every user and webhook, even on a server without Meta. Now a server without
// META_APP_SECRET refuses before reading the body, and one with it checks X-Hub-Signature-256
// over the bytes before parsing them. The server runs in this process: its event loop is this one.

const APP_SECRET = 'meta-app-secret-for-unverified-tests';
/** ~15 MB of small arrays and objects, as the review sent it: costly to parse, under the 16 MiB limit. */
const BIG = `{"entry":[${Array(600_000).fill('[{"a":[1,2,3,4,5,6,7,8]}]').join(',')}]}`;
const BIG_BYTES = Buffer.from(BIG);
/**
 * The longest the event loop may be held meanwhile. Parsing BIG alone takes over a second here
 * (2.8 s in the review); reading and hashing its bytes, tens of milliseconds, more on a busy machine.
 */
const HELD_MS = 800;
const sign = (raw: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

let server: TestServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

/**
 * The answer to BIG, the longest the event loop was held meanwhile, and whether the server parsed
 * the body (a JSON.parse of a text as long as it).
 */
async function deliverBig(headers: Record<string, string>) {
  const parse = vi.spyOn(JSON, 'parse');
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const res = await rawRequest(server!.url, 'POST', '/meta/webhook', { 'content-type': 'application/json', ...headers }, BIG_BYTES);
  delay.disable();
  const parsed = parse.mock.calls.some(([text]) => typeof text === 'string' && text.length >= BIG.length);
  parse.mockRestore();
  return { res, heldMs: delay.max / 1e6, parsed };
}

describe('POST /meta/webhook with 15 MB that are not Meta\'s', () => {
  it('without META_APP_SECRET: 401 not_configured before the body is read, the server never held', async () => {
    expect(BIG.length).toBeGreaterThan(15_000_000);
    server = await startTestServer({ workers: false });
    const { res, heldMs, parsed } = await deliverBig({});
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('not_configured');
    expect(parsed).toBe(false);
    expect(heldMs).toBeLessThan(HELD_MS);
    // Still answering at once afterwards.
    expect((await rawRequest(server.url, 'GET', '/healthz')).status).toBe(200);
  });

  it.each([
    ['signed with another secret', () => ({ 'x-hub-signature-256': sign(BIG, 'not-the-app-secret') })],
    ['without a signature', () => ({})],
  ])('with META_APP_SECRET, %s: 401 invalid_signature without parsing the body', async (_, headers) => {
    server = await startTestServer({ workers: false, env: { META_APP_SECRET: APP_SECRET } });
    const { res, heldMs, parsed } = await deliverBig(headers());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_signature');
    expect(parsed).toBe(false);
    expect(heldMs).toBeLessThan(HELD_MS);
  });

  it('signed with the app secret, it is read as before (and refused for what it holds)', async () => {
    server = await startTestServer({ workers: false, env: { META_APP_SECRET: APP_SECRET } });
    const deep = `{"object":"whatsapp_business_account","entry":${'['.repeat(100)}1${']'.repeat(100)}}`;
    const res = await rawRequest(server.url, 'POST', '/meta/webhook', { 'content-type': 'application/json', 'x-hub-signature-256': sign(deep) }, deep);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('too_deep');
    const none = '{"object":"whatsapp_business_account","entry":[]}';
    const empty = await rawRequest(server.url, 'POST', '/meta/webhook', { 'content-type': 'application/json', 'x-hub-signature-256': sign(none) }, none);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ received: 0, skipped: 0 });
  });
});
