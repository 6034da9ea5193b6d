import { afterEach, beforeEach, expect, it } from 'vitest';
import { insertApp } from '../../server/apps/store';
import { generateSigningSecret } from '../../server/signing/standard-webhooks';
import { AppManifest } from '../../lib/contracts/apps';
import { startTestServer, type TestServer } from '../support/server';

// A developer writes a manifest by hand. Three things were taken with a 201 and then never
// used as written: a GET action with a body (the HTTP request step refuses it; servers drop it),
// a header the companion sets itself on every action call (signature, Idempotency-Key,
// User-Agent, the installation's id, Content-Type of a JSON body), whose manifest value the app's
// server never saw, and a maxLength on a number or checkbox auth input, never checked. Now
// POST /apps names the problem at its place.

let server: TestServer;
beforeEach(async () => { server = await startTestServer(); });
afterEach(async () => { await server.close(); });

const manifest = (request: Record<string, unknown>) => ({
  key: 'orders', name: 'Orders',
  actions: [{ key: 'lookup', name: 'Look up', inputs: [{ key: 'orderId', label: 'Order' }], request: { url: 'https://orders.example.com/orders', ...request } }],
});

it.each([
  ['a GET with a body', { method: 'GET', body: { orderId: '{{input.orderId}}' } }, 'body.actions.0.request.body',
    'A GET request cannot have a body: put the values in the URL (e.g. ?orderId={{input.orderId}}) or use POST'],
  ['a signature header', { method: 'POST', headers: { 'Webhook-Signature': 'v1,abc' } }, 'body.actions.0.request.headers.Webhook-Signature',
    'The companion sets Webhook-Signature on every action call (the Standard Webhooks signature), so this value would never be sent; remove it'],
  ['the installation header', { method: 'POST', headers: { 'x-inboxcompanion-installation-id': 'inst_1' } }, 'body.actions.0.request.headers.x-inboxcompanion-installation-id',
    'The companion sets x-inboxcompanion-installation-id on every action call (the id of the installation calling, as its subscribe request gave it), so this value would never be sent; remove it'],
  ['an Idempotency-Key', { method: 'POST', headers: { 'Idempotency-Key': '{{input.orderId}}' } }, 'body.actions.0.request.headers.Idempotency-Key',
    'The companion sets Idempotency-Key on every action call (the run and step, the same on every retry of one call), so this value would never be sent; remove it'],
  ['a Content-Type with a JSON body', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: { id: '{{input.orderId}}' } }, 'body.actions.0.request.headers.Content-Type',
    'The companion sets Content-Type on every action call (application/json: the body is sent as JSON), so this value would never be sent; remove it'],
])('POST /apps with %s is a 422 naming it; nothing is registered', async (_, request, path, message) => {
  const res = await server.api(server.adminToken).post('/apps', manifest(request));
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.body.error.details).toEqual([{ path, message }]);
  expect((await server.api(server.adminToken).get('/apps')).body.apps).toEqual([]);
});

it.each(['number', 'checkbox'])('maxLength on a %s auth input is a 422 naming it', async (type) => {
  const res = await server.api(server.adminToken).post('/apps', { ...manifest({ method: 'POST' }), authInputs: [{ key: 'limit', label: 'Limit', type, maxLength: 5 }] });
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.body.error.details).toEqual([{ path: 'body.authInputs.0.maxLength', message: `maxLength limits text inputs (string, text, secret); a ${type} has no length, so it would never be checked: remove it` }]);
});

it.each([
  ['a GET with its values in the URL', { method: 'GET', url: 'https://orders.example.com/orders?id={{input.orderId}}', headers: { accept: 'application/json' } }],
  ['a DELETE with a body', { method: 'DELETE', body: { id: '{{input.orderId}}' } }],
  ['a Content-Type on a request without a body', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
])('%s is registered', async (_, request) => {
  const res = await server.api(server.adminToken).post('/apps', manifest(request));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
});

it('a manifest stored before the rule is still listed', async () => {
  await insertApp(server.store.db, AppManifest.parse({ ...manifest({ method: 'GET', body: { id: 1 }, headers: { 'User-Agent': 'x' } }), authInputs: [{ key: 'n', label: 'N', type: 'number', maxLength: 3 }] }), server.app.services.vault.seal(generateSigningSecret()));
  const res = await server.api(server.adminToken).get('/apps');
  expect(res.status).toBe(200);
  expect(res.body.apps).toHaveLength(1);
});
