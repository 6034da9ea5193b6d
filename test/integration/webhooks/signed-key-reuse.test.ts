import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSigningSecret, signHeaders } from '../../../server/signing/standard-webhooks';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from './support';

// A key reused with another body is refused (409) naming the header the sender really used: a
// signed delivery's key is its webhook-id, an unsigned one's the Idempotency-Key header.

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ workers: false }); });
afterEach(async () => { await server.close(); });

const post = (path: string, body: string, headers: Record<string, string>) =>
  server.request('POST', path, { body, headers: { 'content-type': 'application/json', ...headers } });

describe('a delivery key reused with another body', () => {
  it('names webhook-id on a signed webhook', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const secret = generateSigningSecret();
    const hook = await publishWebhookWorkflow(server, { signingSecret: secret });
    const first = JSON.stringify({ phone: '+14155550123', order: { id: 1 } });
    const second = JSON.stringify({ phone: '+14155550123', order: { id: 2 } });
    expect((await post(hook.path, first, signHeaders(secret, { id: 'msg_1', timestamp: new Date(), body: first }))).status).toBe(202);
    const reused = await post(hook.path, second, signHeaders(secret, { id: 'msg_1', timestamp: new Date(), body: second }));
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(reused.body.error.message).toMatch(/^This webhook-id was already used for another body/);
    expect(reused.body.error.message).not.toMatch(/Idempotency-Key/);
  });

  it('names webhook-id when both arrive at once', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const secret = generateSigningSecret();
    const hook = await publishWebhookWorkflow(server, { signingSecret: secret });
    const bodies = [1, 2].map((id) => JSON.stringify({ phone: '+14155550123', order: { id } }));
    const [a, b] = await Promise.all(bodies.map((body) => post(hook.path, body, signHeaders(secret, { id: 'msg_2', timestamp: new Date(), body }))));
    expect([a!.status, b!.status].sort()).toEqual([202, 409]);
    expect([a!, b!].find((r) => r.status === 409)!.body.error.message).toMatch(/^This webhook-id was already used/);
  });

  it('names Idempotency-Key on an unsigned one', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    expect((await post(hook.path, '{"phone":"+14155550123","order":{"id":1}}', { 'idempotency-key': 'k1' })).status).toBe(202);
    const reused = await post(hook.path, '{"phone":"+14155550123","order":{"id":2}}', { 'idempotency-key': 'k1' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.message).toMatch(/^This Idempotency-Key was already used/);
  });
});
