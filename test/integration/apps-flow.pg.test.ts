import { afterEach, beforeEach, expect, it } from 'vitest';
import { startPaymentApp, type PaymentApp } from '../../examples/payment-app/server';
import { waitFor } from '../support/wait';
import { startTestServer, type TestServer } from '../support/server';
import { describePg, pgUrl } from '../support/postgres';

// The mini-app flow on PostgreSQL: the same queries (install transaction, outbox claims,
// idempotent trigger events) must hold on both dialects.

describePg('mini-apps on PostgreSQL', () => {
  let server: TestServer;
  let payments: PaymentApp;

  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: pgUrl()!, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    payments = await startPaymentApp({ port: 0, companionUrl: server.url });
  });
  afterEach(async () => {
    await payments?.close();
    await server?.close();
  });

  it('registers, installs, fires a trigger into a workflow, and delivers a delayed unsubscribe', async () => {
    const admin = server.api(server.adminToken);
    const registered = (await admin.post('/apps', payments.manifest())).body;
    payments.setSigningSecret(registered.signingSecret);
    const appId = registered.app.id;
    expect((await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_1' } })).status).toBe(201);
    expect((await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_1' } })).status).toBe(409);

    await admin.put('/fields/order_status', { label: 'Order status', type: 'text' });
    const contact = (await admin.post('/contacts', { firstName: 'Ada', phone: '+14155550100' })).body;
    const wf = (await admin.post('/workflows', {
      name: 'Paid', trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' },
      steps: [
        { id: 'a', type: 'update_contact_field', config: { field: 'order_status', value: '{{$trigger.status}} {{$trigger.order.total}}' } },
        { id: 'b', type: 'update_contact_tag', config: { action: 'add', tags: ['paid'] } },
      ],
    })).body;
    expect((await admin.post(`/workflows/${wf.id}/publish`)).status).toBe(200);

    const fire = () => fetch(`${payments.url}/simulate/payment-paid`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '+14155550100', amount: 20, orderId: 'o1' }),
    }).then(async (r) => ({ status: r.status, body: await r.json() as { eventId: string; runIds: string[] } }));
    const [first, second] = await Promise.all([fire(), fire()]);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.eventId).toBe(first.body.eventId);
    expect(await server.events('mini_app.triggered')).toHaveLength(1);

    await waitFor('the run', async () => {
      const c = (await admin.get(`/contacts/${contact.id}`)).body;
      return c.tags.includes('paid') ? c : undefined;
    }).then((c) => expect(c.fields.order_status).toBe('paid 20'));

    const kept = [...payments.installations.values()];
    const port = payments.port;
    await payments.close();
    // A published workflow keeps the app installed (409); unpublished, the uninstall goes through.
    expect((await admin.del(`/apps/${appId}/install`)).status).toBe(409);
    expect((await admin.post(`/workflows/${wf.id}/unpublish`)).status).toBe(200);
    expect((await admin.del(`/apps/${appId}/install`)).status).toBe(204);
    await waitFor('a failed attempt', async () => {
      const row = await server.store.db.selectFrom('outbox').selectAll().executeTakeFirst();
      return row && row.attempts >= 1 ? row : undefined;
    });
    payments = await startPaymentApp({ port, companionUrl: server.url, signingSecret: registered.signingSecret, installations: kept });
    const unsub = await waitFor('the unsubscribe', async () => payments.received.unsubscribe[0]);
    expect(unsub.verified).toBe(true);
  });
});
