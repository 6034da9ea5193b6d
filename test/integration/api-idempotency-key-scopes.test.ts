import { afterEach, beforeEach, expect, it } from 'vitest';
import { Me } from '../../lib/contracts/users';
import { startAppSink, type AppSink } from '../support/app-sink';
import { startTestServer, type TestServer } from '../support/server';

// Fire Trigger's and Start's Idempotency-Keys are stored with the event, scoped to their caller
// (server/apps/keyed-event.ts, callerScope), and looked up for 24 hours: a retry that straddles
// an upgrade must find the key the previous release stored, so the stored strings never change.

let server: TestServer;
let sink: AppSink;
beforeEach(async () => {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  sink = await startAppSink(server);
});
afterEach(async () => { await server.close(); });

const admin = () => server.api(server.adminToken);
const storedKeys = async () => (await server.store.db.selectFrom('events').select('idempotency_key').where('idempotency_key', 'is not', null).orderBy('id').execute())
  .map((e) => e.idempotency_key);

it('Fire Trigger keeps `app:<app>:<trigger>:<key>`, Start `start:usr|inst:<caller>:<workflow>:<key>`; each retry is answered the first event', async () => {
  const registered = await admin().post('/apps', {
    key: 'payments', name: 'Payments', scopes: ['workflows.start', 'contacts.read'], ...sink.urls,
    fields: [{ key: 'status', label: 'Status', type: 'text' }], triggers: [{ key: 'paid', name: 'Paid', items: ['status'] }],
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const appId = registered.body.app.id as string;
  expect((await admin().post(`/apps/${appId}/install`, { authValues: {} })).status).toBe(201);
  const { apiKey, installationId } = sink.received.find((r) => r.path === '/subscribe')!.body as { apiKey: string; installationId: string };
  const contact = await admin().post('/contacts', { firstName: 'Ana', phone: '+34600111222' });
  const wf = await admin().post('/workflows', { name: 'Receipt', trigger: { type: 'manual' }, steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['paid'] } }] });
  expect((await admin().post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
  const adminId = Me.parse((await admin().get('/me')).body).user.id;

  const key = { headers: { 'idempotency-key': 'k-1' } };
  const requests = [
    () => server.api(apiKey).post(`/apps/${appId}/triggers/paid`, { contact: { id: contact.body.id }, items: { status: 'ok' } }, key),
    () => server.api(apiKey).post(`/workflows/${wf.body.id}/start`, { contact: { id: contact.body.id } }, key),
    () => admin().post(`/workflows/${wf.body.id}/start`, { contact: { id: contact.body.id } }, key),
  ];
  for (const send of requests) {
    const first = await send();
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const retry = await send();
    expect(retry.headers.get('x-duplicate-delivery')).toBe('true');
    expect(retry.body.eventId).toBe(first.body.eventId);
  }
  expect(await storedKeys()).toEqual([
    `app:${appId}:paid:k-1`,
    `start:inst:${installationId}:${wf.body.id}:k-1`,
    `start:usr:${adminId}:${wf.body.id}:k-1`,
  ]);
});
