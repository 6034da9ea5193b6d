import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow } from './support';

// WEBHOOK_RATE_LIMIT_PER_MINUTE, read with the rest of the configuration.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { WEBHOOK_RATE_LIMIT_PER_MINUTE: '2' } });
});
afterAll(async () => {
  await server.close();
});

const post = (path: string) => server.request('POST', path, { body: JSON.stringify({ phone: '+14155550123' }), headers: { 'content-type': 'application/json' } });

describe('POST /hooks/:token rate limit', () => {
  it('counts per URL token and answers 429 with the x-ratelimit headers and retry-after', async () => {
    await makeContact(server, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(server);
    const first = await post(hook.path);
    expect(first.status).toBe(202);
    expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual(['2', '1']);
    expect((await post(hook.path)).status).toBe(202);
    const third = await post(hook.path);
    expect(third.status).toBe(429);
    expect(third.body).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/^Rate limit exceeded, retry in /) } });
    expect(third.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another URL has its own count.
    expect((await post('/hooks/some-other-token')).status).toBe(404);
  });
});
