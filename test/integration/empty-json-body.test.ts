import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaymentApp, type PaymentApp } from '../../examples/payment-app/server';
import { ErrorBody } from '../../lib/contracts/errors';
import { rawRequest as sendRaw } from '../support/raw-http';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { publishWebhookWorkflow } from './webhooks/support';

// Postman, axios and many HTTP clients send `Content-Type: application/json` on every request,
// also on the ones without a body. An empty body is no body: the endpoints that take none answer
// as they do without the header, and those that need one say what to send. Over real HTTP, with
// the body bytes exactly as given (fetch would drop or add headers).

/** Always with a content-length (0 for none), as the clients in question send. */
const rawRequest = (url: string, method: string, path: string, headers: Record<string, string>, body = '') => sendRaw(url, method, path, headers, body);

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json'];

let s: TestServer;
let payments: PaymentApp;
let admin: Api;

beforeAll(async () => {
  s = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  payments = await startPaymentApp({ port: 0, companionUrl: s.url });
  admin = s.api(s.adminToken);
});
afterAll(async () => {
  await payments?.close();
  await s?.close();
});

/** An empty body with the given JSON content type, as the admin. */
const empty = (method: string, path: string, type = 'application/json', extra: Record<string, string> = {}) =>
  rawRequest(s.url, method, `/api/v1${path}`, { authorization: `Bearer ${s.adminToken}`, 'content-type': type, ...extra });

async function registerApp(install: boolean) {
  const res = await admin.post('/apps', { ...payments.manifest(), key: `payments-${Math.random().toString(36).slice(2, 10)}` });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  payments.setSigningSecret(res.body.signingSecret);
  const appId = res.body.app.id as string;
  if (install) {
    const installed = await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_42' } });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
  }
  return appId;
}

describe.each(JSON_TYPES)('an empty body with Content-Type %s is no body', (type) => {
  it('DELETE /apps/:id/install → 204', async () => {
    const appId = await registerApp(true);
    const res = await empty('DELETE', `/apps/${appId}/install`, type);
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    expect((await admin.get(`/apps/${appId}`)).body.installation).toBeNull();
  });

  it('POST /apps/:id/signing-secret/rotate → 200, then DELETE /apps/:id → 204', async () => {
    const appId = await registerApp(false);
    const rotated = await empty('POST', `/apps/${appId}/signing-secret/rotate`, type);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body.signingSecret).toEqual(expect.any(String));
    const res = await empty('DELETE', `/apps/${appId}`, type);
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    expect((await admin.get(`/apps/${appId}`)).status).toBe(404);
  });

  it('DELETE /fields/:key → 204', async () => {
    const key = `f_${Math.random().toString(36).slice(2, 8)}`;
    expect((await admin.put(`/fields/${key}`, { label: 'Order', type: 'text' })).status).toBeLessThan(300);
    const res = await empty('DELETE', `/fields/${key}`, type);
    expect(res.status, JSON.stringify(res.body)).toBe(204);
  });

  it('DELETE /contacts/:id/tags/:tag → 200', async () => {
    const contact = (await admin.post('/contacts', { firstName: 'Ada', tags: ['vip', 'new'] })).body;
    const res = await empty('DELETE', `/contacts/${contact.id}/tags/vip`, type);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.tags).toEqual(['new']);
  });

  it('POST /auth/inbox-code → 201 and DELETE /auth/inbox-session → 2xx', async () => {
    const code = await empty('POST', '/auth/inbox-code', type);
    expect(code.status, JSON.stringify(code.body)).toBe(201);
    const out = await rawRequest(s.url, 'DELETE', '/api/v1/auth/inbox-session', { 'content-type': type });
    expect(out.status, JSON.stringify(out.body)).toBeGreaterThanOrEqual(200);
    expect(out.status, JSON.stringify(out.body)).toBeLessThan(300);
  });

  it('POST /runs/retry-now → 200', async () => {
    const res = await empty('POST', '/runs/retry-now', type);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('POST /conversations/:id/awaiting-answer/take-over (body optional) → 200', async () => {
    const contact = (await admin.post('/contacts', { firstName: 'Ada' })).body;
    const conversation = (await admin.post('/conversations', { contactId: contact.id })).body;
    const res = await empty('POST', `/conversations/${conversation.id}/awaiting-answer/take-over`, type);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.stoppedRunId).toBeNull();
  });

  it('workflow publish / unpublish / delete → 200, 200, 204', async () => {
    const created = await admin.post('/workflows', {
      name: 'Empty body',
      trigger: { type: 'manual' },
      steps: [{ id: 'note', type: 'add_comment', config: { text: 'hi' } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect((await empty('POST', `/workflows/${id}/publish`, type)).status).toBe(200);
    expect((await empty('POST', `/workflows/${id}/unpublish`, type)).status).toBe(200);
    expect((await empty('DELETE', `/workflows/${id}`, type)).status).toBe(204);
  });
});

describe('routes that need a body', () => {
  const expectMissingBody = (res: { status: number; body: unknown }) => {
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    const { error } = ErrorBody.parse(res.body);
    expect(error.code).toBe('invalid_content');
    // Says what to send, not zod's "expected object, received undefined".
    expect(error.message).toMatch(/body is missing.*send a JSON object/i);
    expect(error.message).not.toMatch(/undefined/);
    expect(error.details).toEqual([{ path: 'body', message: expect.stringMatching(/send a JSON object/i) }]);
  };

  it.each(JSON_TYPES)('POST /contacts with an empty %s body → 422 saying to send a JSON object', async (type) => {
    expectMissingBody(await empty('POST', '/contacts', type));
  });

  it('POST /contacts with no body and no content type → the same 422', async () => {
    expectMissingBody(await rawRequest(s.url, 'POST', '/api/v1/contacts', { authorization: `Bearer ${s.adminToken}` }));
  });

  it.each([
    ['PATCH', '/contacts/c_nope'],
    ['POST', '/conversations'],
    ['POST', '/workflows'],
    ['PUT', '/workflows/wf_nope'],
    ['POST', '/contacts/c_nope/tags'],
  ])('%s %s with an empty JSON body → 422 saying to send a JSON object', async (method, path) => {
    expectMissingBody(await empty(method, path));
  });

  it('a body of whitespace or an invalid one is still malformed JSON (400)', async () => {
    for (const body of [' ', '{', 'null,']) {
      const res = await rawRequest(s.url, 'POST', '/api/v1/contacts', { authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json' }, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(ErrorBody.parse(res.body).error.code).toBe('malformed_json');
    }
  });

  it('a JSON null body is invalid content as before, not "missing"', async () => {
    const res = await rawRequest(s.url, 'POST', '/api/v1/contacts', { authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json' }, 'null');
    expect(res.status).toBe(422);
    expect(ErrorBody.parse(res.body).error.message).not.toMatch(/missing/i);
  });
});

describe('incoming webhooks keep their own body handling', () => {
  it('an empty JSON delivery to /hooks/:token is still refused with a clear 400', async () => {
    const hook = await publishWebhookWorkflow(s);
    const res = await rawRequest(s.url, 'POST', hook.path, { 'content-type': 'application/json' });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    const { error } = ErrorBody.parse(res.body);
    expect(error.code).toBe('malformed_json');
    expect(error.message).toMatch(/not valid JSON/);
  });
});

describe('a field of the wrong type, or missing', () => {
  it('says what is missing or what was sent instead, not zod\'s "Invalid input: expected …, received …"', async () => {
    // The body is checked before the shortcut is looked up.
    const launch = await admin.post('/shortcuts/wf_any/launch', {});
    expect(launch.status).toBe(422);
    expect(launch.body.error.details).toContainEqual({ path: 'body.conversationId', message: 'Required: give a string' });
    const typed = await admin.post('/contacts', { firstName: 5 });
    expect(typed.status).toBe(422);
    expect(typed.body.error.message).toBe('The body is invalid: body.firstName: Expected a string, got a number');
  });
});

describe('a key a contact does not have', () => {
  it('is refused naming it and the keys a contact takes, instead of creating a blank contact', async () => {
    const before = (await admin.get('/contacts?limit=200')).body.contacts.length;
    const res = await admin.post('/contacts', { first_name: 'Bob', phone_number: '+14155550177' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('The body is invalid: body: Unknown keys "first_name", "phone_number": a contact takes firstName, lastName, phone, email, tags, fields, lifecycle');
    expect((await admin.get('/contacts?limit=200')).body.contacts.length).toBe(before);
    const bob = await admin.post('/contacts', { firstName: 'Bob' });
    const patched = await admin.patch(`/contacts/${bob.body.id}`, { nickname: 'Bobby' });
    expect(patched.status).toBe(422);
    expect(patched.body.error.details).toEqual([{ path: 'body', message: expect.stringMatching(/^Unknown key "nickname"/) }]);
  });
});
