import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { WebhookAck } from '../../../lib/contracts/webhooks';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from './support';

// A server that stops after storing a delivery but before its 202 reached the sender (a crash,
// a deploy): the sender retries. With the same Idempotency-Key the server started afterwards
// answers the first 202 again and starts no second run; without a key, intake is at least once.
const servers: TestServer[] = [];
let dir = '';
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close().catch(() => {});
  if (dir) await rm(dir, { recursive: true, force: true });
});

const start = async (file: string) => {
  const s = await startTestServer({ sqliteFile: file, env: { COMPANION_ADMIN_TOKEN: 'ict_key_after_restart_admin_token_0123456789' } });
  servers.push(s);
  return s;
};
const deliver = (s: TestServer, hookPath: string, headers: Record<string, string> = {}) =>
  s.request('POST', hookPath, { body: JSON.stringify({ phone: '+14155550123', order: { id: 'A-1' } }), headers: { 'content-type': 'application/json', ...headers } });

it('a delivery retried with its Idempotency-Key after a restart gets the first answer and no second run; one without a key runs again', async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'companion-key-restart-'));
  const file = path.join(dir, 'companion.sqlite');
  const first = await start(file);
  await makeContact(first, { phone: '+14155550123' });
  const hook = await publishWebhookWorkflow(first);
  const stored = await deliver(first, hook.path, { 'idempotency-key': 'order-A-1-paid' });
  const unkeyed = await deliver(first, hook.path);
  expect([stored.status, unkeyed.status]).toEqual([202, 202]);
  await first.close();

  const second = await start(file);
  const retried = await deliver(second, hook.path, { 'idempotency-key': 'order-A-1-paid' });
  expect(retried.status, JSON.stringify(retried.body)).toBe(202);
  expect(WebhookAck.parse(retried.body)).toEqual(WebhookAck.parse(stored.body));
  expect(retried.headers.get('x-duplicate-delivery')).toBe('true');
  const again = await deliver(second, hook.path);
  expect(again.status).toBe(202);
  expect(WebhookAck.parse(again.body).runIds[0]).not.toBe(WebhookAck.parse(unkeyed.body).runIds[0]);
  const runs = (await second.api(second.adminToken).get(`/workflows/${hook.id}/runs`)).body as { runs: { id: string }[] };
  expect(runs.runs).toHaveLength(3);
});
