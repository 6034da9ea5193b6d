import { createHmac } from 'node:crypto';
import { expect, it } from 'vitest';
import type { PaymentApp } from '../../examples/payment-app/server';
import type { TestServer } from '../support/server';
import { eachPaymentsWorld, registerAndInstallPayments } from './apps-support';

// Someone verifying a mini-app request without a Standard Webhooks library, from /docs alone:
// keyed with the secret's text, nothing verifies; the docs must say the key is the base64 after
// `whsec_` (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md).

let server: TestServer;
let payments: PaymentApp;
eachPaymentsWorld((world) => ({ server, payments } = world));

const hmac = (key: Buffer | string, id: string, ts: string, body: string) => createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');

it('x-webhooks says how the key is made, and a subscribe request verifies done that way (and only that way)', async () => {
  const doc = (await server.request('GET', '/docs/json')).body;
  const said = doc['x-webhooks'].appSubscribe.post.parameters.find((p: { name: string }) => p.name === 'webhook-signature').description as string;
  expect(said).toContain('The HMAC key is the app\'s signing secret base64-decoded after its `whsec_` prefix');
  expect(said).toContain('The action calls a workflow\'s mini-app step makes to the app carry the same three headers');

  const { secret } = await registerAndInstallPayments(server, payments);
  const request = payments.received.subscribe.at(-1)!;
  const [id = '', ts = '', signature] = ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => String(request.headers[h]));
  const body = JSON.stringify(request.body);
  expect(signature).toBe(`v1,${hmac(Buffer.from(secret.slice('whsec_'.length), 'base64'), id, ts, body)}`);
  expect(signature).not.toBe(`v1,${hmac(secret, id, ts, body)}`);
});
