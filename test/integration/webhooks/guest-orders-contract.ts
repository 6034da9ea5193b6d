import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from './support';

/**
 * Shopify order webhooks naming no contact here (a guest checkout without a customer, a phone no
 * contact has, a phone that is no number): Shopify retries anything but a 2xx and removes a
 * subscription that keeps failing; Zapier and Make log errors. Such a delivery is accepted (202)
 * without a run, its `notes` say why, and the workflow's deliveries view lists it. A body that is
 * not what the trigger reads (not an object, an identifier that is an object) stays a 4xx.
 * Shared by the SQLite and PostgreSQL suites (their write paths differ).
 */
export function guestOrdersContract(start: () => Promise<TestServer>) {
  let server: TestServer;
  beforeEach(async () => { server = await start(); });
  afterEach(async () => { await server.close(); });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    server.request('POST', path, { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  // Shopify's orders/create payload, trimmed: a guest checkout has `"customer": null`.
  const shopifyOrder = (customer: Record<string, unknown> | null) => ({
    id: 820982911946154500, name: '#1001', email: customer?.email ?? 'guest@example.com', total_price: '199.00',
    customer, line_items: [{ sku: 'TSHIRT-M', quantity: 1 }],
  });
  const orderHook = () => publishWebhookWorkflow(server, { identifier: { type: 'phone', jsonKey: '$.customer.phone' }, mappings: [{ jsonKey: '$.name', variable: 'orderId' }] });
  const deliveries = async (id: string) => (await server.api(server.adminToken).get(`/workflows/${id}/webhook/deliveries`)).body;

  it.each([
    ['a guest checkout (no customer)', null, [], 'No contact identified: $.customer.phone matched nothing in the body; no run started'],
    ['a customer without a phone', { id: 1, email: 'ana@example.com', phone: null }, [], 'No contact identified: $.customer.phone is empty; no run started'],
    ['a phone no contact has', { id: 2, phone: '+14155550199' }, ['+14155550199'], 'No contact with phone +14155550199; no run started'],
  ])('%s: 202 without a run, saying why, and listed in the deliveries', async (_name, customer, unmatched, note) => {
    const hook = await orderHook();
    const res = await post(hook.path, shopifyOrder(customer));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toEqual({ eventId: expect.any(String), runIds: [], unmatched, notes: [note] });
    expect(await deliveries(hook.id)).toEqual({
      deliveries: [{ eventId: res.body.eventId, receivedAt: expect.any(String), contactIds: [], unmatched, runIds: null, note }], nextCursor: null,
    });
    expect((await server.api(server.adminToken).get(`/workflows/${hook.id}/runs`)).body.runs).toEqual([]);
  });

  it('a phone that is no number: 202 without a run, the note says why', async () => {
    const hook = await orderHook();
    const res = await post(hook.path, shopifyOrder({ id: 3, phone: 'n/a' }));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ runIds: [], unmatched: ['n/a'], notes: [expect.stringMatching(/^"n\/a" is not a phone number: .*; no run started$/)] });
    expect((await deliveries(hook.id)).deliveries[0].note).toBe(res.body.notes[0]);
  });

  it('a repeat (Idempotency-Key) answers the same, once stored', async () => {
    const hook = await orderHook();
    const first = await post(hook.path, shopifyOrder(null), { 'idempotency-key': 'order-1001' });
    const again = await post(hook.path, shopifyOrder(null), { 'idempotency-key': 'order-1001' });
    expect(again.headers.get('x-duplicate-delivery')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await deliveries(hook.id)).deliveries).toEqual([expect.objectContaining({ eventId: first.body.eventId, runIds: [] })]);
  });

  it('the deliveries view: newest first, matched ones with their contacts, this workflow only, by pages', async () => {
    const ana = await makeContact(server, { phone: '+14155550123' });
    const hook = await orderHook();
    const other = await orderHook();
    const known = await post(hook.path, shopifyOrder({ id: 1, phone: '+1 415 555 0123' }));
    expect(known.body.runIds).toHaveLength(1);
    await post(other.path, shopifyOrder(null));
    const guest = await post(hook.path, shopifyOrder(null));
    const admin = server.api(server.adminToken);
    const page1 = (await admin.get(`/workflows/${hook.id}/webhook/deliveries?limit=1`)).body;
    expect(page1.deliveries).toEqual([expect.objectContaining({ eventId: guest.body.eventId, contactIds: [] })]);
    const page2 = (await admin.get(`/workflows/${hook.id}/webhook/deliveries?limit=1&cursor=${page1.nextCursor}`)).body;
    expect(page2).toEqual({ deliveries: [{ eventId: known.body.eventId, receivedAt: expect.any(String), contactIds: [ana.id], unmatched: [], runIds: null, note: null }], nextCursor: null });
    // Not a webhook workflow, no such workflow, not an admin.
    const manual = await admin.post('/workflows', { name: 'Manual', trigger: { type: 'manual' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] });
    expect((await admin.get(`/workflows/${manual.body.id}/webhook/deliveries`)).status).toBe(409);
    expect((await admin.get('/workflows/wf_nope/webhook/deliveries')).status).toBe(404);
    const { token } = await server.createUser('agent');
    expect((await server.api(token).get(`/workflows/${hook.id}/webhook/deliveries`)).status).toBe(403);
  });

  it.each([
    ['body is a list', [1, 2, 3], 422],
    ['body is null', 'null', 422],
    ['the phone is an object', { customer: { phone: { number: 1 } } }, 422],
    ['malformed JSON', '{"customer":', 400],
  ])('%s → %s, nothing stored', async (_name, body, status) => {
    const hook = await orderHook();
    const res = await post(hook.path, body);
    expect(res.status).toBe(status);
    expect(await server.events('webhook.received')).toHaveLength(0);
  });
}
