import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPaymentApp, type PaymentApp } from '../../examples/payment-app/server';
import { startTestServer, type TestServer } from '../support/server';
import { firePaymentPaid, paymentsGateway, refundOnPaymentPaid, stoppedRun } from './apps-refund-gateway';

// A mini-app action goes out as an HTTP request step does (server/outbound/call.ts): its POST is
// not sent again after an answer that may follow work done, and the run log keeps what came back.
let server: TestServer;
let payments: PaymentApp;
let gateway: Awaited<ReturnType<typeof paymentsGateway>>;
let refunds = 0;

beforeEach(async () => {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  payments = await startPaymentApp({ port: 0, companionUrl: server.url });
  refunds = 0;
  // In front of the app: the refund fails with a 500 after the app's ledger took it, say.
  gateway = await paymentsGateway(payments, (req, res) => {
    if (req.url !== '/refunds') return false;
    refunds++;
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"ledger timeout after booking"}');
    return true;
  });
});
afterEach(async () => {
  await gateway.close();
  await payments.close();
  await server.close();
});

describe('mini_app_action quick attempts', () => {
  it('sends a POST answered 500 once, fails with the answer, and keeps it in the step\'s output', async () => {
    const appId = await refundOnPaymentPaid(server, payments, gateway.url);
    const run = await stoppedRun(server, await firePaymentPaid(server, payments, appId));
    expect(run.status).toBe('failed');
    expect(refunds).toBe(1);
    expect(run.error).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/refunds answered HTTP 500: \{"error":"ledger timeout after booking"\}$/);
    expect(run.stepLog[0]).toMatchObject({
      status: 'failed', output: { status: 500, attempts: 1, response: '{"error":"ledger timeout after booking"}' },
      notes: expect.arrayContaining([expect.stringMatching(/^attempt 1: HTTP 500; no quick retry/)]),
    });
  });
});
