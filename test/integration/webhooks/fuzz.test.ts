import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from './support';

// Random bodies, headers and sizes at the two unauthenticated ingestion endpoints:
// every answer is a 2xx or a 4xx with an error message, and the server stays up.
let server: TestServer;
let hookPath: string;
beforeAll(async () => {
  server = await startTestServer({ env: { META_APP_SECRET: 's3cret' } });
  await makeContact(server, { phone: '+14155550123' });
  hookPath = (await publishWebhookWorkflow(server)).path;
});
afterAll(async () => { await server.close(); });

const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x', 'application/vnd.api+json', '', 'application/json; charset=latin1', '*/*');
const bodies = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.record({ phone: fc.oneof(fc.string(), fc.constant('+14155550123'), fc.integer(), fc.array(fc.string(), { maxLength: 150 })), order: fc.jsonValue() }).map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.integer({ min: 0, max: 3 }).map((n) => `{"phone":"+14155550123","pad":"${'x'.repeat(n * 400_000)}"}`),
);
const extraHeaders = fc.dictionary(
  fc.constantFrom('idempotency-key', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-hub-signature-256', 'x-forwarded-for'),
  fc.string({ minLength: 0, maxLength: 60 }).filter((s) => /^[\x21-\x7e ]*$/.test(s)),
);

const ok = (status: number, body: unknown) => {
  expect(status, JSON.stringify(body)).toBeGreaterThanOrEqual(200);
  expect(status, JSON.stringify(body)).toBeLessThan(500);
  if (status >= 400) expect((body as { error?: { message?: string } })?.error?.message).toBeTruthy();
};

describe('fuzzing ingestion endpoints', () => {
  it('/hooks/:token answers 2xx/4xx to anything', async () => {
    await fc.assert(fc.asyncProperty(bodies, contentTypes, extraHeaders, async (body, type, headers) => {
      const h: Record<string, string> = { ...headers };
      if (type) h['content-type'] = type;
      const res = await server.request('POST', hookPath, { body, headers: h });
      ok(res.status, res.body);
    }), { numRuns: 150 });
    expect((await server.request('GET', '/healthz')).status).toBe(200);
  });

  it('/meta/webhook answers 2xx/4xx to anything, signed or not', async () => {
    await fc.assert(fc.asyncProperty(bodies, contentTypes, fc.boolean(), async (body, type, signed) => {
      const h: Record<string, string> = {};
      if (type) h['content-type'] = type;
      if (signed) h['x-hub-signature-256'] = `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`;
      const res = await server.request('POST', '/meta/webhook', { body, headers: h });
      ok(res.status, res.body);
    }), { numRuns: 150 });
    expect((await server.request('GET', '/healthz')).status).toBe(200);
  });
});
