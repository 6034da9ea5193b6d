import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPaymentApp, type PaymentApp } from '../../examples/payment-app/server';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';

// The mini_app_action step: a workflow calls the installed Payments app's packaged `refund`
// request, and later steps read its outputs as $step.*.

let server: TestServer;
let payments: PaymentApp;
let appId: string;
let secret: string;

beforeEach(async () => {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  payments = await startPaymentApp({ port: 0, companionUrl: server.url });
  const admin = server.api(server.adminToken);
  const registered = (await admin.post('/apps', payments.manifest())).body;
  secret = registered.signingSecret;
  payments.setSigningSecret(secret);
  appId = registered.app.id;
  expect((await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_42' } })).status).toBe(201);
  expect((await admin.put('/fields/last_refund', { label: 'Last refund', type: 'text' })).status).toBe(200);
});
afterEach(async () => {
  await payments?.close();
  await server?.close();
});

async function runWorkflow(refundInputs: Record<string, string>) {
  const admin = server.api(server.adminToken);
  const contact = (await admin.post('/contacts', { firstName: 'Grace', phone: '+14155550111' })).body;
  const wf = await admin.post('/workflows', {
    name: 'Refund paid orders',
    trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' },
    steps: [
      { id: 'refund', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: refundInputs } },
      { id: 'note', type: 'update_contact_field', config: { field: 'last_refund', value: '{{$step.refundId}} {{$step.refundStatus}}' } },
    ],
  });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  const published = await admin.post(`/workflows/${wf.body.id}/publish`);
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  const key = payments.received.subscribe[0]!.body.apiKey;
  const fired = await server.api(key).post(`/apps/${appId}/triggers/payment_paid`, {
    contact: { phone: '+14155550111' }, items: { status: 'paid', amount: 10, order: { id: 'ord_7', total: 10 } },
  });
  expect(fired.status, JSON.stringify(fired.body)).toBe(202);
  const until = Date.now() + 10_000;
  for (;;) {
    const run = (await admin.get(`/runs/${fired.body.runIds[0]}`)).body;
    if (['completed', 'failed', 'waiting'].includes(run.status)) return { run, contact: (await admin.get(`/contacts/${contact.id}`)).body };
    if (Date.now() > until) throw new Error(`run still ${run.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('mini_app_action', () => {
  it('sends the packaged request with auth values and rendered inputs, signed, and maps its outputs to $step', async () => {
    const { run, contact } = await runWorkflow({ orderId: '{{$trigger.order.id}}', reason: 'Asked by {{$contact.firstName}}' });
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');

    expect(payments.received.refunds).toHaveLength(1);
    const refund = payments.received.refunds[0]!;
    expect(refund.verified).toBe(true);
    expect(refund.body).toEqual({ accountId: 'acct_42', orderId: 'ord_7', reason: 'Asked by Grace' });
    expect(refund.headers['x-account-id']).toBe('acct_42');
    expect(refund.headers['idempotency-key']).toContain(run.id);

    expect(contact.fields.last_refund).toMatch(/^rf_\w+ refunded$/);
    expect(run.stepLog[0]).toMatchObject({ type: 'mini_app_action', status: 'completed' });
  });

  it('fails the run with a clear error when a required input renders empty', async () => {
    // A path inside the json item the app did not send: publishable, empty at run time.
    const { run } = await runWorkflow({ orderId: '{{$trigger.order.missing}}' });
    expect(run.status).toBe('failed');
    expect(JSON.stringify(run.stepLog[0])).toContain('Required input(s) of \\"refund\\" are empty: Order ID');
    expect(payments.received.refunds).toHaveLength(0);
  });

  it('retries like http_request; an app server that refuses connections is tried again later, and the refund goes once when it is back', async () => {
    const { port, installations } = payments;
    await payments.close();
    const { run } = await runWorkflow({ orderId: '{{$trigger.order.id}}' });
    expect(run.status).toBe('waiting');
    expect(run.stepLog[0]).toMatchObject({ stepId: 'refund', status: 'retrying', output: { retry: 1 } });
    expect(run.stepLog[0].error).toMatch(/ECONNREFUSED.*\(3 attempts\)$/);

    // The app's server is back (same address, same installations); its next try is now.
    payments = await startPaymentApp({ port, companionUrl: server.url, installations: [...installations.values()] });
    payments.setSigningSecret(secret);
    await server.store.db.updateTable('runs').set({ wake_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', run.id).execute();
    server.app.services.runSignal.notify();
    const admin = server.api(server.adminToken);
    const done = await waitFor('the run to end', async () => { const r = (await admin.get(`/runs/${run.id}`)).body; return ['completed', 'failed'].includes(r.status) ? r : undefined; });
    expect(done.status, JSON.stringify(done.stepLog)).toBe('completed');
    expect(payments.received.refunds).toHaveLength(1);
  });

  it('a refund (a POST) whose answer a crash lost is not sent again when the run is taken again; the step says its outcome is unknown', async () => {
    const { run } = await runWorkflow({ orderId: '{{$trigger.order.id}}' });
    expect(run.status).toBe('completed');
    // What the process dying right after the request (or the database failing every write since)
    // leaves: everything but the step's result, the run still before it on a lease that ran out.
    const db = server.store.db;
    await db.deleteFrom('step_effects').where('key', '=', `${run.id}:refund`).execute();
    await db.updateTable('runs').set({ status: 'running', cursor: 0, step_log: '[]', ended_at: null, error: null, lease_owner: 'a-killed-process', lease_until: '1970-01-01T00:00:00.000Z' })
      .where('id', '=', run.id).execute();
    server.app.services.runSignal.notify();
    const admin = server.api(server.adminToken);
    const done = await waitFor('the run to end', async () => { const r = (await admin.get(`/runs/${run.id}`)).body; return ['completed', 'failed'].includes(r.status) ? r : undefined; });
    expect(payments.received.refunds).toHaveLength(1);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^The action "refund": an earlier attempt went out before a restart .* a POST is not sent again, to avoid doing it twice/);
    expect(done.stepLog[0].output).toMatchObject({ outcome: 'unknown' });
  });
});
