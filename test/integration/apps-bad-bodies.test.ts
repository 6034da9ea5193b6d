import { describe, expect, it } from 'vitest';
import type { PaymentApp } from '../../examples/payment-app/server';
import type { TestServer } from '../support/server';
import { eachPaymentsWorld, registerAndInstallPayments } from './apps-support';

// What an app developer is told when a Fire Trigger or a start request is wrong: a key the route
// does not take is refused naming it and the keys it takes (a typo used to run the workflow with
// no data), and each value says what is wrong with it. Over real HTTP with the example Payments app.

let server: TestServer;
let payments: PaymentApp;

eachPaymentsWorld((world) => ({ server, payments } = world));

const admin = () => server.api(server.adminToken);
const PHONE = '+34600111222';

async function world() {
  const app = await registerAndInstallPayments(server, payments);
  expect((await admin().post('/contacts', { firstName: 'Ada', phone: PHONE })).status).toBe(201);
  const listening = await admin().post('/workflows', {
    name: 'On paid', trigger: { type: 'mini_app', appId: app.appId, triggerKey: 'payment_paid' },
    steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['paid'] } }],
  });
  const manual = await admin().post('/workflows', {
    name: 'Receipt', trigger: { type: 'manual' },
    steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['receipt-{{$trigger.orderId}}'] } }],
  });
  for (const wf of [listening, manual]) expect((await admin().post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
  const fire = (body: unknown) => server.api(app.key).post(`/apps/${app.appId}/triggers/payment_paid`, body);
  const start = (body: unknown) => admin().post(`/workflows/${manual.body.id}/start`, body);
  return { ...app, fire, start };
}

const runCount = async () => (await server.store.db.selectFrom('runs').select('id').execute()).length;

describe('a key the route does not take', () => {
  it('Fire Trigger: "data" for "items" is a 422 naming it and the keys it takes; nothing runs', async () => {
    const { fire } = await world();
    const res = await fire({ contact: { phone: PHONE }, data: { status: 'paid' } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{
      path: 'body',
      message: 'Unknown key "data": a trigger is fired with contact and items, e.g. {"contact": {"phone": "+14155550123"}, "items": {"status": "paid"}}',
    }]);
    expect(await server.events('mini_app.triggered')).toHaveLength(0);
    expect(await runCount()).toBe(0);
    expect((await fire({ contact: { phone: PHONE }, items: { status: 'paid' } })).status).toBe(202);
  });

  it('POST /workflows/:id/start: "vars" for "variables" is a 422 naming it and the keys it takes; nothing runs', async () => {
    const { start } = await world();
    const res = await start({ contact: { phone: PHONE }, vars: { orderId: 'A1' } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{
      path: 'body',
      message: 'Unknown key "vars": a workflow is started with contact and variables, e.g. {"contact": {"phone": "+14155550123"}, "variables": {"orderId": "A1"}}',
    }]);
    expect(await runCount()).toBe(0);
    expect((await start({ contact: { phone: PHONE }, variables: { orderId: 'A1' } })).status).toBe(202);
  });

  it('the contact: a key other than id, phone or email is named', async () => {
    const { fire } = await world();
    const res = await fire({ contact: { mobile: PHONE }, items: {} });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toContainEqual({ path: 'body.contact', message: 'Unknown key "mobile": identify the contact by one of id, phone or email' });
  });
});

describe('what is wrong with a value', () => {
  it.each([
    ['12', 'Start with + and the country code, e.g. +14155550123 or +49 151 1234 5678 (a national number such as 0151 1234 5678 does not say its country)'],
    ['600111222', 'Start with + and the country code, e.g. +14155550123 or +49 151 1234 5678 (a national number such as 0151 1234 5678 does not say its country)'],
    ['', 'Enter a phone number: Use international format, e.g. +14155550123'],
    ['+0034600111222', 'The + is followed by the country code, which never starts with 0, e.g. +44 20 7946 0958'],
  ])('an invalid phone %j says what is wrong with the phone, on both routes', async (phone, message) => {
    const { fire, start } = await world();
    for (const res of [await fire({ contact: { phone }, items: {} }), await start({ contact: { phone } })]) {
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([{ path: 'body.contact.phone', message }]);
    }
  });

  it('an invalid email says so (as before), and two identifiers say which were given', async () => {
    const { fire } = await world();
    const email = await fire({ contact: { email: 'ada@' }, items: {} });
    expect(email.body.error.details).toEqual([{ path: 'body.contact.email', message: 'Enter a valid email address' }]);
    const both = await fire({ contact: { phone: PHONE, email: 'ada@example.com' }, items: {} });
    expect(both.body.error.details).toEqual([{ path: 'body.contact', message: 'Identify the contact by exactly one of { id }, { phone } or { email } (this gives phone and email)' }]);
    const none = await fire({ contact: {}, items: {} });
    expect(none.body.error.details).toEqual([{ path: 'body.contact', message: 'Identify the contact by exactly one of { id }, { phone } or { email }' }]);
  });

  it('a text item over 10,000 characters is too long, not "must be text"', async () => {
    const { fire } = await world();
    const res = await fire({ contact: { phone: PHONE }, items: { status: 'x'.repeat(10_001) } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'items.status', message: 'status is too long: at most 10,000 characters (this one has 10,001)' }]);
    expect((await fire({ contact: { phone: PHONE }, items: { status: 'x'.repeat(10_000) } })).status).toBe(202);
  });

  it.each([
    [{ order: { total: 5 } }, 'body.variables.order', 'A variable holds text, a number, true/false or null, not an object: send each value as a variable of its own'],
    [{ lines: ['a'] }, 'body.variables.lines', 'A variable holds text, a number, true/false or null, not a list: send each value as a variable of its own'],
    [{ note: 'x'.repeat(10_001) }, 'body.variables.note', 'A variable has at most 10,000 characters (this one has 10,001)'],
    [{ 'order id': 'A1' }, 'body.variables.order id', '"order id" is not a variable name: Use letters, digits and _ only, not starting with a digit'],
  ])('a start variable %#: says what a variable holds, not "Invalid input"', async (variables, path, message) => {
    const { start } = await world();
    const res = await start({ contact: { phone: PHONE }, variables });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path, message }]);
  });

  it('a bad URL parameter says the URL path is invalid, not "The params is invalid"', async () => {
    const { key, appId } = await world();
    const res = await server.api(key).post(`/apps/${appId}/triggers/${'k'.repeat(65)}`, { contact: { phone: PHONE }, items: {} });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/^The URL path is invalid: params\.triggerKey: /);
    expect(res.body.error.details).toEqual([{ path: 'params.triggerKey', message: expect.any(String) }]);
  });
});
