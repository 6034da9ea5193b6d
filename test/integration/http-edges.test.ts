import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest as raw } from '../support/raw-http';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { makeContact, publishWebhookWorkflow } from './webhooks/support';

// Rough edges of the HTTP surface a self-hoster meets first, over real HTTP: the server's root,
// a known URL asked with the wrong method, and a compressed body.

let s: TestServer;
let admin: Api;

beforeAll(async () => {
  s = await startTestServer();
  admin = s.api(s.adminToken);
});
afterAll(async () => { await s?.close(); });

describe('GET /', () => {
  it('redirects to the inbox (302), as a self-hosted app\'s root does', async () => {
    const res = await raw(s.url, 'GET', '/');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/inbox/');
    const head = await raw(s.url, 'HEAD', '/');
    expect(head.status).toBe(302);
    expect(head.headers.location).toBe('/inbox/');
    // Followed, it is the inbox page.
    const page = await fetch(`${s.url}/`);
    expect(page.status).toBe(200);
    expect(new URL(page.url).pathname).toBe('/inbox/');
    expect(await page.text()).toContain('data-testid="inbox"');
  });
});

describe('a known URL with the wrong method', () => {
  it('answers 405 with Allow and a message naming the methods (PATCH on a workflow)', async () => {
    const created = await admin.post('/workflows', { name: 'Method check', trigger: { type: 'manual' }, steps: [] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const res = await admin.patch(`/workflows/${created.body.id}`, { name: 'Renamed' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, PUT, DELETE');
    expect(res.body).toEqual({ error: {
      code: 'method_not_allowed',
      message: `PATCH is not allowed on /api/v1/workflows/${created.body.id}; it takes GET, HEAD, PUT, DELETE`,
    } });
    // Nothing changed.
    expect((await admin.get(`/workflows/${created.body.id}`)).body.name).toBe('Method check');
  });

  it('says the same of other routes: a collection, the webhook URL, the inbox page', async () => {
    const contacts = await admin.del('/contacts');
    expect(contacts.status).toBe(405);
    expect(contacts.headers.get('allow')).toBe('GET, HEAD, POST');
    const hook = await raw(s.url, 'GET', '/hooks/some-token');
    expect(hook.status).toBe(405);
    expect(hook.headers.allow).toBe('POST');
    expect(hook.body.error.message).toBe('GET is not allowed on /hooks/some-token; it takes POST');
    const page = await raw(s.url, 'POST', '/inbox/c/cnv_1');
    expect(page.status).toBe(405);
    expect(page.headers.allow).toBe('GET, HEAD');
  });

  it('still answers 404 "No route" for a URL no route has, whatever the method', async () => {
    for (const method of ['GET', 'PATCH', 'POST']) {
      const res = await raw(s.url, method, '/api/v1/nothing-here?x=1');
      expect(res.status).toBe(404);
      expect(res.headers.allow).toBeUndefined();
      expect(res.body).toEqual({ error: { code: 'not_found', message: `No route ${method} /api/v1/nothing-here` } });
    }
  });
});

describe('a compressed body', () => {
  const json = JSON.stringify({ firstName: 'Zip', lastName: 'Ped' });
  const codings: [string, (b: Buffer) => Buffer][] = [['gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]];

  it.each(codings)('is refused with 415 saying so (Content-Encoding: %s), not "not valid JSON"', async (coding, compress) => {
    const before = (await admin.get('/contacts?q=Zip')).body.contacts.length;
    const res = await raw(s.url, 'POST', '/api/v1/contacts', {
      authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json', 'content-encoding': coding,
    }, compress(Buffer.from(json)));
    expect(res.status).toBe(415);
    expect(res.headers['accept-encoding']).toBe('identity');
    expect(res.body).toEqual({ error: {
      code: 'unsupported_content_encoding',
      message: `Compressed bodies are not accepted (Content-Encoding: ${coding}); send the body uncompressed, without a Content-Encoding header`,
    } });
    expect((await admin.get('/contacts?q=Zip')).body.contacts.length).toBe(before);
  });

  it('passes with Content-Encoding: identity (no coding)', async () => {
    const res = await raw(s.url, 'POST', '/api/v1/contacts', {
      authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json', 'content-encoding': 'identity',
    }, json);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('is refused the same way by a webhook URL, and starts nothing', async () => {
    const { path } = await publishWebhookWorkflow(s);
    await makeContact(s, { firstName: 'Hook', lastName: 'Zip', phone: '+34600999111' });
    const body = Buffer.from(JSON.stringify({ phone: '+34600999111', order: { id: 'Z-1' } }));
    const refused = await raw(s.url, 'POST', path, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(body));
    expect(refused.status).toBe(415);
    expect(refused.body.error.code).toBe('unsupported_content_encoding');
    expect(await s.events('webhook.received')).toHaveLength(0);
    const ok = await raw(s.url, 'POST', path, { 'content-type': 'application/json' }, body);
    expect(ok.status, JSON.stringify(ok.body)).toBe(202);
  });
});
