import { describe, expect, it } from 'vitest';
import type { PaymentApp } from '../../examples/payment-app/server';
import { waitFor } from '../support/wait';
import type { TestServer } from '../support/server';
import { eachPaymentsWorld, registerAndInstallPayments } from './apps-support';

// Uninstalling an app that workflows use, over real HTTP with the example Payments app on its
// own loopback port: refused (409 naming them) while a published workflow or an unfinished run
// needs it, and a run that still meets an app that is gone says which app, by name.

let server: TestServer;
let payments: PaymentApp;

eachPaymentsWorld((world) => ({ server, payments } = world));

const admin = () => server.api(server.adminToken);
const PHONE = '+14155550100';

async function installed() {
  const { appId, key } = await registerAndInstallPayments(server, payments);
  const contact = (await admin().post('/contacts', { firstName: 'Ada', phone: PHONE })).body;
  return { appId, contactId: contact.id as string, key };
}

async function workflow(body: Record<string, unknown>, publish: boolean) {
  const created = await admin().post('/workflows', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  if (publish) expect((await admin().post(`/workflows/${created.body.id}/publish`)).status).toBe(200);
  return created.body.id as string;
}

const refund = (appId: string) => ({ id: 'refund', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { orderId: 'A1' } } });
const refundOnTag = (appId: string) => ({
  name: 'Refund on tag', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['refund'] }, steps: [refund(appId)],
});
const leadScored = (appId: string) => ({
  name: 'Lead scored', trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' },
  steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['scored'] } }],
});

async function finished(runId: string, statuses = ['completed', 'failed']) {
  return waitFor(`run ${runId} to be ${statuses.join(' or ')}`, async () => {
    const r = await admin().get(`/runs/${runId}`);
    return statuses.includes(r.body.status) ? r.body : undefined;
  });
}

describe('DELETE /apps/:id/install', () => {
  it('is refused while published workflows use the app, naming them, and changes nothing', async () => {
    const { appId, key } = await installed();
    const tagged = await workflow(refundOnTag(appId), true);
    const scored = await workflow(leadScored(appId), true);
    await workflow({ ...refundOnTag(appId), name: 'Refund draft' }, false);

    const res = await admin().del(`/apps/${appId}/install`);
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.code).toBe('app_in_use');
    expect(res.body.error.message).toBe('Cannot uninstall "Payments": published workflows use it: "Lead scored" (trigger "payment_paid"); '
      + '"Refund on tag" (action "refund"). Unpublish those workflows or remove the app from them first.');
    expect(res.body.error.details).toEqual([
      { path: `workflows.${scored}`, message: '"Lead scored" uses trigger "payment_paid"' },
      { path: `workflows.${tagged}`, message: '"Refund on tag" uses action "refund"' },
    ]);
    // Still installed: the key works, the app's server was told nothing.
    expect((await admin().get(`/apps/${appId}`)).body.installation).not.toBeNull();
    expect((await server.api(key).get('/contacts')).status).toBe(200);
    expect(await server.store.db.selectFrom('outbox').selectAll().execute()).toEqual([]);

    // Unpublished (the draft never counted), the uninstall goes through.
    for (const id of [tagged, scored]) expect((await admin().post(`/workflows/${id}/unpublish`)).status).toBe(200);
    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
    expect((await server.api(key).get('/contacts')).status).toBe(401);
    await waitFor('the unsubscribe request', async () => payments.received.unsubscribe[0]);
  });

  it('is refused while unfinished runs will still call its action, until they are cancelled', async () => {
    const { appId, contactId } = await installed();
    const id = await workflow({ ...refundOnTag(appId), steps: [{ id: 'later', type: 'wait', config: { seconds: 3600 } }, refund(appId)] }, true);
    expect((await admin().post(`/contacts/${contactId}/tags`, { tags: ['refund'] })).status).toBe(200);
    const runId = await waitFor('the run', async () => (await admin().get(`/workflows/${id}/runs`)).body.runs?.[0]?.id as string | undefined);
    await finished(runId, ['waiting']);
    expect((await admin().post(`/workflows/${id}/unpublish`)).status).toBe(200);

    const res = await admin().del(`/apps/${appId}/install`);
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.message).toBe('Cannot uninstall "Payments": unfinished runs follow earlier workflow versions that call its actions: '
      + '"Refund on tag" version 1 (1 run; action "refund"). Let them finish or cancel them first.');
    expect(res.body.error.details).toEqual([{ path: `workflows.${id}`, message: '"Refund on tag" has unfinished runs that will call action "refund"' }]);

    expect((await admin().post(`/runs/${runId}/cancel`)).status).toBe(200);
    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
  });

  it('names the app, not its id, when it is not installed', async () => {
    const { appId } = await installed();
    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
    const again = await admin().del(`/apps/${appId}/install`);
    expect(again.status).toBe(404);
    expect(again.body.error).toEqual({ code: 'not_installed', message: 'The app "Payments" is not installed' });
  });
});

describe('a workflow naming an app that is not installed', () => {
  it('cannot be published (422 naming the app), and a run that still meets it fails naming the app', async () => {
    const { appId, contactId } = await installed();
    const id = await workflow(refundOnTag(appId), true);
    // As a server before this check left it (or an installation removed otherwise): published, app gone.
    await server.store.db.deleteFrom('installations').where('app_id', '=', appId).execute();

    expect((await admin().post(`/contacts/${contactId}/tags`, { tags: ['refund'] })).status).toBe(200);
    const runId = await waitFor('the run', async () => (await admin().get(`/workflows/${id}/runs`)).body.runs?.[0]?.id as string | undefined);
    const run = await finished(runId);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('The app "Payments" is not installed; install it again, or remove this step from the workflow');
    expect(run.error).not.toContain(appId);

    expect((await admin().post(`/workflows/${id}/unpublish`)).status).toBe(200);
    const publish = await admin().post(`/workflows/${id}/publish`);
    expect(publish.status).toBe(422);
    expect(publish.body.error.details).toEqual([{ path: 'steps.0.config.appId', message: 'The app "Payments" is not installed; install it first' }]);
  });
});
