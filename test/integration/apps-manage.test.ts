import { describe, expect, it } from 'vitest';
import type { PaymentApp } from '../../examples/payment-app/server';
import { waitFor } from '../support/wait';
import type { TestServer } from '../support/server';
import { eachPaymentsWorld, registerAndInstallPayments } from './apps-support';

// Changing, deleting and re-keying a registered app, over real HTTP with the example Payments
// app listening on its own loopback port and checking every signature it receives.

let server: TestServer;
let payments: PaymentApp;

eachPaymentsWorld((world) => ({ server, payments } = world));

const admin = () => server.api(server.adminToken);
const PHONE = '+14155550100';

async function registerAndInstall() {
  const installed = await registerAndInstallPayments(server, payments);
  expect((await admin().post('/contacts', { firstName: 'Ada', phone: PHONE })).status).toBe(201);
  return installed;
}

/** The manifest with a second trigger, `payment_refunded`. */
function withRefundTrigger() {
  const m = payments.manifest();
  m.triggers.push({ key: 'payment_refunded', name: 'Payment refunded', items: ['status', 'amount'] });
  return m;
}

async function createWorkflow(body: Record<string, unknown>, publish: boolean) {
  const created = await admin().post('/workflows', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  if (publish) {
    const published = await admin().post(`/workflows/${created.body.id}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  }
  return created.body.id as string;
}

const tagStep = { id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['seen'] } };
const listening = (appId: string, triggerKey: string, name = `On ${triggerKey}`) =>
  ({ name, trigger: { type: 'mini_app', appId, triggerKey }, steps: [tagStep] });
const fire = (key: string, appId: string, triggerKey: string) =>
  server.api(key).post(`/apps/${appId}/triggers/${triggerKey}`, { contact: { phone: PHONE }, items: { status: 'paid', amount: 5 } });
const indexKeys = async () => (await server.store.db.selectFrom('trigger_index').select('trigger_key')
  .where('trigger_type', '=', 'mini_app').execute()).map((r) => r.trigger_key).sort();

async function finished(runId: string) {
  return waitFor('the run to finish', async () => {
    const r = await admin().get(`/runs/${runId}`);
    return ['completed', 'failed'].includes(r.body.status) ? r.body : undefined;
  });
}


describe('PUT /apps/:id', () => {
  it('adds a trigger that a workflow can then listen to, and that fires', async () => {
    const { appId, key } = await registerAndInstall();
    // Not a trigger yet: a workflow cannot go live on it, and the app cannot fire it.
    const draft = await createWorkflow(listening(appId, 'payment_refunded'), false);
    expect((await admin().post(`/workflows/${draft}/publish`)).status).toBe(422);
    expect((await fire(key, appId, 'payment_refunded')).status).toBe(404);

    const updated = await admin().put(`/apps/${appId}`, withRefundTrigger());
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body).toMatchObject({ id: appId, key: 'payments', installation: { appId } });
    expect(updated.body.manifest.triggers.map((t: { key: string }) => t.key)).toEqual(['payment_paid', 'payment_refunded']);
    expect((await admin().get(`/apps/${appId}`)).body.manifest.triggers).toHaveLength(2);

    expect((await admin().post(`/workflows/${draft}/publish`)).status).toBe(200);
    expect(await indexKeys()).toEqual([`${appId}:payment_refunded`]);
    const fired = await fire(key, appId, 'payment_refunded');
    expect(fired.status, JSON.stringify(fired.body)).toBe(202);
    expect(fired.body.runIds).toHaveLength(1);
    expect((await finished(fired.body.runIds[0])).status).toBe('completed');
    // The installation and its key survive the update.
    expect((await server.api(key).get('/contacts')).status).toBe(200);
  });

  it('refuses a manifest with another key (422), and an unknown app (404)', async () => {
    const { appId } = await registerAndInstall();
    const res = await admin().put(`/apps/${appId}`, { ...payments.manifest(), key: 'payments-2' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('The key of an app cannot change (it is "payments")');
    expect(res.body.error.details).toEqual([{ path: 'body.key', message: 'Keep the key "payments"' }]);
    expect((await admin().put('/apps/app_nope', payments.manifest())).status).toBe(404);
    expect((await admin().put(`/apps/${appId}`, { ...payments.manifest(), logoUrl: 'http://x.example/a.png' })).status).toBe(422);
  });

  it('refuses to drop a trigger or an action a published workflow uses, naming it, and changes nothing', async () => {
    const { appId, key } = await registerAndInstall();
    await createWorkflow(listening(appId, 'payment_paid', 'Mark paid'), true);
    await createWorkflow({
      name: 'Refund on refunded', trigger: { type: 'manual' },
      steps: [{ id: 'r', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { orderId: 'A1' } } }],
    }, true);
    // A draft using the trigger does not block: it is checked again when it is published.
    await createWorkflow(listening(appId, 'payment_paid', 'Draft'), false);
    const before = (await admin().get(`/apps/${appId}`)).body;

    const fewer = payments.manifest();
    fewer.triggers = [];
    fewer.actions = [];
    const res = await admin().put(`/apps/${appId}`, fewer);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('app_in_use');
    expect(res.body.error.message).toContain('"Mark paid" (trigger "payment_paid")');
    expect(res.body.error.message).toContain('"Refund on refunded" (action "refund")');
    expect(res.body.error.message).not.toContain('Draft');
    expect((await admin().get(`/apps/${appId}`)).body).toEqual(before);
    expect(await indexKeys()).toEqual([`${appId}:payment_paid`]);
    expect((await fire(key, appId, 'payment_paid')).body.runIds).toHaveLength(1);

    // A new required input the published step does not fill breaks it too.
    const stricter = payments.manifest();
    stricter.actions[0].inputs.push({ key: 'amount', label: 'Amount', required: true });
    const res2 = await admin().put(`/apps/${appId}`, stricter);
    expect(res2.status).toBe(409);
    expect(res2.body.error.message).toContain('"Refund on refunded" (a value for the required input "amount" of action "refund")');
  });

  it('refuses to drop an action that runs still waiting on an earlier workflow version will call, until they end', async () => {
    const { appId, key } = await registerAndInstall();
    const wf = await createWorkflow({
      name: 'Refund later', trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' },
      steps: [{ id: 'pause', type: 'wait', config: { seconds: 3600 } }, { id: 'r', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { orderId: 'A1' } } }],
    }, true);
    const fired = await fire(key, appId, 'payment_paid');
    const runId = fired.body.runIds[0] as string;
    await waitFor('the run to wait', async () => ((await admin().get(`/runs/${runId}`)).body.status === 'waiting' ? true : undefined));
    // The workflow no longer refunds (version 2), but the waiting run follows version 1.
    const edited = await admin().put(`/workflows/${wf}`, { name: 'Refund later', trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' }, steps: [tagStep] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);

    const noActions = payments.manifest();
    noActions.actions = [];
    const res = await admin().put(`/apps/${appId}`, noActions);
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.message).toContain('"Refund later" version 1 (1 run; action "refund")');
    expect((await admin().get(`/apps/${appId}`)).body.manifest.actions).toHaveLength(1);

    expect((await admin().post(`/runs/${runId}/cancel`)).status).toBe(200);
    expect((await admin().put(`/apps/${appId}`, noActions)).status).toBe(200);
  });

  it('once the workflow is unpublished, drops the trigger: it no longer fires and leaves no index row', async () => {
    const { appId, key } = await registerAndInstall();
    const wf = await createWorkflow(listening(appId, 'payment_paid'), true);
    expect((await admin().post(`/workflows/${wf}/unpublish`)).status).toBe(200);
    const fewer = payments.manifest();
    fewer.triggers = [];
    expect((await admin().put(`/apps/${appId}`, fewer)).status).toBe(200);
    expect(await indexKeys()).toEqual([]);
    const res = await fire(key, appId, 'payment_paid');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('has no trigger "payment_paid"');
    expect((await admin().post(`/workflows/${wf}/publish`)).status).toBe(422);
  });

  it('saves new scopes while installed without granting them (a new key does: apps-scope-grant), removes dropped ones from the key, and refuses auth inputs the installation cannot fill', async () => {
    const { appId, key } = await registerAndInstall();
    expect((await server.api(key).post('/contacts', { firstName: 'Nope' })).status).toBe(403);
    const wider = { ...payments.manifest(), scopes: ['contacts.read', 'contacts.write', 'tags.write'] };
    const saved = await admin().put(`/apps/${appId}`, wider);
    expect(saved.status).toBe(200);
    expect(saved.body.installation).toMatchObject({ scopes: ['contacts.read', 'tags.write'], scopesToGrant: ['contacts.write'] });
    expect((await server.api(key).post('/contacts', { firstName: 'Still not' })).status).toBe(403);

    const narrower = { ...payments.manifest(), scopes: ['contacts.read'] };
    const narrowed = await admin().put(`/apps/${appId}`, narrower);
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.installation).toMatchObject({ scopes: ['contacts.read'], scopesToGrant: [] });
    const contact = (await admin().get('/contacts')).body.contacts[0];
    expect((await server.api(key).post(`/contacts/${contact.id}/tags`, { tags: ['x'] })).status).toBe(403);
    expect((await server.api(key).get('/contacts')).status).toBe(200);

    const needsMore = { ...payments.manifest(), scopes: ['contacts.read'] };
    needsMore.authInputs.push({ key: 'region', label: 'Region', type: 'string', required: true });
    const res = await admin().put(`/apps/${appId}`, needsMore);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('Region is required');
    expect(res.body.error.message).toContain('uninstall it');
  });
});

describe('DELETE /apps/:id', () => {
  it('is refused while installed and while a workflow names the app, then removes it', async () => {
    const { appId } = await registerAndInstall();
    const installed = await admin().del(`/apps/${appId}`);
    expect(installed.status).toBe(409);
    expect(installed.body.error.message).toContain('uninstall it first');

    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
    await waitFor('the unsubscribe request', async () => payments.received.unsubscribe[0]);
    const draft = await createWorkflow(listening(appId, 'payment_paid', 'Paid draft'), false);
    const used = await admin().del(`/apps/${appId}`);
    expect(used.status).toBe(409);
    expect(used.body.error.code).toBe('app_in_use');
    expect(used.body.error.message).toContain('"Paid draft" (draft)');
    expect((await admin().get(`/apps/${appId}`)).status).toBe(200);

    expect((await admin().del(`/workflows/${draft}`)).status).toBe(204);
    expect((await admin().del(`/apps/${appId}`)).status).toBe(204);
    expect((await admin().get(`/apps/${appId}`)).status).toBe(404);
    expect((await admin().get('/apps')).body.apps).toEqual([]);
    expect((await admin().del(`/apps/${appId}`)).status).toBe(404);
    // The key is free again.
    expect((await admin().post('/apps', payments.manifest())).status).toBe(201);
  });

  it('gives up an unsubscribe request still being retried: there is no secret left to sign it', async () => {
    const { appId } = await registerAndInstall();
    await payments.close();
    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
    await waitFor('a failed attempt', async () => (await server.store.db.selectFrom('outbox').select('attempts').executeTakeFirst())?.attempts || undefined);
    expect((await admin().del(`/apps/${appId}`)).status).toBe(204);
    const row = await server.store.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.delivered_at).toBeNull();
    expect(row.last_error).toBe('gave up: the app was deleted');
  });

  it('names a workflow whose step uses one of the app\'s actions', async () => {
    const { appId } = await registerAndInstall();
    const wf = await createWorkflow({
      name: 'Refunder', trigger: { type: 'manual' },
      steps: [{ id: 'r', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { orderId: 'A1' } } }],
    }, true);
    // Published, it keeps the app installed (apps-uninstall.test.ts); unpublished, it still names the app.
    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(409);
    expect((await admin().post(`/workflows/${wf}/unpublish`)).status).toBe(200);
    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
    const res = await admin().del(`/apps/${appId}`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('"Refunder" (draft)');
  });
});

