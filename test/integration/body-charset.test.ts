import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { generateSigningSecret } from '../../server/signing/standard-webhooks';
import { rawRequest as raw } from '../support/raw-http';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './webhooks/support';

// Legacy systems send `Content-Type: application/json; charset=latin1` (or windows-1252, utf-16)
// and bytes in that charset: read as UTF-8, "José" was stored as "Jos\uFFFD". Over real HTTP with
// the bytes exactly as given.

/** Windows-1252 bytes of text: Latin-1 below U+0100, plus the few 0x80–0x9F characters used here. */
const cp1252 = (text: string) => Buffer.from([...text].map((c) => ({ '€': 0x80, '’': 0x92, '–': 0x96 } as Record<string, number>)[c] ?? c.charCodeAt(0)));

const ENCODINGS: [string, (text: string) => Buffer][] = [
  ['latin1', cp1252],
  ['ISO-8859-1', cp1252],
  ['windows-1252', cp1252],
  ['utf-16', (text) => Buffer.from(`\ufeff${text}`, 'utf16le')],
  ['utf-16le', (text) => Buffer.from(text, 'utf16le')],
  ['utf-8', (text) => Buffer.from(text)],
];

let s: TestServer;
let admin: Api;

beforeAll(async () => {
  s = await startTestServer();
  admin = s.api(s.adminToken);
});
afterAll(async () => { await s?.close(); });

/** A published webhook workflow mapping `$.name` to a variable, and a contact it finds by phone. */
async function nameHook(phone: string, trigger: Record<string, unknown> = {}) {
  await makeContact(s, { firstName: 'Hook', phone });
  return publishWebhookWorkflow(s, { mappings: [{ jsonKey: '$.name', variable: 'name' }], ...trigger }, [{ id: 'note', type: 'add_comment', config: { text: 'From {{$trigger.name}}' } }]);
}

describe('a webhook body in the charset its Content-Type names', () => {
  it.each(ENCODINGS)('charset=%s: "José O’Brien – 5 €" reaches the run intact', async (charset, encode) => {
    const phone = `+3460000${String(ENCODINGS.findIndex(([c]) => c === charset)).padStart(4, '0')}`;
    const { path } = await nameHook(phone);
    const name = 'José O’Brien – 5 €';
    const res = await raw(s.url, 'POST', path, { 'content-type': `application/json; charset=${charset}` }, encode(JSON.stringify({ phone, name })));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = await waitForRun(s, res.body.runIds[0]);
    expect(run.variables.trigger.name).toBe(name);
  });

  it('a signed latin1 delivery verifies against the bytes as sent', async () => {
    const phone = '+34600001111';
    const secret = generateSigningSecret();
    const { path } = await nameHook(phone, { signingSecret: secret });
    const bytes = cp1252(JSON.stringify({ phone, name: 'José' }));
    const ts = String(Math.floor(Date.now() / 1000));
    // The sender's Standard Webhooks signature: HMAC-SHA256 over "id.timestamp." and its own bytes.
    const sign = (id: string, body: Buffer) => ({
      'webhook-id': id, 'webhook-timestamp': ts,
      'webhook-signature': `v1,${createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(`${id}.${ts}.`).update(body).digest('base64')}`,
    });
    const type = { 'content-type': 'application/json; charset=latin1' };
    // Signed over the UTF-8 re-encoding of the text (not what was sent): refused.
    const reencoded = await raw(s.url, 'POST', path, { ...type, ...sign('msg_a', Buffer.from(bytes.toString('latin1'))) }, bytes);
    expect(reencoded.status, JSON.stringify(reencoded.body)).toBe(401);
    const res = await raw(s.url, 'POST', path, { ...type, ...sign('msg_b', bytes) }, bytes);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect((await waitForRun(s, res.body.runIds[0])).variables.trigger.name).toBe('José');
  });

  it('an unknown charset is refused with a 415 naming it, and starts nothing', async () => {
    const phone = '+34600002222';
    const { path } = await nameHook(phone);
    const before = (await s.events('webhook.received')).length;
    const res = await raw(s.url, 'POST', path, { 'content-type': 'application/json; charset=klingon' }, JSON.stringify({ phone, name: 'Kahless' }));
    expect(res.status).toBe(415);
    expect(ErrorBody.parse(res.body).error).toEqual({
      code: 'unsupported_charset',
      message: 'The body\'s charset "klingon" is not supported; send the body as UTF-8 (Content-Type: application/json; charset=utf-8)',
    });
    expect(await s.events('webhook.received')).toHaveLength(before);
  });
});

describe('an API body in the charset its Content-Type names', () => {
  const post = (type: string, body: Buffer | string) =>
    raw(s.url, 'POST', '/api/v1/contacts', { authorization: `Bearer ${s.adminToken}`, 'content-type': type }, body);

  it.each(ENCODINGS)('a contact created with a charset=%s body keeps its name', async (charset, encode) => {
    const res = await post(`application/json; charset=${charset}`, encode(JSON.stringify({ firstName: 'José', lastName: `O’Brien ${charset}` })));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const stored = await admin.get(`/contacts/${res.body.id}`);
    expect([stored.body.firstName, stored.body.lastName]).toEqual(['José', `O’Brien ${charset}`]);
  });

  it('an unknown charset is refused with a 415 naming it; an empty body with one is still no body', async () => {
    const res = await post('application/json; charset=klingon', JSON.stringify({ firstName: 'Worf' }));
    expect(res.status).toBe(415);
    expect(ErrorBody.parse(res.body).error.message).toBe('The body\'s charset "klingon" is not supported; send the body as UTF-8 (Content-Type: application/json; charset=utf-8)');
    expect((await admin.get('/contacts?q=Worf')).body.contacts).toHaveLength(0);
    const empty = await raw(s.url, 'POST', '/api/v1/runs/retry-now', { authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json; charset=klingon' }, '');
    expect(empty.status, JSON.stringify(empty.body)).toBe(200);
  });

  it('bytes that are not text in the declared charset are a 400, not replacement characters', async () => {
    const res = await post('application/json; charset=utf-16le', '{"firstName":"X"}'); // 17 bytes: odd for UTF-16
    expect(res.status).toBe(400);
    expect(ErrorBody.parse(res.body).error.code).toBe('invalid_charset');
  });
});
