import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// Every GET under /api/v1 refuses a query parameter it does not take (422 naming the ones it
// does), not only the paged lists: `/users?role=agent` or `/apps?limit=5` answered everything as
// if it had filtered, and `/conversations/:id?histroy=true` answered without the history asked for.

let server: TestServer;
let contactId: string;
let conversationId: string;
beforeAll(async () => {
  server = await startTestServer({ workers: false });
  const admin = server.api(server.adminToken);
  const contact = await admin.post('/contacts', { firstName: 'Ana', phone: '+34600111333' });
  expect(contact.status).toBe(201);
  contactId = contact.body.id;
  const conversation = await admin.post('/conversations', { contactId });
  expect(conversation.status, JSON.stringify(conversation.body)).toBe(201);
  conversationId = conversation.body.id;
});
afterAll(async () => { await server?.close(); });

const get = (path: string) => server.api(server.adminToken).get(path);

describe('a GET that takes no query parameters refuses one', () => {
  it.each(['/apps', '/fields', '/users', '/tags', '/shortcuts', '/channels', '/teammates', '/me', '/runs/summary', '/settings/lifecycle-stages'])('%s?limit=5: 422', async (path) => {
    const res = await get(`${path}?limit=5`);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.message).toContain('Unknown query parameter limit: this route takes none');
  });

  it('so does every other one without its own query, as /docs/json lists them', async () => {
    const doc = (await server.request('GET', '/docs/json')).body;
    const plain = Object.entries<any>(doc.paths)
      .filter(([path, ops]) => path.startsWith('/api/v1/') && !path.includes('{') && ops.get && !(ops.get.parameters ?? []).some((p: any) => p.in === 'query'))
      .map(([path]) => path.slice('/api/v1'.length));
    expect(plain.length).toBeGreaterThan(15);
    for (const path of plain) {
      const res = await get(`${path}?role=agent`);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(res.body.error.message, path).toMatch(/Unknown query parameter role: this (route|list) takes none/);
    }
  });

  it('with path parameters too: /contacts/:id?fields=x', async () => {
    const res = await get(`/contacts/${contactId}?fields=x`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('Unknown query parameter fields: this route takes none');
  });

  it('the same route without a query still answers', async () => {
    for (const path of ['/apps', '/fields', '/users', `/contacts/${contactId}`]) expect((await get(path)).status, path).toBe(200);
  });
});

describe('a GET with a few parameters names them', () => {
  it.each([
    ['/conversations/:id?histroy=true', 'histroy', 'history'],
    ['/workflows/export?id=wf_1', 'id', 'ids'],
    ['/chatwoot/conversations/resolve?origin=https://c.example&accountId=1&conversationId=2&inbox=3', 'inbox', 'origin, accountId, conversationId'],
  ])('%s', async (path, key, takes) => {
    const res = await get(path.replace(':id', conversationId));
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.message).toContain(`Unknown query parameter ${key}: this route takes ${takes}`);
  });

  it('the event stream takes only its token', async () => {
    const res = await get(`/events/stream?token=${server.adminToken}&since=1`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('Unknown query parameter since: the event stream takes token');
    const doc = (await server.request('GET', '/docs/json')).body;
    expect(doc.paths['/api/v1/events/stream'].get.parameters.map((p: any) => p.name)).toEqual(['token']);
  });

  it('the parameters they take still work', async () => {
    expect((await get(`/conversations/${conversationId}?history=true`)).status).toBe(200);
    expect((await get('/workflows/export?ids=')).status).toBe(200);
  });
});
