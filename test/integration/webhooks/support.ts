import { expect } from 'vitest';
import type { TestServer } from '../../support/server';

/** Creates and publishes an incoming-webhook workflow through the API; returns its id and URL path. */
export async function publishWebhookWorkflow(server: TestServer, trigger: Record<string, unknown> = {}, steps: unknown[] = []) {
  const admin = server.api(server.adminToken);
  const created = await admin.post('/workflows', {
    name: 'Order shipped',
    trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }], ...trigger },
    steps: steps.length ? steps : [{ id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}} shipped' } }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const published = await admin.post(`/workflows/${created.body.id}/publish`);
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  const url = new URL(created.body.trigger.url as string);
  return { id: created.body.id as string, path: url.pathname };
}

export async function makeContact(server: TestServer, body: Record<string, unknown>) {
  const res = await server.api(server.adminToken).post('/contacts', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; phone: string | null; email: string | null };
}

export async function waitForRun(server: TestServer, runId: string, timeoutMs = 10_000) {
  const admin = server.api(server.adminToken);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await admin.get(`/runs/${runId}`);
    if (res.status === 200 && ['completed', 'failed', 'cancelled'].includes(res.body.status)) return res.body;
    if (Date.now() > until) throw new Error(`run ${runId} did not finish: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
