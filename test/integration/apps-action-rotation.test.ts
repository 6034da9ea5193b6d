import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paymentManifest, startPaymentApp, type PaymentApp } from '../../examples/payment-app/server';
import { miniAppActionTiming } from '../../server/engine/steps/mini-app-action';
import { startTestServer, type TestServer } from '../support/server';

// A mini-app action retried after its app's signing secret was rotated: the retry is signed with
// the new secret, which the app's owner installed in the meantime (else the retry would be
// refused by an app that did everything right).
let server: TestServer;
let payments: PaymentApp;
let gateway: http.Server;
let refundAttempts = 0;

beforeEach(async () => {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  payments = await startPaymentApp({ port: 0, companionUrl: server.url });
  // In front of the app: the first refund attempt meets a 503 (a deploy, say); the rest pass through.
  gateway = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.url === '/refunds' && ++refundAttempts === 1) { res.writeHead(503).end('deploying'); return; }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
    const answer = await fetch(payments.url + req.url, { method: req.method!, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  refundAttempts = 0;
});
afterEach(async () => {
  miniAppActionTiming.sleep = undefined;
  await new Promise((r) => gateway.close(r));
  await payments.close();
  await server.close();
});

describe('mini_app_action after a signing-secret rotation', () => {
  it('signs the retry with the secret current at that attempt', async () => {
    const admin = server.api(server.adminToken);
    const registered = (await admin.post('/apps', paymentManifest(`http://127.0.0.1:${(gateway.address() as AddressInfo).port}`))).body;
    const appId = registered.app.id as string;
    payments.setSigningSecret(registered.signingSecret);
    expect((await admin.post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_42' } })).status).toBe(201);
    await admin.post('/contacts', { firstName: 'Grace', phone: '+14155550111' });
    const wf = await admin.post('/workflows', {
      name: 'Refund', trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' },
      steps: [{ id: 'refund', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { orderId: '{{$trigger.order.id}}' } } }],
    });
    expect((await admin.post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);

    // Between the 503 and the retry, the admin rotates the secret and the app's owner installs it.
    miniAppActionTiming.sleep = async () => {
      const rotated = await admin.post(`/apps/${appId}/signing-secret/rotate`);
      payments.setSigningSecret(rotated.body.signingSecret);
    };
    const key = payments.received.subscribe[0]!.body.apiKey;
    const fired = await server.api(key).post(`/apps/${appId}/triggers/payment_paid`, {
      contact: { phone: '+14155550111' }, items: { status: 'paid', amount: 10, order: { id: 'ord_7', total: 10 } },
    });
    expect(fired.status, JSON.stringify(fired.body)).toBe(202);
    let run: any;
    for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
      run = (await admin.get(`/runs/${fired.body.runIds[0]}`)).body;
      if (['completed', 'failed'].includes(run.status)) break;
    }
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(refundAttempts).toBe(2);
    expect(payments.received.refunds).toHaveLength(1);
    expect(payments.received.refunds[0]!.verified).toBe(true);
  });
});
