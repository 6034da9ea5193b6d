import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPaymentApp, type PaymentApp } from '../../examples/payment-app/server';
import { miniAppActionTiming } from '../../server/engine/steps/mini-app-action';
import { startTestServer, type TestServer } from '../support/server';
import { firePaymentPaid, paymentsGateway, refundOnPaymentPaid } from './apps-refund-gateway';

// A mini-app action retried after its app's signing secret was rotated: the retry is signed with
// the new secret, which the app's owner installed in the meantime (else the retry would be
// refused by an app that did everything right).
let server: TestServer;
let payments: PaymentApp;
let gateway: Awaited<ReturnType<typeof paymentsGateway>>;
let refundAttempts = 0;

beforeEach(async () => {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  payments = await startPaymentApp({ port: 0, companionUrl: server.url });
  // In front of the app: the first refund attempt meets a 503 (a deploy, say); the rest pass through.
  gateway = await paymentsGateway(payments, (req, res) => {
    if (req.url !== '/refunds' || ++refundAttempts !== 1) return false;
    res.writeHead(503).end('deploying');
    return true;
  });
  refundAttempts = 0;
});
afterEach(async () => {
  miniAppActionTiming.sleep = undefined;
  await gateway.close();
  await payments.close();
  await server.close();
});

describe('mini_app_action after a signing-secret rotation', () => {
  it('signs the retry with the secret current at that attempt', async () => {
    const admin = server.api(server.adminToken);
    const appId = await refundOnPaymentPaid(server, payments, gateway.url);

    // Between the 503 and the retry, the admin rotates the secret and the app's owner installs it.
    miniAppActionTiming.sleep = async () => {
      const rotated = await admin.post(`/apps/${appId}/signing-secret/rotate`);
      payments.setSigningSecret(rotated.body.signingSecret);
    };
    const runId = await firePaymentPaid(server, payments, appId);
    let run: any;
    for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
      run = (await admin.get(`/runs/${runId}`)).body;
      if (['completed', 'failed'].includes(run.status)) break;
    }
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(refundAttempts).toBe(2);
    expect(payments.received.refunds).toHaveLength(1);
    expect(payments.received.refunds[0]!.verified).toBe(true);
  });
});
