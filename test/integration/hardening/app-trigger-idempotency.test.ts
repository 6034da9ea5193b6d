import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPaymentApp, type PaymentApp } from '../../../examples/payment-app/server';
import { startTestServer, type TestServer } from '../../support/server';

// Issue 14: a mini-app trigger's Idempotency-Key reused for another body answers 409, as on /hooks.
let server: TestServer;
let payments: PaymentApp;
beforeEach(async () => {
  server = await startTestServer({ workers: false, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1,localhost' } });
  payments = await startPaymentApp({ port: 0, companionUrl: server.url });
});
afterEach(async () => { await payments?.close(); await server?.close(); });

const simulate = async (body: Record<string, unknown>) => {
  const res = await fetch(`${payments.url}/simulate/payment-paid`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() as any };
};

describe('mini-app trigger Idempotency-Key', () => {
  it('repeats answer like the first; the key with another body is a 409', async () => {
    const admin = server.api(server.adminToken);
    const registered = await admin.post('/apps', payments.manifest());
    expect(registered.status).toBe(201);
    payments.setSigningSecret(registered.body.signingSecret);
    expect((await admin.post(`/apps/${registered.body.app.id}/install`, { authValues: { accountId: 'acct_42' } })).status).toBe(201);
    await admin.post('/contacts', { phone: '+14155550100' });

    const first = await simulate({ phone: '+14155550100', amount: 10, orderId: 'ord_9' });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const again = await simulate({ phone: '+14155550100', amount: 10, orderId: 'ord_9' });
    expect(again).toEqual({ status: 202, body: { ...first.body } });
    // Same order id (so the same key), another amount: not a retry.
    const other = await simulate({ phone: '+14155550100', amount: 20, orderId: 'ord_9' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(await server.events('mini_app.triggered')).toHaveLength(1);
  });
});
