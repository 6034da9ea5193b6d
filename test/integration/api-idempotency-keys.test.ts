import { afterEach, beforeEach, expect, it } from 'vitest';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type TestServer } from '../support/server';

// What an integrator (respond.io's "send sub flow", an n8n retry on timeout, a Stripe-style
// client) relies on: an Idempotency-Key makes a retried request act once on every route that
// takes one, a longer key than documented is refused rather than cut, and /docs/json says so.

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }); });
afterEach(async () => { await server.close(); });

const admin = () => server.api(server.adminToken);

async function manualWorkflow() {
  const wf = await admin().post('/workflows', { name: 'Receipt', trigger: { type: 'manual' }, steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['paid'] } }] });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  expect((await admin().post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
  return wf.body.id as string;
}
const runsOf = async (workflowId: string) => (await admin().get(`/runs?workflowId=${workflowId}`)).body.runs as unknown[];

async function appKey(scopes: string[]) {
  const sink = await startAppSink(server);
  const res = await admin().post('/apps', { key: `start-${scopes.length}`, name: `Start ${scopes.length}`, scopes, subscribeUrl: sink.urls.subscribeUrl });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect((await admin().post(`/apps/${res.body.app.id}/install`, { authValues: {} })).status).toBe(201);
  return lastKey(sink);
}

it.each([
  ['an admin', async () => server.adminToken],
  ['an app key with workflows.start', async () => appKey(['workflows.start', 'contacts.read'])],
])('POST /workflows/:id/start with a reused Idempotency-Key starts the workflow once (%s)', async (_who, tokenOf) => {
  const token = await tokenOf();
  const contact = await admin().post('/contacts', { firstName: 'Ana', phone: '+34600111222' });
  const workflowId = await manualWorkflow();
  const start = (orderId: string, key = 'k-1') =>
    server.api(token).post(`/workflows/${workflowId}/start`, { contact: { id: contact.body.id }, variables: { orderId } }, { headers: { 'idempotency-key': key } });

  const first = await start('K1');
  expect(first.status, JSON.stringify(first.body)).toBe(202);
  expect(first.body.runIds).toHaveLength(1);
  expect(first.headers.get('x-duplicate-delivery')).toBeNull();
  const retry = await start('K1');
  expect(retry.status).toBe(202);
  expect(retry.body).toEqual(first.body);
  expect(retry.headers.get('x-duplicate-delivery')).toBe('true');
  const other = await start('K2');
  expect(other.status).toBe(409);
  expect(other.body.error.code).toBe('idempotency_key_reused');
  expect(await runsOf(workflowId)).toHaveLength(1);
  // Another key is another start.
  expect((await start('K2', 'k-2')).body.runIds).toHaveLength(1);
  expect(await runsOf(workflowId)).toHaveLength(2);
});

it('four starts at once with one key run the workflow once, each answered the same', async () => {
  const contact = await admin().post('/contacts', { firstName: 'Ana', phone: '+34600111222' });
  const workflowId = await manualWorkflow();
  const answers = await Promise.all([1, 2, 3, 4].map(() =>
    admin().post(`/workflows/${workflowId}/start`, { contact: { id: contact.body.id } }, { headers: { 'idempotency-key': 'burst' } })));
  expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
  expect(new Set(answers.map((a) => a.body.eventId)).size).toBe(1);
  expect(await runsOf(workflowId)).toHaveLength(1);
});

it('a key without contacts.read gets the same answer on a retry, for a known contact and an unknown one, and a 409 for another body either way', async () => {
  const token = await appKey(['workflows.start']);
  const contact = await admin().post('/contacts', { firstName: 'Ana', phone: '+34600111222' });
  const workflowId = await manualWorkflow();
  const start = (phone: string, key: string, orderId = 'A') =>
    server.api(token).post(`/workflows/${workflowId}/start`, { contact: { phone }, variables: { orderId } }, { headers: { 'idempotency-key': key } });
  for (const [phone, key] of [[contact.body.phone, 'seen'], ['+34600999888', 'unseen']] as const) {
    for (let i = 0; i < 2; i++) {
      const res = await start(phone, key);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ eventId: null, runIds: [] });
      expect(res.headers.get('x-duplicate-delivery')).toBeNull();
    }
    expect((await start(phone, key, 'B')).status).toBe(409);
  }
  expect(await runsOf(workflowId)).toHaveLength(1);
});

it('refuses an Idempotency-Key over 200 characters on replies, Resend and start (422), never cutting it', async () => {
  const contact = await admin().post('/contacts', { firstName: 'Ana', phone: '+34600111222' });
  const conversation = await admin().post('/conversations', { contactId: contact.body.id });
  const reply = (text: string, key: string) => admin().post(`/conversations/${conversation.body.id}/messages`, { text }, { headers: { 'idempotency-key': key } });

  const long = (end: string) => `${'p'.repeat(250)}${end}`;
  for (const key of [long('A'), long('B'), 'x'.repeat(5000)]) {
    const res = await reply('first', key);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('invalid_content');
    expect(res.body.error.details).toEqual([{ path: 'headers.idempotency-key', message: `An Idempotency-Key has at most 200 characters (this one has ${key.length}); it is never cut` }]);
  }
  // 200 characters is a key; two that differ only in their last character are two keys.
  expect((await reply('first', `${'p'.repeat(199)}A`)).status).toBe(201);
  expect((await reply('second', `${'p'.repeat(199)}B`)).status).toBe(201);
  const messages = (await admin().get(`/conversations/${conversation.body.id}`)).body.messages as { text: string }[];
  expect(messages.map((m) => m.text)).toEqual(['first', 'second']);

  const resend = await admin().post(`/conversations/${conversation.body.id}/messages/msg_x/resend`, {}, { headers: { 'idempotency-key': long('A') } });
  expect(resend.status).toBe(422);
  const workflowId = await manualWorkflow();
  const start = await admin().post(`/workflows/${workflowId}/start`, { contact: { id: contact.body.id } }, { headers: { 'idempotency-key': long('A') } });
  expect(start.status).toBe(422);
  expect(await runsOf(workflowId)).toHaveLength(0);
});

it('/docs/json lists the Idempotency-Key header and the 409 of each route that takes one', async () => {
  const doc = (await server.request('GET', '/docs/json')).body;
  for (const path of ['/api/v1/conversations/{id}/messages', '/api/v1/conversations/{id}/messages/{messageId}/resend', '/api/v1/workflows/{id}/start', '/api/v1/apps/{id}/triggers/{triggerKey}']) {
    const operation = doc.paths[path].post;
    const header = operation.parameters.find((p: { in: string; name: string }) => p.in === 'header' && p.name === 'idempotency-key');
    expect(header, path).toMatchObject({ required: false, schema: { type: 'string', maxLength: 200 } });
    expect(header.description, path).toMatch(/409 `idempotency_key_reused`/);
    expect(operation.responses['409'], path).toBeDefined();
  }
  expect(doc.paths['/api/v1/workflows/{id}/start'].post.responses['409'].description).toMatch(/idempotency_key_reused/);
});
