import { expect, it } from 'vitest';
import type { PaymentApp } from '../../examples/payment-app/server';
import type { TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { eachPaymentsWorld, registerAndInstallPayments } from './apps-support';

// An item of a mini-app trigger that the app did not send is "no value" (a respond.io app field
// with nothing in it), as a fixed trigger's variable is: present in $trigger as null, so a Branch
// "does not exist" takes it, and the step log notes no unknown variable for an item the trigger
// declares. Over real HTTP with the example Payments app (items status, amount, order).

let server: TestServer;
let payments: PaymentApp;
eachPaymentsWorld((world) => ({ server, payments } = world));

const admin = () => server.api(server.adminToken);
const PHONE = '+14155550100';
const noStatus = { logic: 'and', rules: [{ left: '{{$trigger.status}}', operator: 'not_exists' }] };

it('gives an item the app left out as null: the Branch goes the empty way and no unknown variable is noted', async () => {
  const { appId, key } = await registerAndInstallPayments(server, payments);
  for (const field of ['paid_note', 'paid_summary']) expect((await admin().put(`/fields/${field}`, { label: field, type: 'text' })).status).toBe(200);
  expect((await admin().post('/contacts', { firstName: 'Ada', phone: PHONE })).status).toBe(201);
  const created = await admin().post('/workflows', {
    name: 'Paid without status', trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' },
    steps: [
      { id: 'check', type: 'branch', config: { branches: [{ name: 'No status', conditions: noStatus, goTo: 'empty' }], elseGoTo: 'given' } },
      { id: 'given', type: 'update_contact_field', config: { field: 'paid_note', value: 'status given' } },
      { id: 'skip', type: 'jump_to', config: { stepId: 'end' } },
      { id: 'empty', type: 'update_contact_field', config: { field: 'paid_note', value: 'no status' } },
      { id: 'end', type: 'update_contact_field', config: { field: 'paid_summary', value: 'amount {{$trigger.amount}}, status "{{$trigger.status}}"' } },
    ],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await admin().post(`/workflows/${created.body.id}/publish`)).status).toBe(200);

  const fired = await server.api(key).post(`/apps/${appId}/triggers/payment_paid`, { contact: { phone: PHONE }, items: { amount: 5 } });
  expect(fired.status, JSON.stringify(fired.body)).toBe(202);
  const run = await waitFor('the run to finish', async () => {
    const r = await admin().get(`/runs/${fired.body.runIds[0]}`);
    return ['completed', 'failed'].includes(r.body.status) ? r.body : undefined;
  });
  expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
  expect(run.stepLog.map((e: { stepId: string }) => e.stepId)).toEqual(['check', 'empty', 'end']);
  expect(run.stepLog[0].output).toMatchObject({ branch: 'No status' });
  expect(run.stepLog.flatMap((e: { notes?: string[] }) => e.notes ?? [])).toEqual([]);
  const contact = (await admin().get(`/contacts?phone=${encodeURIComponent(PHONE)}`)).body.contacts[0];
  expect(contact.fields.paid_note).toBe('no status');
  expect(contact.fields.paid_summary).toBe('amount 5, status ""');

  const [event] = await server.events('mini_app.triggered');
  expect(event!.payload.items).toEqual({ status: null, amount: 5, order: null });
});
