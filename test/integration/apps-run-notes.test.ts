import { afterEach, beforeEach, expect, it } from 'vitest';
import { FireTriggerResult } from '../../lib/contracts/apps';
import type { Scope } from '../../lib/contracts/scopes';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type TestServer } from '../support/server';

// A 202 with no run says why (the event's note), as a webhook's does and respond.io shows skipped
// enrolments: Fire Trigger and POST /workflows/:id/start. Not to a key without contacts.read: it
// never learns whether the contact exists, so its answer is `{eventId: null, runIds: []}` either way.

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }); });
afterEach(async () => { await server.close(); });

const admin = () => server.api(server.adminToken);
const PHONE = '+34600111222';
const UNKNOWN_PHONE = '+34600999888';

let appSeq = 0;
/** An app with trigger `paid` and these scopes, installed; its key, and a once-per-contact workflow on each route. */
async function world(scopes: Scope[], phone = PHONE) {
  const sink = await startAppSink(server);
  const key = `notes-${++appSeq}`;
  const res = await admin().post('/apps', {
    key, name: `Notes ${appSeq}`, scopes, subscribeUrl: sink.urls.subscribeUrl, triggers: [{ key: 'paid', name: 'Paid' }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const appId = res.body.app.id as string;
  expect((await admin().post(`/apps/${appId}/install`, { authValues: {} })).status).toBe(201);
  const contact = await admin().post('/contacts', { firstName: 'Maria', phone });
  expect(contact.status).toBe(201);
  const once = async (name: string, trigger: unknown) => {
    const wf = await admin().post('/workflows', { name, oncePerContact: true, trigger, steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['x'] } }] });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    expect((await admin().post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
    return wf.body.id as string;
  };
  const listening = await once('On paid', { type: 'mini_app', appId, triggerKey: 'paid' });
  const manual = await once('Receipt', { type: 'manual' });
  return { appId, key: lastKey(sink), contactId: contact.body.id as string, listening, manual };
}

const skipped = (workflowId: string, contactId: string) => `once per contact: already enrolled, not started: ${workflowId} for ${contactId}`;
/** What the caller reads instead: the ids are ours, the names are what it knows (as a webhook's sender is told). */
const told = (workflow: string, phone = PHONE) => `once per contact: Maria (${phone}) was already enrolled in workflow "${workflow}", so it did not start again`;

it('Fire Trigger says why the contact got no run, on the answer and on a repeat of it', async () => {
  const w = await world(['contacts.read']);
  const fire = (headers: Record<string, string> = {}) =>
    server.request('POST', `/api/v1/apps/${w.appId}/triggers/paid`, { token: w.key, body: { contact: { phone: PHONE } }, headers });
  const first = await fire();
  expect(first.status, JSON.stringify(first.body)).toBe(202);
  expect(FireTriggerResult.strict().parse(first.body)).toEqual({ eventId: expect.any(String), runIds: [expect.any(String)] });
  const again = await fire({ 'idempotency-key': 'pay-2' });
  expect(again.status).toBe(202);
  expect(FireTriggerResult.strict().parse(again.body)).toEqual({ eventId: expect.any(String), runIds: [], notes: [told('On paid')] });
  const event = await server.app.services.db.selectFrom('events').select('note').where('id', '=', again.body.eventId).executeTakeFirstOrThrow();
  expect(event.note).toBe(skipped(w.listening, w.contactId));
  const repeat = await fire({ 'idempotency-key': 'pay-2' });
  expect(repeat.body).toEqual(again.body);
});

it('POST /workflows/:id/start says why the contact got no run, to an admin and to a key with contacts.read', async () => {
  const w = await world(['contacts.read', 'workflows.start']);
  const start = (token: string) => server.api(token).post(`/workflows/${w.manual}/start`, { contact: { phone: PHONE } });
  const first = await start(server.adminToken);
  expect(first.status, JSON.stringify(first.body)).toBe(202);
  expect(FireTriggerResult.strict().parse(first.body)).toEqual({ eventId: expect.any(String), runIds: [expect.any(String)] });
  for (const token of [server.adminToken, w.key]) {
    const again = await start(token);
    expect(again.status).toBe(202);
    expect(FireTriggerResult.strict().parse(again.body)).toEqual({ eventId: expect.any(String), runIds: [], notes: [told('Receipt')] });
  }
});

it('says why to a key with contacts.read and nothing to one without: the same answer for a skipped contact and an unknown one', async () => {
  const seen = await world(['contacts.read'], '+34600111333');
  const fireSeen = () => server.api(seen.key).post(`/apps/${seen.appId}/triggers/paid`, { contact: { phone: '+34600111333' } });
  expect((await fireSeen()).body.runIds).toHaveLength(1);
  expect((await fireSeen()).body).toEqual({ eventId: expect.any(String), runIds: [], notes: [told('On paid', '+34600111333')] });

  const w = await world(['workflows.start']);
  const fire = (phone: string) => server.api(w.key).post(`/apps/${w.appId}/triggers/paid`, { contact: { phone } });
  const start = (phone: string) => server.api(w.key).post(`/workflows/${w.manual}/start`, { contact: { phone } });
  for (const send of [fire, start]) {
    const answers = [await send(PHONE), await send(PHONE), await send(UNKNOWN_PHONE)];
    for (const res of answers) expect([res.status, res.body]).toEqual([202, { eventId: null, runIds: [] }]);
  }
  // The contact was skipped the second time (the event log says so to an admin), unseen by the key.
  const notes = (await server.app.services.db.selectFrom('events').select('note').where('note', 'is not', null).execute()).map((e) => e.note);
  expect(notes).toEqual(expect.arrayContaining([skipped(w.listening, w.contactId), skipped(w.manual, w.contactId)]));
});

it('documents `notes` in the OpenAPI description of both routes', async () => {
  const doc = (await server.request('GET', '/docs/json')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  for (const path of ['/api/v1/apps/{id}/triggers/{triggerKey}', '/api/v1/workflows/{id}/start']) {
    const accepted = JSON.stringify(doc.paths[path]?.post?.responses['202']);
    expect(accepted, path).toContain('"notes"');
    expect(accepted, path).toContain('contacts.read');
  }
});

it('names every workflow that skipped the contact, and a contact with no name by its phone; never one of our ids', async () => {
  const w = await world(['contacts.read']);
  const admin = server.api(server.adminToken);
  const second = await admin.post('/workflows', { name: 'Thank you', oncePerContact: true, trigger: { type: 'mini_app', appId: w.appId, triggerKey: 'paid' }, steps: [] });
  expect((await admin.post(`/workflows/${second.body.id}/publish`)).status).toBe(200);
  const nameless = await admin.post('/contacts', { phone: '+34600111444' });
  expect(nameless.status, JSON.stringify(nameless.body)).toBe(201);
  const fire = () => server.api(w.key).post(`/apps/${w.appId}/triggers/paid`, { contact: { phone: '+34600111444' } });
  expect((await fire()).body.runIds).toHaveLength(2);
  const again = await fire();
  expect(again.body.notes).toEqual(['once per contact: +34600111444 was already enrolled in workflow "On paid" and workflow "Thank you", so they did not start again']);
  expect(JSON.stringify(again.body.notes)).not.toMatch(/\b(wf|con)_/);
});
