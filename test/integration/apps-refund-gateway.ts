import http from 'node:http';
import { expect } from 'vitest';
import { paymentManifest, type PaymentApp } from '../../examples/payment-app/server';
import { listenOnLoopback } from '../support/loopback-proxy';
import type { TestServer } from '../support/server';
import { waitFor } from '../support/wait';

// For the suites on how a mini-app action goes out (apps-action-retries, apps-action-rotation,
// http-step-redirect-body): the example Payments app behind a gateway that answers some of its
// requests otherwise (a 5xx, a redirect), and a workflow whose run asks the app for a refund.

/**
 * A loopback server in front of the Payments app: `answer` takes a request (its body read) by
 * answering it and returning true; every other one goes through to the app, its answer back.
 */
export async function paymentsGateway(payments: PaymentApp, answer: (req: http.IncomingMessage, res: http.ServerResponse) => boolean) {
  return listenOnLoopback(http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (answer(req, res)) return;
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
    const reply = await fetch(payments.url + req.url, { method: req.method!, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
    res.writeHead(reply.status, { 'content-type': reply.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await reply.arrayBuffer()));
  }));
}

/**
 * Payments registered with its URLs at `appUrl` (its gateway) and installed for acct_42, Grace a
 * contact, and a published workflow that refunds the order of each payment_paid: the app's id.
 */
export async function refundOnPaymentPaid(server: TestServer, payments: PaymentApp, appUrl: string) {
  const admin = server.api(server.adminToken);
  const registered = (await admin.post('/apps', paymentManifest(appUrl))).body;
  const appId = registered.app.id as string;
  payments.setSigningSecret(registered.signingSecret);
  expect((await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_42' } })).status).toBe(201);
  await admin.post('/contacts', { firstName: 'Grace', phone: '+14155550111' });
  const wf = await admin.post('/workflows', {
    name: 'Refund', trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' },
    steps: [{ id: 'refund', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { orderId: '{{$trigger.order.id}}' } } }],
  });
  expect((await admin.post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
  return appId;
}

/** The app fires payment_paid for Grace's order ord_7, with the key it got on subscribe: the run's id. */
export async function firePaymentPaid(server: TestServer, payments: PaymentApp, appId: string) {
  const fired = await server.api(payments.received.subscribe[0]!.body.apiKey).post(`/apps/${appId}/triggers/payment_paid`, {
    contact: { phone: '+14155550111' }, items: { status: 'paid', amount: 10, order: { id: 'ord_7', total: 10 } },
  });
  expect(fired.status, JSON.stringify(fired.body)).toBe(202);
  return fired.body.runIds[0] as string;
}

/** The run once it stopped (completed, failed or waiting), as GET /runs/:id shows it. */
export const stoppedRun = (server: TestServer, runId: string) => waitFor('the run to end', async () => {
  const r = (await server.api(server.adminToken).get(`/runs/${runId}`)).body;
  return ['completed', 'failed', 'waiting'].includes(r.status) ? r : undefined;
});
