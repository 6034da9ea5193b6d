import { afterEach, beforeEach, expect, it } from 'vitest';
import { FireTriggerResult } from '../../lib/contracts/apps';
import type { Scope } from '../../lib/contracts/scopes';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type TestServer } from '../support/server';

// A developer testing an app fired its trigger and got `202 {eventId, runIds: []}` whether or not
// any workflow listened: nothing said that no published workflow uses the trigger. Now `notes`
// says so, in the words of a webhook's "…; no run started", to a key that may see notes; a key
// without contacts.read keeps its answer, the same whether or not the contact exists.

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }); });
afterEach(async () => { await server.close(); });

const admin = () => server.api(server.adminToken);
const PHONE = '+34600111222';
const UNKNOWN_PHONE = '+34600999888';
const NOTHING_LISTENS = 'No published workflow uses trigger "paid" (Paid) of app "Payments"; no run started: publish a workflow with this trigger in the workspace';

/** The app "Payments" with triggers `paid` and `refunded`, installed with these scopes; its key, and a contact. */
async function installedApp(scopes: Scope[]) {
  const sink = await startAppSink(server);
  const res = await admin().post('/apps', {
    key: 'payments', name: 'Payments', scopes, subscribeUrl: sink.urls.subscribeUrl,
    triggers: [{ key: 'paid', name: 'Paid' }, { key: 'refunded', name: 'Refunded' }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const appId = res.body.app.id as string;
  expect((await admin().post(`/apps/${appId}/install`, { authValues: {} })).status).toBe(201);
  expect((await admin().post('/contacts', { firstName: 'Maria', phone: PHONE })).status).toBe(201);
  const key = lastKey(sink);
  const fire = (headers: Record<string, string> = {}, phone = PHONE) =>
    server.request('POST', `/api/v1/apps/${appId}/triggers/paid`, { token: key, body: { contact: { phone } }, headers });
  return { appId, key, fire };
}

/** A saved workflow (a draft) on this trigger. */
async function draft(name: string, trigger: unknown) {
  const wf = await admin().post('/workflows', { name, trigger, steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['paid'] } }] });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  return wf.body.id as string;
}

it('says that no published workflow uses the trigger, on the answer, on a repeat of it and in the event log', async () => {
  const app = await installedApp(['contacts.read']);
  const first = await app.fire({ 'idempotency-key': 'pay-1' });
  expect(first.status, JSON.stringify(first.body)).toBe(202);
  expect(FireTriggerResult.strict().parse(first.body)).toEqual({ eventId: expect.any(String), runIds: [], notes: [NOTHING_LISTENS] });
  const repeat = await app.fire({ 'idempotency-key': 'pay-1' });
  expect([repeat.status, repeat.headers.get('x-duplicate-delivery'), repeat.body]).toEqual([202, 'true', first.body]);
  const event = await server.app.services.db.selectFrom('events').select('note').where('id', '=', first.body.eventId).executeTakeFirstOrThrow();
  expect(event.note).toBe(NOTHING_LISTENS);
});

it('says it while the workflow on the trigger is a draft or unpublished, or another trigger of the app is used, and not while it is published', async () => {
  const app = await installedApp(['contacts.read']);
  await draft('On refund', { type: 'mini_app', appId: app.appId, triggerKey: 'refunded' });
  expect((await admin().post(`/workflows/${await draft('Manual', { type: 'manual' })}/publish`)).status).toBe(200);
  const onPaid = await draft('On paid', { type: 'mini_app', appId: app.appId, triggerKey: 'paid' });
  expect((await app.fire()).body).toEqual({ eventId: expect.any(String), runIds: [], notes: [NOTHING_LISTENS] });

  expect((await admin().post(`/workflows/${onPaid}/publish`)).status).toBe(200);
  const heard = await app.fire();
  expect(FireTriggerResult.strict().parse(heard.body)).toEqual({ eventId: expect.any(String), runIds: [expect.any(String)] });

  expect((await admin().post(`/workflows/${onPaid}/unpublish`)).status).toBe(200);
  expect((await app.fire()).body).toEqual({ eventId: expect.any(String), runIds: [], notes: [NOTHING_LISTENS] });
});

it('keeps the answer of a key without contacts.read: nothing that tells a known contact from an unknown one', async () => {
  const app = await installedApp(['tags.read']);
  const answers = [await app.fire(), await app.fire({ 'idempotency-key': 'k-1' }), await app.fire({}, UNKNOWN_PHONE), await app.fire({ 'idempotency-key': 'k-2' }, UNKNOWN_PHONE)];
  for (const res of answers) expect([res.status, res.body]).toEqual([202, { eventId: null, runIds: [] }]);
  // The admin's event log still says why the known contact's event started nothing.
  const notes = (await server.app.services.db.selectFrom('events').select('note').where('type', '=', 'mini_app.triggered').execute()).map((e) => e.note);
  expect(notes).toEqual([NOTHING_LISTENS, NOTHING_LISTENS]);
});

it('POST /workflows/:id/start never starts a draft or unpublished workflow silently: a 409 says to publish it', async () => {
  const app = await installedApp(['contacts.read', 'workflows.start']);
  const manual = await draft('Receipt', { type: 'manual' });
  const start = (token: string, phone = PHONE) => server.api(token).post(`/workflows/${manual}/start`, { contact: { phone } });
  const refused = async (token: string) => {
    const res = await start(token);
    expect([res.status, res.body.error?.message]).toEqual([409, expect.stringContaining('must be published with the manual trigger')]);
  };
  for (const token of [server.adminToken, app.key]) await refused(token);
  expect((await admin().post(`/workflows/${manual}/publish`)).status).toBe(200);
  expect((await start(app.key)).body.runIds).toHaveLength(1);
  expect((await admin().post(`/workflows/${manual}/unpublish`)).status).toBe(200);
  await refused(app.key);
});
