import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { PaymentApp, ReceivedRequest } from '../../examples/payment-app/server';
import { waitFor } from '../support/wait';
import type { TestServer } from '../support/server';
import { eachPaymentsWorld, registerAndInstallPayments } from './apps-support';

// Rotating an app's signing secret without breaking its server: for 24 hours every request
// carries two signatures (Standard Webhooks' `v1,<new> v1,<previous>`), so the example Payments
// app, still holding the old secret, keeps verifying everything until it is given the new one.

let server: TestServer;
let payments: PaymentApp;

eachPaymentsWorld((world) => ({ server, payments } = world));

const admin = () => server.api(server.adminToken);
const PHONE = '+14155550100';

const headersOf = (r: ReceivedRequest) => ({
  'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']),
});
const verifies = (secret: string, r: ReceivedRequest) => {
  try {
    new Webhook(secret).verify(JSON.stringify(r.body), headersOf(r));
    return true;
  } catch {
    return false;
  }
};

async function refundRun(appId: string, key: string) {
  const fired = await server.api(key).post(`/apps/${appId}/triggers/payment_paid`, { contact: { phone: PHONE }, items: { status: 'paid', amount: 5 } });
  expect(fired.status, JSON.stringify(fired.body)).toBe(202);
  return waitFor('the run to finish', async () => {
    const r = await admin().get(`/runs/${fired.body.runIds[0]}`);
    return ['completed', 'failed'].includes(r.body.status) ? r.body : undefined;
  });
}

describe('POST /apps/:id/signing-secret/rotate', () => {
  it('signs with the new and the previous secret for 24 hours: the app holding the old one goes on accepting everything', async () => {
    const { appId, secret: old, key } = await registerAndInstallPayments(server, payments);
    expect((await admin().post('/contacts', { firstName: 'Ada', phone: PHONE })).status).toBe(201);
    const before = Date.now();
    const rotated = await admin().post(`/apps/${appId}/signing-secret/rotate`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const fresh = rotated.body.signingSecret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    expect(JSON.stringify((await admin().get('/apps')).body)).not.toContain(fresh);

    // An action: the app (old secret) verifies it; so would one given the new secret.
    const wf = await admin().post('/workflows', {
      name: 'Refund', trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' }, status: 'published',
      steps: [{ id: 'r', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { orderId: 'ord_1' } } }],
    });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    expect((await refundRun(appId, key)).status).toBe('completed');
    const refund = payments.received.refunds[0]!;
    expect(refund.verified).toBe(true);
    expect(String(refund.headers['webhook-signature'])).toMatch(/^v1,\S+ v1,\S+$/);
    expect([verifies(fresh, refund), verifies(old, refund)]).toEqual([true, true]);

    // The reviewer's case: uninstall right after the rotation; the unsubscribe is taken at once.
    expect((await admin().post(`/workflows/${wf.body.id}/unpublish`)).status).toBe(200);
    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
    const unsub = await waitFor('the unsubscribe request', async () => payments.received.unsubscribe[0]);
    expect(unsub.verified).toBe(true);
    expect(verifies(fresh, unsub)).toBe(true);
    await waitFor('no delivery left', async () => ((await admin().get(`/apps/${appId}`)).body.deliveries.length === 0 ? true : undefined));
    expect(payments.received.unsubscribe).toHaveLength(1);

    // A subscribe as well.
    expect((await admin().post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_42' } })).status).toBe(201);
    const sub = payments.received.subscribe.at(-1)!;
    expect([sub.verified, verifies(fresh, sub)]).toEqual([true, true]);
  });

  it('refuses a second rotation while the previous secret still signs, unless forced; once the overlap ends only the new secret signs', async () => {
    const { appId, secret: first } = await registerAndInstallPayments(server, payments);
    const second = (await admin().post(`/apps/${appId}/signing-secret/rotate`)).body.signingSecret as string;

    const again = await admin().post(`/apps/${appId}/signing-secret/rotate`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('rotation_in_progress');
    expect(again.body.error.message).toMatch(/still signs until .*force=true/);
    expect((await admin().post(`/apps/${appId}/signing-secret/rotate?force=nope`)).status).toBe(422);

    const forced = await admin().post(`/apps/${appId}/signing-secret/rotate?force=true`);
    expect(forced.status, JSON.stringify(forced.body)).toBe(200);
    const third = forced.body.signingSecret as string;
    payments.setSigningSecret(second);
    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
    const unsub = await waitFor('the unsubscribe request', async () => payments.received.unsubscribe[0]);
    expect([verifies(third, unsub), verifies(second, unsub), verifies(first, unsub)]).toEqual([true, true, false]);

    // The overlap's end, a day later.
    await server.store.db.updateTable('apps').set({ previous_signing_secret_expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', appId).execute();
    payments.setSigningSecret(third);
    expect((await admin().post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_42' } })).status).toBe(201);
    const sub = payments.received.subscribe.at(-1)!;
    expect(String(sub.headers['webhook-signature'])).toMatch(/^v1,\S+$/);
    expect([verifies(third, sub), verifies(second, sub)]).toEqual([true, false]);
    // Rotating again is free once the overlap ended.
    expect((await admin().post(`/apps/${appId}/signing-secret/rotate`)).status).toBe(200);
  });

  it('answers 404 for an unknown app', async () => {
    expect((await admin().post('/apps/app_nope/signing-secret/rotate')).status).toBe(404);
  });
});
