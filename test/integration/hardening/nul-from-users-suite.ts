import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPaymentApp, type PaymentApp } from '../../../examples/payment-app/server';
import { startTestServer, type TestServer } from '../../support/server';
import { registerAndInstallPayments } from '../apps-support';
import { createWorkflow, runsOf } from '../engine-support';

// Values our users (and their apps) send that a workflow keeps and renders later: a NUL, which
// neither store holds, used to be accepted (202) and fail the run. It is a 422 up front naming
// the value, like every other check of these routes, and nothing is recorded. Run on SQLite
// (nul-from-users.test.ts) and PostgreSQL (nul-from-users.pg.test.ts).

const NUL_MESSAGE = 'Text may not contain NUL (\\u0000) characters';

export function nulFromUsersSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let payments: PaymentApp | undefined;
  beforeEach(async () => { server = await startTestServer({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }); });
  afterEach(async () => {
    await payments?.close();
    payments = undefined;
    await server.close();
  });
  const admin = () => server.api(server.adminToken);
  const events = async () => (await server.events()).map((e) => e.type);

  async function openConversation() {
    const contact = (await admin().post('/contacts', { firstName: 'Ada', phone: '+14155550123' })).body;
    const conversation = (await admin().post('/conversations', { contactId: contact.id })).body;
    return { contactId: contact.id as string, conversationId: conversation.id as string };
  }

  it('a shortcut form value: 422 on values.orderId, no run; the same form without the NUL launches', async () => {
    const form = { fields: [
      { label: 'Order ID', type: 'text' as const, variable: 'orderId', required: true },
      { label: 'Reason', type: 'list' as const, variable: 'reason', required: true, options: ['Damaged', 'Late'] },
    ] };
    const wf = await createWorkflow(server, { name: 'Refund', trigger: { type: 'shortcut', name: 'Refund', form }, steps: [{ id: 'note', type: 'add_comment', config: { text: 'Refund {{$trigger.orderId}}' } }] });
    const { conversationId } = await openConversation();
    const { token } = await server.createUser('agent');
    const res = await server.api(token).post(`/shortcuts/${wf.id}/launch`, { conversationId, values: { orderId: 'a\u0000b', reason: 'Late' } });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'values.orderId', message: NUL_MESSAGE }]);
    expect(await runsOf(server, wf.id)).toEqual([]);
    const ok = await server.api(token).post(`/shortcuts/${wf.id}/launch`, { conversationId, values: { orderId: 'ab', reason: 'Late' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(202);
  });

  it('a workflow started with variables: 422 on variables.orderId, no event', async () => {
    const wf = await createWorkflow(server, { name: 'Sub flow', trigger: { type: 'manual' }, steps: [{ id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}}' } }] });
    const { contactId } = await openConversation();
    const res = await admin().post(`/workflows/${wf.id}/start`, { contact: { id: contactId }, variables: { orderId: 'A\u000077', note: 'fine' } });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'variables.orderId', message: NUL_MESSAGE }]);
    expect(await events()).not.toContain('workflow.started');
  });

  it('a mini-app trigger fired with items: 422 naming every place, also inside a json item and its keys; no event', async () => {
    payments = await startPaymentApp({ port: 0, companionUrl: server.url });
    const { appId, key } = await registerAndInstallPayments(server, payments);
    await openConversation();
    const res = await server.api(key).post(`/apps/${appId}/triggers/payment_paid`, {
      contact: { phone: '+14155550123' }, items: { status: 'pa\u0000id', amount: 10, order: { lines: [{ sku: 'A\u0000' }], 'no\u0000te': 'x' } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toEqual(expect.arrayContaining([
      { path: 'items.status', message: NUL_MESSAGE },
      { path: 'items.order.lines.0.sku', message: NUL_MESSAGE },
      { path: 'items.order.no\u0000te', message: NUL_MESSAGE },
    ]));
    expect(res.body.error.details).toHaveLength(3);
    expect(await events()).not.toContain('mini_app.triggered');
  });

  it('a contact\'s field: 422 naming body.lastName (the database refuses it, naming nothing); an import row names contacts.0.firstName', async () => {
    const res = await admin().post('/contacts', { firstName: 'Ada', lastName: '\u0000x' });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error).toEqual({ code: 'invalid_content', message: `${NUL_MESSAGE}: body.lastName`, details: [{ path: 'body.lastName', message: NUL_MESSAGE }] });
    const imported = await admin().post('/contacts/import', { contacts: [{ firstName: 'A\u0000da', phone: '+14155550123' }, { firstName: 'Bo' }] });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.results[0]).toEqual({
      index: 0, status: 'error', contactId: null, message: `contacts[0].firstName: ${NUL_MESSAGE}`, details: [{ path: 'contacts.0.firstName', message: NUL_MESSAGE }],
    });
    expect(imported.body.results[1]).toMatchObject({ status: 'created' });
  });
}
