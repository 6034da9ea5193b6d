import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Scope } from '../../../lib/contracts/scopes';
import { waitForRun } from '../../support/builders';
import { lastKey, startAppSink } from '../../support/app-sink';
import { startTestServer, type Api, type TestServer } from '../../support/server';
import { createWorkflow, runsOf } from '../engine-support';

// Mini-app scopes do what they say: tags.read reads tags only, workflows.start is the seed's
// "send sub flow", and a key that may not read contacts cannot probe which contacts exist.

let server: TestServer;
let admin: Api;
beforeEach(async () => {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  admin = server.api(server.adminToken);
});
afterEach(async () => { await server.close(); });

let appSeq = 0;
/** Registers and installs an app with these scopes and one trigger; returns its id and the key its server got. */
async function appWith(scopes: Scope[], extra: Record<string, unknown> = {}) {
  const appServer = await startAppSink(server);
  const registered = await admin.post('/apps', {
    key: `app-${++appSeq}`, name: `App ${appSeq}`, scopes, subscribeUrl: appServer.urls.subscribeUrl,
    fields: [{ key: 'status', label: 'Status', type: 'text' }],
    triggers: [{ key: 'paid', name: 'Paid', items: ['status'] }],
    ...extra,
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const appId = registered.body.app.id as string;
  const installed = await admin.post(`/apps/${appId}/install`, { authValues: {} });
  expect(installed.status).toBe(201);
  return { appId, api: server.api(lastKey(appServer)) };
}
async function contact(body: Record<string, unknown> = {}) {
  return (await admin.post('/contacts', { firstName: 'Ada', ...body })).body as { id: string };
}

describe('tags.read', () => {
  it('lists the workspace\'s tags and a contact\'s tags, and nothing else of the contact', async () => {
    const a = await contact({ tags: ['vip', 'lead'] });
    await contact({ tags: ['lead', 'churned'] });
    const { api } = await appWith(['tags.read']);
    expect((await api.get('/tags')).body).toEqual({ tags: ['churned', 'lead', 'vip'] });
    expect((await api.get(`/contacts/${a.id}/tags`)).body).toEqual({ contactId: a.id, tags: ['vip', 'lead'] });
    for (const path of [`/contacts/${a.id}`, '/contacts', '/fields']) expect((await api.get(path)).status).toBe(403);
    expect((await api.post(`/contacts/${a.id}/tags`, { tags: ['x'] })).status).toBe(403);
  });
});

describe('workflows.start (send sub flow)', () => {
  async function subFlow() {
    return createWorkflow(server, {
      name: 'Send receipt', trigger: { type: 'manual' },
      steps: [{ id: 'note', type: 'update_contact_tag', config: { action: 'add', tags: ['receipt-{{$trigger.orderId}}'] } }],
    });
  }

  it('starts a published manual workflow for a contact; its variables arrive as {{$trigger.<name>}}', async () => {
    const wf = await subFlow();
    const c = await contact({ phone: '+14155550100' });
    const { api } = await appWith(['workflows.start', 'contacts.read']);
    const res = await api.post(`/workflows/${wf.id}/start`, { contact: { phone: '+14155550100' }, variables: { orderId: 'A1', total: 12.5 } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.runIds).toHaveLength(1);
    const run = await waitForRun(server.app.services.db, res.body.runIds[0]);
    expect(run).toMatchObject({ status: 'completed', contactId: c.id, variables: { trigger: { orderId: 'A1', total: 12.5 } } });
    expect((await admin.get(`/contacts/${c.id}`)).body.tags).toContain('receipt-A1');
  });

  it.each([
    ['a draft', async () => (await createWorkflow(server, { name: 'Draft', trigger: { type: 'manual' }, steps: [] }, false)).id, 409],
    ['a workflow with another trigger', async () => (await createWorkflow(server, { name: 'Opened', trigger: { type: 'conversation_opened' }, steps: [] })).id, 409],
    ['an unknown workflow', async () => 'wf_nope', 404],
  ])('refuses %s', async (_name, id, status) => {
    const c = await contact();
    const { api } = await appWith(['workflows.start', 'contacts.read']);
    const res = await api.post(`/workflows/${await id()}/start`, { contact: { id: c.id } });
    expect(res.status).toBe(status);
    expect(res.body.error.message).toBeTruthy();
  });

  it('refuses a variable name that is not one (422) and a key without the scope (403)', async () => {
    const wf = await subFlow();
    const c = await contact();
    const { api } = await appWith(['workflows.start']);
    const bad = await api.post(`/workflows/${wf.id}/start`, { contact: { id: c.id }, variables: { 'order id': 'x' } });
    expect(bad.status).toBe(422);
    const { api: other } = await appWith(['contacts.read']);
    expect((await other.post(`/workflows/${wf.id}/start`, { contact: { id: c.id } })).status).toBe(403);
  });

  it('tells a key without contacts.read the same whether or not the contact exists', async () => {
    const wf = await subFlow();
    const c = await contact();
    const { api } = await appWith(['workflows.start']);
    const known = await api.post(`/workflows/${wf.id}/start`, { contact: { id: c.id }, variables: { orderId: 'B2' } });
    const unknown = await api.post(`/workflows/${wf.id}/start`, { contact: { id: 'con_nobody' }, variables: { orderId: 'B2' } });
    expect([known.status, known.body]).toEqual([202, { eventId: null, runIds: [] }]);
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    const [run] = await runsOf(server, wf.id);
    expect(await waitForRun(server.app.services.db, run!.id)).toMatchObject({ status: 'completed', contactId: c.id });
  });
});

describe('an app\'s trigger route', () => {
  it('does not reveal whether a contact exists to a key without contacts.read', async () => {
    const { appId, api } = await appWith([]);
    const wf = await createWorkflow(server, { name: 'Paid', trigger: { type: 'mini_app', appId, triggerKey: 'paid' }, steps: [] });
    const c = await contact({ email: 'ada@example.com' });
    const known = await api.post(`/apps/${appId}/triggers/paid`, { contact: { email: 'ada@example.com' }, items: { status: 'ok' } });
    const unknown = await api.post(`/apps/${appId}/triggers/paid`, { contact: { email: 'nobody@example.com' }, items: { status: 'ok' } });
    expect([known.status, known.body]).toEqual([202, { eventId: null, runIds: [] }]);
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    const runs = await runsOf(server, wf.id);
    expect(runs.map((r) => r.contactId)).toEqual([c.id]);
  });

  it('still names a missing contact (422) to a key that may read contacts', async () => {
    const { appId, api } = await appWith(['contacts.read']);
    const res = await api.post(`/apps/${appId}/triggers/paid`, { contact: { email: 'nobody@example.com' }, items: {} });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/no contact with email nobody@example.com/);
  });

  it.each([[100, 201], [101, 422]])('a trigger with %i items: %i', async (count, status) => {
    const fields = Array.from({ length: count }, (_, i) => ({ key: `item_${i}`, label: `Item ${i}`, type: 'text' }));
    const res = await admin.post('/apps', {
      key: `many-${count}`, name: 'Many', fields, triggers: [{ key: 'big', name: 'Big', items: fields.map((f) => f.key) }], subscribeUrl: 'https://apps.example.com/subscribe',
    });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(status);
    if (status === 422) expect(res.body.error.message).toMatch(/at most 100 items; package the rest in one json field/);
  });
});
