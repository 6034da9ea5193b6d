import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { eachPaymentsWorld, registerAndInstallPayments, type PaymentsWorld } from './apps-support';

// Mini-app 2.0 Triggers: "When there are too many items, you might want to use a JSON variable to
// package them. And specify the JSON variable as an item here." Apps often send that variable
// serialized (a JSON string, as it sits in their own database); read as text, a workflow's
// {{$trigger.order.id}} found nothing inside it. Over real HTTP with the example Payments app
// (items status: text, amount: number, order: json).

let world: PaymentsWorld;
eachPaymentsWorld((w) => { world = w; });

const admin = () => world.server.api(world.server.adminToken);
const PHONE = '+14155550100';

/** Installed, with a published workflow that writes `{{$trigger.order.id}} …` into the contact's note. */
async function noting() {
  const app = await registerAndInstallPayments(world.server, world.payments);
  expect((await admin().put('/fields/paid_note', { label: 'Paid note', type: 'text' })).status).toBe(200);
  expect((await admin().post('/contacts', { firstName: 'Ada', phone: PHONE })).status).toBe(201);
  const wf = await admin().post('/workflows', {
    name: 'Note the order', trigger: { type: 'mini_app', appId: app.appId, triggerKey: 'payment_paid' },
    steps: [{ id: 'note', type: 'update_contact_field', config: { field: 'paid_note', value: '{{$trigger.order.id}} {{$trigger.order.lines[1].sku}} {{$trigger.order.total}}' } }],
  });
  expect((await admin().post(`/workflows/${wf.body.id}/publish`)).status, JSON.stringify(wf.body)).toBe(200);
  const fire = (items: Record<string, unknown>) => world.server.api(app.key).post(`/apps/${app.appId}/triggers/payment_paid`, { contact: { phone: PHONE }, items });
  return { fire };
}

const note = async () => (await admin().get(`/contacts?phone=${encodeURIComponent(PHONE)}`)).body.contacts[0].fields.paid_note as string | undefined;

it('reads a json item sent as a JSON string as the object it holds, so the workflow reads inside it', async () => {
  const { fire } = await noting();
  const order = { id: 'ord_9', total: 12.5, lines: [{ sku: 'sku-1' }, { sku: 'sku-2' }] };
  const fired = await fire({ status: 'paid', order: JSON.stringify(order) });
  expect(fired.status, JSON.stringify(fired.body)).toBe(202);
  const run = await waitFor('the run to finish', async () => {
    const r = (await admin().get(`/runs/${fired.body.runIds[0]}`)).body;
    return ['completed', 'failed'].includes(r.status) ? r : undefined;
  });
  expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
  expect(await note()).toBe('ord_9 sku-2 12.5');
});

it.each([
  ['text that is not JSON', 'paid'],
  ['cut-off JSON', '{"id": "ord_9", "total": 12'],
])('refuses %s in a json item with a 422 naming the item, and starts nothing', async (_what, order) => {
  const { fire } = await noting();
  const res = await fire({ status: 'paid', order });
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.body.error.details).toEqual([{ path: 'items.order', message: expect.stringMatching(/^order must be JSON: /) }]);
  expect(res.body.error.message).toContain('items.order: order must be JSON');
  expect((await admin().get('/runs')).body.runs).toEqual([]);
  expect(await note()).toBeUndefined();
});

// Hostile strings get what the same value sent as an object gets: Fastify's 400 refuses a
// "__proto__" key in the body, and a NUL is refused where it sits, before any run keeps it.
it.each([
  ['a "__proto__" key', '{"id": "ord_9", "__proto__": {"isAdmin": true}}', 'items.order', /^order holds a "__proto__" or "constructor.prototype" key/],
  ['a NUL character', '{"id": "ord_9", "note": "a\\u0000b"}', 'items.order.note', /NUL/],
])('refuses a json item string holding %s with a 422 at its place', async (_what, order, path, message) => {
  const { fire } = await noting();
  const res = await fire({ status: 'paid', order });
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.body.error.details).toEqual([{ path, message: expect.stringMatching(message) }]);
  expect((await admin().get('/runs')).body.runs).toEqual([]);
});
