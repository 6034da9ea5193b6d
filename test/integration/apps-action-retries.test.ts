import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paymentManifest, startPaymentApp, type PaymentApp } from '../../examples/payment-app/server';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';

// A mini-app action goes out as an HTTP request step does (server/outbound/call.ts): its POST is
// not sent again after an answer that may follow work done, and the run log keeps what came back.
let server: TestServer;
let payments: PaymentApp;
let gateway: http.Server;
let refunds = 0;

beforeEach(async () => {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  payments = await startPaymentApp({ port: 0, companionUrl: server.url });
  refunds = 0;
  // In front of the app: the refund fails with a 500 after the app's ledger took it, say.
  gateway = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.url === '/refunds') { refunds++; res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"ledger timeout after booking"}'); return; }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
    const answer = await fetch(payments.url + req.url, { method: req.method!, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
});
afterEach(async () => {
  await new Promise((r) => gateway.close(r));
  await payments.close();
  await server.close();
});

describe('mini_app_action quick attempts', () => {
  it('sends a POST answered 500 once, fails with the answer, and keeps it in the step\'s output', async () => {
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
    const key = payments.received.subscribe[0]!.body.apiKey;
    const fired = await server.api(key).post(`/apps/${appId}/triggers/payment_paid`, {
      contact: { phone: '+14155550111' }, items: { status: 'paid', amount: 10, order: { id: 'ord_7', total: 10 } },
    });
    expect(fired.status, JSON.stringify(fired.body)).toBe(202);
    const run = await waitFor('the run to end', async () => {
      const r = (await admin.get(`/runs/${fired.body.runIds[0]}`)).body;
      return ['completed', 'failed', 'waiting'].includes(r.status) ? r : undefined;
    });
    expect(run.status).toBe('failed');
    expect(refunds).toBe(1);
    expect(run.error).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/refunds answered HTTP 500: \{"error":"ledger timeout after booking"\}$/);
    expect(run.stepLog[0]).toMatchObject({
      status: 'failed', output: { status: 500, attempts: 1, response: '{"error":"ledger timeout after booking"}' },
      notes: expect.arrayContaining([expect.stringMatching(/^attempt 1: HTTP 500; no quick retry/)]),
    });
  });
});
