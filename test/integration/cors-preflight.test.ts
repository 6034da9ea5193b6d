import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// A browser asks before a cross-origin call (a preflight). The extension and the server's own
// pages are answered; any other origin is refused as such (403, no CORS headers), not told that
// the URL does not take OPTIONS.

let s: TestServer;
beforeAll(async () => { s = await startTestServer({ workers: false }); });
afterAll(async () => s?.close());

const preflight = (path: string, origin: string) => s.request('OPTIONS', path, {
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
});

describe('CORS preflight', () => {
  it.each(['/api/v1/contacts', '/api/v1/events/stream', '/api/v1/nowhere'])('refuses a foreign origin on %s with 403', async (path) => {
    const res = await preflight(path, 'https://evil.example');
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(res.body.error.code).toBe('cors_origin_refused');
    expect(res.body.error.message).toMatch(/https:\/\/evil\.example are not allowed/);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('allow')).toBeNull();
  });

  it('answers the extension with 204 and its CORS headers', async () => {
    const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
    const res = await preflight('/api/v1/contacts', origin);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  });
});
