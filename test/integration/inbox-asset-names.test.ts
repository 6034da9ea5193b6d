import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// The inbox page's files are a handful of names: any other name, however long, is not found.

let s: TestServer;
beforeAll(async () => { s = await startTestServer({ workers: false }); });
afterAll(async () => s?.close());

describe('GET /inbox/assets/:name', () => {
  it('serves the page\'s stylesheet', async () => {
    const res = await s.request('GET', '/inbox/assets/inbox.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it.each([
    ['a name of 101 characters', `${'a'.repeat(97)}.css`],
    ['a name of 5,000 characters', 'b'.repeat(5000)],
    ['a long script name', `${'c'.repeat(200)}.js`],
    ['a short unknown name', 'nope.css'],
    ['a nested path', 'x/inbox.css'],
    ['the page itself', 'index.html'],
  ])('answers %s with 404 not_found', async (_what, name) => {
    const res = await s.request('GET', `/inbox/assets/${name}`);
    expect(res.status, JSON.stringify(res.body)).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
