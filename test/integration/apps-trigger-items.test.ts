import { describe, expect, it } from 'vitest';
import type { PaymentApp } from '../../examples/payment-app/server';
import { waitFor } from '../support/wait';
import type { TestServer } from '../support/server';
import { eachPaymentsWorld, registerAndInstallPayments } from './apps-support';

// A mini-app trigger's `$trigger.*` are the items of the app's trigger (mini-app 2.0 Triggers:
// items are existing app fields), so they are checked when a workflow is published, and a manifest
// change that takes one away from a published workflow is refused, as dropping the trigger is.
// Over real HTTP with the example Payments app (items status: text, amount: number, order: json).

let server: TestServer;
let payments: PaymentApp;

eachPaymentsWorld((world) => ({ server, payments } = world));

const admin = () => server.api(server.adminToken);
const PHONE = '+14155550100';

async function installed() {
  const app = await registerAndInstallPayments(server, payments);
  expect((await admin().put('/fields/paid_note', { label: 'Paid note', type: 'text' })).status).toBe(200);
  expect((await admin().post('/contacts', { firstName: 'Ada', phone: PHONE })).status).toBe(201);
  return app;
}

const noting = (appId: string, text: string, name = 'Mark paid') => ({
  name, trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' },
  steps: [{ id: 'note', type: 'update_contact_field', config: { field: 'paid_note', value: text } }],
});

async function saved(body: Record<string, unknown>) {
  const created = await admin().post('/workflows', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function published(body: Record<string, unknown>) {
  const id = await saved(body);
  const res = await admin().post(`/workflows/${id}/publish`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return id;
}

describe('publishing a workflow on a mini-app trigger', () => {
  it('refuses a variable the trigger\'s items do not give, saying what it likely meant and what they are', async () => {
    const { appId } = await installed();
    const id = await saved(noting(appId, '{{$trigger.stauts}} {{$trigger.anything.at.all}} {{$trigger.status.code}}'));
    const res = await admin().post(`/workflows/${id}/publish`);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([
      { path: 'steps.0.config.value', message: '{{$trigger.stauts}} is not provided by this trigger: did you mean {{$trigger.status}}?' },
      { path: 'steps.0.config.value', message: '{{$trigger.anything.at.all}} is not provided by this trigger (it provides status, amount, order)' },
      {
        path: 'steps.0.config.value',
        message: '{{$trigger.status.code}} reads inside "status", a text item of this trigger: only a json item (order) has values inside; use {{$trigger.status}} for its value',
      },
    ]);
    expect((await admin().get(`/workflows/${id}`)).body.status).toBe('draft');
  });

  it('publishes the items and any path inside the json item, and a run fills them', async () => {
    const { appId, key } = await installed();
    await published(noting(appId, '{{$trigger.status}} {{$trigger.amount}} {{$trigger.order.currency}} {{$trigger.order.lines[0].sku}}'));
    const fired = await server.api(key).post(`/apps/${appId}/triggers/payment_paid`, {
      contact: { phone: PHONE }, items: { status: 'paid', amount: 12.5, order: { currency: 'EUR', lines: [{ sku: 'sku-1' }] } },
    });
    expect(fired.status, JSON.stringify(fired.body)).toBe(202);
    const run = await waitFor('the run to finish', async () => {
      const r = await admin().get(`/runs/${fired.body.runIds[0]}`);
      return ['completed', 'failed'].includes(r.body.status) ? r.body : undefined;
    });
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    const contact = (await admin().get(`/contacts?phone=${encodeURIComponent(PHONE)}`)).body.contacts[0];
    expect(contact.fields.paid_note).toBe('paid 12.5 EUR sku-1');
  });
});

describe('PUT /apps/:id under a published workflow that reads an item', () => {
  it('refuses to drop the item (409 naming the workflow and the item), and changes nothing', async () => {
    const { appId, key } = await installed();
    await published(noting(appId, 'Total {{$trigger.order.total}}', 'Order total'));
    const before = (await admin().get(`/apps/${appId}`)).body.manifest;

    const noOrder = payments.manifest();
    noOrder.triggers[0].items = ['status', 'amount'];
    const res = await admin().put(`/apps/${appId}`, noOrder);
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.code).toBe('app_in_use');
    expect(res.body.error.message).toContain('"Order total" (item "order" of trigger "payment_paid")');
    expect((await admin().get(`/apps/${appId}`)).body.manifest).toEqual(before);
    // The app may still send the item.
    const fired = await server.api(key).post(`/apps/${appId}/triggers/payment_paid`, { contact: { phone: PHONE }, items: { order: { total: 5 } } });
    expect(fired.status, JSON.stringify(fired.body)).toBe(202);
  });

  it('refuses to make the json item plain text while a path inside it is read', async () => {
    const { appId } = await installed();
    await published(noting(appId, 'Total {{$trigger.order.total}}', 'Order total'));
    const textOrder = payments.manifest();
    textOrder.fields = textOrder.fields.map((f: { key: string }) => (f.key === 'order' ? { ...f, type: 'text' } : f));
    const res = await admin().put(`/apps/${appId}`, textOrder);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('"Order total" (json item "order" of trigger "payment_paid" ({{$trigger.order.total}} reads inside it))');
  });

  it('lets an item no published workflow reads go, and the one read once the workflow is unpublished', async () => {
    const { appId } = await installed();
    const wf = await published(noting(appId, '{{$trigger.status}}', 'Status'));
    const noAmount = payments.manifest();
    noAmount.triggers[0].items = ['status', 'order'];
    expect((await admin().put(`/apps/${appId}`, noAmount)).status).toBe(200);

    const noStatus = payments.manifest();
    noStatus.triggers[0].items = ['order'];
    expect((await admin().put(`/apps/${appId}`, noStatus)).status).toBe(409);
    expect((await admin().post(`/workflows/${wf}/unpublish`)).status).toBe(200);
    expect((await admin().put(`/apps/${appId}`, noStatus)).status).toBe(200);
    // Publishing it again says why not.
    const again = await admin().post(`/workflows/${wf}/publish`);
    expect(again.status).toBe(422);
    expect(again.body.error.details[0].message).toBe('{{$trigger.status}} is not provided by this trigger (it provides order)');
  });
});
