import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// The x-ratelimit-* headers every counted answer carries are declared in /docs/json where they
// are sent (the successes and the 429), so generated clients expose them and a client can pace
// itself from `remaining` instead of waiting for the 429.

let server: TestServer;
let doc: any;
beforeAll(async () => {
  server = await startTestServer({ workers: false, config: { rateLimitPerMinute: 6 } });
  doc = (await server.request('GET', '/docs/json')).body;
});
afterAll(async () => { await server?.close(); });

const declared = (path: string, method: string, status: number) => Object.keys(doc.paths[path][method].responses[String(status)].headers ?? {});

describe('the rate-limit headers in /docs/json are the ones the answers carry', () => {
  it('on a 201 and a 204', async () => {
    const admin = server.api(server.adminToken);
    const created = await admin.post('/contacts', { firstName: 'Ana' });
    expect(created.status).toBe(201);
    const deleted = await admin.del(`/contacts/${created.body.id}`);
    expect(deleted.status).toBe(204);
    for (const [answer, path, method] of [[created, '/api/v1/contacts', 'post'], [deleted, '/api/v1/contacts/{id}', 'delete']] as const) {
      expect(declared(path, method, answer.status)).toEqual(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
      for (const name of declared(path, method, answer.status)) expect(answer.headers.get(name), `${path} ${name}`).toMatch(/^\d+$/);
    }
    expect(doc.paths['/api/v1/contacts'].post.responses['201'].headers['x-ratelimit-remaining']).toEqual({ schema: { type: 'integer' }, description: 'Requests left in the current window' });
  });

  it('on the event stream too, whose head is written by hand', async () => {
    const stop = new AbortController();
    const res = await fetch(`${server.url}/api/v1/events/stream`, { headers: { authorization: `Bearer ${server.adminToken}` }, signal: stop.signal });
    expect(res.status).toBe(200);
    expect(declared('/api/v1/events/stream', 'get', 200)).toEqual(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
    for (const name of declared('/api/v1/events/stream', 'get', 200)) expect(res.headers.get(name), name).toMatch(/^\d+$/);
    stop.abort();
  });

  it('on the 429, with Retry-After', async () => {
    let res;
    for (let i = 0; i < 10; i++) res = await server.api(server.adminToken).get('/tags');
    expect(res!.status).toBe(429);
    expect(declared('/api/v1/tags', 'get', 429)).toEqual(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']);
    for (const name of declared('/api/v1/tags', 'get', 429)) expect(res!.headers.get(name), name).toMatch(/^\d+$/);
  });
});
