import { afterEach, beforeEach, expect, it } from 'vitest';
import { WebhookTestResult } from '../../../lib/contracts/webhooks';
import type { TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './support';

/**
 * n8n's items over real HTTP: an identifier that iterates (`$.orders[*].customer.email`) makes
 * each element of that array an item, one run per item and contact it names, and a mapping
 * through the same array reads the run's own item. Shared by the SQLite and PostgreSQL suites
 * (their batch writes differ: PostgreSQL counts the runs to fit one statement).
 */
export function itemsContract(start: () => Promise<TestServer>) {
  let server: TestServer;
  beforeEach(async () => { server = await start(); });
  afterEach(async () => { await server.close(); });

  const admin = () => server.api(server.adminToken);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    server.request('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const say = (text: string) => [{ id: 'say', type: 'add_comment', config: { text } }];

  async function contactWithConversation(firstName: string, email: string) {
    const contact = await makeContact(server, { firstName, email });
    const opened = await admin().post('/conversations', { contactId: contact.id });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    return { ...contact, conversationId: opened.body.id as string };
  }
  const comments = async (conversationId: string) =>
    ((await admin().get(`/conversations/${conversationId}`)).body.messages as { text: string }[]).map((m) => m.text);

  const orders = {
    batch: 'B-7',
    orders: [
      { id: 'o-1', customer: { email: 'ana@example.com', name: 'Ana' }, total: 30 },
      { id: 'o-2', customer: { email: 'bob@example.com', name: 'Bob' }, total: 12.5 },
      { id: 'o-3', customer: { email: 'ANA@example.com ', name: 'Ana R.' }, total: 8 },
    ],
  };
  const orderHook = (extra: Record<string, unknown> = {}) => publishWebhookWorkflow(server, {
    identifier: { type: 'email', jsonKey: '$.orders[*].customer.email' },
    mappings: [
      { jsonKey: '$.orders[*].customer.name', variable: 'name' },
      { jsonKey: "$['orders'][*].total", variable: 'total' },
      { jsonKey: '$.orders.*.id', variable: 'order' },
      // Not through the item: the whole body, as without items.
      { jsonKey: '$.batch', variable: 'batch' },
      { jsonKey: '$..total', variable: 'totals' },
    ],
    ...extra,
  }, say('Hi {{$trigger.name}}: order {{$trigger.order}}, total {{$trigger.total}} (batch {{$trigger.batch}}; totals {{$trigger.totals}})'));

  it('three orders for two contacts: one run per order, each with its own order\'s values', async () => {
    const ana = await contactWithConversation('Ana', 'ana@example.com');
    const bob = await contactWithConversation('Bob', 'bob@example.com');
    const hook = await orderHook();
    const res = await post(hook.path, orders);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toEqual({ eventId: expect.any(String), runIds: [expect.any(String), expect.any(String), expect.any(String)], unmatched: [] });
    const runs = await Promise.all((res.body.runIds as string[]).map((id) => waitForRun(server, id)));
    expect(runs.map((r) => [r.status, r.contactId])).toEqual([['completed', ana.id], ['completed', bob.id], ['completed', ana.id]]);
    expect(runs.map((r) => r.variables.trigger)).toEqual([
      { name: 'Ana', total: 30, order: 'o-1', batch: 'B-7', totals: [30, 12.5, 8] },
      { name: 'Bob', total: 12.5, order: 'o-2', batch: 'B-7', totals: [30, 12.5, 8] },
      { name: 'Ana R.', total: 8, order: 'o-3', batch: 'B-7', totals: [30, 12.5, 8] },
    ]);
    expect(await comments(ana.conversationId)).toEqual(expect.arrayContaining([
      'Hi Ana: order o-1, total 30 (batch B-7; totals 30, 12.5, 8)',
      'Hi Ana R.: order o-3, total 8 (batch B-7; totals 30, 12.5, 8)',
    ]));
    expect(await comments(bob.conversationId)).toContain('Hi Bob: order o-2, total 12.5 (batch B-7; totals 30, 12.5, 8)');
    // The event names each contact once and keeps the whole body's values (the items' are in their runs).
    const [event] = await server.events('webhook.received');
    expect(event!.payload).toMatchObject({ contactIds: [ana.id, bob.id], variables: { batch: 'B-7', totals: [30, 12.5, 8] }, errors: [] });
    expect(event!.payload.variables).not.toHaveProperty('name');
  });

  it('a top-level batch: "Hi Ana" and "Hi Bob", not "Hi Ana, Bob"; a fixed index is the same for everyone', async () => {
    const ana = await contactWithConversation('Ana', 'ana@example.com');
    const bob = await contactWithConversation('Bob', 'bob@example.com');
    const hook = await publishWebhookWorkflow(server, {
      identifier: { type: 'email', jsonKey: '$[*].email' },
      mappings: [{ jsonKey: '$[*].name', variable: 'name' }, { jsonKey: '$[0].name', variable: 'first' }],
    }, say('Hi {{$trigger.name}} (first: {{$trigger.first}})'));
    const res = await post(hook.path, [{ email: 'ana@example.com', name: 'Ana' }, { email: 'bob@example.com', name: 'Bob' }]);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await Promise.all((res.body.runIds as string[]).map((id) => waitForRun(server, id)));
    expect(await comments(ana.conversationId)).toContain('Hi Ana (first: Ana)');
    expect(await comments(bob.conversationId)).toContain('Hi Bob (first: Ana)');
  });

  it('a filter defines the items too; a wildcard over that array reads the item, another filter the whole body', async () => {
    const ana = await contactWithConversation('Ana', 'ana@example.com');
    const cy = await contactWithConversation('Cy', 'cy@example.com');
    const hook = await publishWebhookWorkflow(server, {
      identifier: { type: 'email', jsonKey: '$.data[?@.type=="lead"].email' },
      mappings: [
        { jsonKey: "$.data[? @.type == 'lead'].name", variable: 'name' },
        // The lead's own name, as a `[*]` mapping beside a `[*]` identifier would be.
        { jsonKey: '$.data[*].name', variable: 'own' },
        { jsonKey: '$.data[?@.type != "nobody"].name', variable: 'everyone' },
      ],
    }, say('{{$trigger.name}} ({{$trigger.own}}) of {{$trigger.everyone}}'));
    const res = await post(hook.path, { data: [
      { type: 'lead', email: 'ana@example.com', name: 'Ana' },
      { type: 'client', email: 'bob@example.com', name: 'Bob' },
      { type: 'lead', email: 'cy@example.com', name: 'Cy' },
    ] });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.runIds).toHaveLength(2);
    await Promise.all((res.body.runIds as string[]).map((id) => waitForRun(server, id)));
    expect(await comments(ana.conversationId)).toContain('Ana (Ana) of Ana, Bob, Cy');
    expect(await comments(cy.conversationId)).toContain('Cy (Cy) of Ana, Bob, Cy');
  });

  it('an unmatched item starts nothing and is listed; an item missing a value notes it in its own run; a repeat answers the same', async () => {
    const ana = await contactWithConversation('Ana', 'ana@example.com');
    const bob = await contactWithConversation('Bob', 'bob@example.com');
    const hook = await publishWebhookWorkflow(server, {
      identifier: { type: 'email', jsonKey: '$[*].email' }, mappings: [{ jsonKey: '$[*].name', variable: 'name' }],
    }, say('Hi {{$trigger.name}}'));
    const body = [{ email: 'ana@example.com', name: 'Ana' }, { email: 'zed@example.com', name: 'Zed' }, { name: 'No email' }, { email: 'bob@example.com' }];
    const first = await post(hook.path, body, { 'idempotency-key': 'batch-1' });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body.unmatched).toEqual(['zed@example.com']);
    const [anaRun, bobRun] = await Promise.all((first.body.runIds as string[]).map((id) => waitForRun(server, id)));
    expect([anaRun.contactId, bobRun.contactId]).toEqual([ana.id, bob.id]);
    expect(anaRun.variables.trigger).toEqual({ name: 'Ana' });
    expect(JSON.stringify(anaRun.stepLog)).not.toContain('matched nothing');
    expect(bobRun.variables.trigger).toEqual({ name: null });
    expect(bobRun.stepLog[0]).toMatchObject({ stepId: 'trigger', notes: ['mapping name: $[*].name matched nothing in $[3]'] });

    const again = await post(hook.path, body, { 'idempotency-key': 'batch-1' });
    expect(again.headers.get('x-duplicate-delivery')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await server.store.db.selectFrom('runs').select('id').execute()).toHaveLength(2);
  });

  it('once per contact: the first item naming the contact starts its run, the next is noted', async () => {
    const ana = await contactWithConversation('Ana', 'ana@example.com');
    const bob = await contactWithConversation('Bob', 'bob@example.com');
    const hook = await orderHook();
    const current = await admin().get(`/workflows/${hook.id}`);
    const { id: _id, status: _s, version: _v, createdAt: _c, updatedAt: _u, publishedAt: _p, ...def } = current.body;
    expect((await admin().put(`/workflows/${hook.id}`, { ...def, oncePerContact: true })).status).toBe(200);
    const res = await post(hook.path, orders);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const runs = await Promise.all((res.body.runIds as string[]).map((id) => waitForRun(server, id)));
    expect(runs.map((r) => [r.contactId, r.variables.trigger.order])).toEqual([[ana.id, 'o-1'], [bob.id, 'o-2']]);
    const [event] = await server.store.db.selectFrom('events').select('note').where('type', '=', 'webhook.received').execute();
    expect(event!.note).toBe(`once per contact: already enrolled, not started: ${hook.id} for ${ana.id}`);
  });

  it('with no mapping through the item, two items naming one contact are one run, as before items', async () => {
    const ana = await contactWithConversation('Ana', 'ana@example.com');
    const hook = await publishWebhookWorkflow(server, {
      identifier: { type: 'email', jsonKey: '$.orders[*].customer.email' }, mappings: [{ jsonKey: '$.batch', variable: 'batch' }],
    }, say('Batch {{$trigger.batch}}'));
    const res = await post(hook.path, orders);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.runIds).toHaveLength(1);
    const run = await waitForRun(server, res.body.runIds[0]);
    expect([run.contactId, run.variables.trigger]).toEqual([ana.id, { batch: 'B-7' }]);
    expect(res.body.unmatched).toEqual(['bob@example.com']);
  });

  it('the mapping tester shows each item: its contact and the values its runs get', async () => {
    const ana = await makeContact(server, { email: 'ana@example.com' });
    const hook = await orderHook();
    const sample = { ...orders, orders: [...orders.orders, { id: 'o-4', customer: { email: 'nobody@example.com' }, total: 1 }] };
    const res = await admin().post(`/workflows/${hook.id}/webhook/test`, { body: sample });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const tested = WebhookTestResult.strict().parse(res.body);
    // The fields before items say what each path selects in the whole body, as they did.
    expect(tested).toMatchObject({
      identifier: { values: ['ana@example.com', 'bob@example.com', 'ANA@example.com', 'nobody@example.com'] },
      contactIds: [ana.id], variables: { name: ['Ana', 'Bob', 'Ana R.'], batch: 'B-7' }, errors: [],
    });
    const totals = [30, 12.5, 8, 1];
    expect(tested.items).toEqual([
      { path: '$.orders[0]', identifier: ['ana@example.com'], contactIds: [ana.id], variables: { name: 'Ana', total: 30, order: 'o-1', batch: 'B-7', totals }, errors: [] },
      { path: '$.orders[1]', identifier: ['bob@example.com'], contactIds: [], variables: { name: 'Bob', total: 12.5, order: 'o-2', batch: 'B-7', totals }, errors: [] },
      { path: '$.orders[2]', identifier: ['ANA@example.com'], contactIds: [ana.id], variables: { name: 'Ana R.', total: 8, order: 'o-3', batch: 'B-7', totals }, errors: [] },
      {
        path: '$.orders[3]', identifier: ['nobody@example.com'], contactIds: [], variables: { total: 1, order: 'o-4', batch: 'B-7', totals },
        errors: [{ variable: 'name', jsonKey: '$.orders[*].customer.name', message: '$.orders[*].customer.name matched nothing in $.orders[3]' }],
      },
    ]);
    // An identifier that does not iterate has no items: the answer is as before.
    const single = await publishWebhookWorkflow(server, { identifier: { type: 'email', jsonKey: '$.email' }, mappings: [{ jsonKey: '$.name', variable: 'name' }] }, say('{{$trigger.name}}'));
    const plain = await admin().post(`/workflows/${single.id}/webhook/test`, { body: { email: 'ana@example.com', name: 'Ana' } });
    expect(plain.body).not.toHaveProperty('items');
  });
}
