import { afterAll, beforeAll, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { startTestServer, type TestServer } from '../support/server';

// Requests an integrator gets wrong are refused saying what to fix, in the one error shape
// (`{ error: { code, message, details? } }`), never half done: a Chatwoot habit (`"private": true`)
// must not turn a note into a reply to the customer.

let server: TestServer;
let contactId: string;
let conversationId: string;
beforeAll(async () => {
  server = await startTestServer({ workers: false });
  const contact = await admin().post('/contacts', { firstName: 'Ana', phone: '+34600111222' });
  contactId = contact.body.id;
  conversationId = (await admin().post('/conversations', { contactId })).body.id;
});
afterAll(async () => { await server?.close(); });

const admin = () => server.api(server.adminToken);

it.each([
  [{ text: 'n', private: true }, 'Unknown key "private": a message takes text, template, direction, kind (a private note is "kind": "comment")'],
  [{ text: 'a', foo: 1 }, 'Unknown key "foo": a message takes text, template, direction, kind (a private note is "kind": "comment")'],
])('POST /conversations/:id/messages %j is refused naming the key, nothing posted', async (body, message) => {
  const res = await admin().post(`/conversations/${conversationId}/messages`, body);
  expect(res.status).toBe(422);
  expect(res.body.error.details).toEqual([{ path: 'body', message }]);
  expect((await admin().get(`/conversations/${conversationId}`)).body.messages).toEqual([]);
});

it('POST /contacts/:id/tags with another key is refused naming it, no tag added', async () => {
  const res = await admin().post(`/contacts/${contactId}/tags`, { tags: ['x1'], foo: 1 });
  expect(res.status).toBe(422);
  expect(res.body.error.details).toEqual([{ path: 'body', message: 'Unknown key "foo": adding tags takes only tags, e.g. {"tags": ["vip"]}' }]);
  expect((await admin().get(`/contacts/${contactId}`)).body.tags).toEqual([]);
});

it('what the inbox page sends still goes through: a reply, a note, tags', async () => {
  const sent = await admin().post(`/conversations/${conversationId}/messages`, { text: 'hi', kind: 'message', direction: 'outgoing' });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  const note = await admin().post(`/conversations/${conversationId}/messages`, { text: 'internal', kind: 'comment', direction: 'outgoing' });
  expect(note.body.kind).toBe('comment');
  expect((await admin().post(`/contacts/${contactId}/tags`, { tags: ['vip'] })).body.tags).toContain('vip');
});

it('PATCH /contacts/:id with tags says where tags are changed, not that a contact takes them', async () => {
  const res = await admin().patch(`/contacts/${contactId}`, { tags: ['x'] });
  expect(res.status).toBe(422);
  expect(res.body.error.details).toEqual([{
    path: 'body',
    message: 'Unknown key "tags": an update takes firstName, lastName, phone, email, fields, lifecycle (tags are added with POST /contacts/:id/tags and removed with DELETE /contacts/:id/tags/:tag)',
  }]);
});

it.each([{}, { tags: ['vip'] }, { firstName: '  ', fields: {} }])('POST /contacts %j (nothing that names or reaches the contact) is a 422 naming the fields', async (body) => {
  const before = (await admin().get('/contacts')).body.contacts.length;
  const res = await admin().post('/contacts', body);
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.body.error.details).toEqual([{ path: 'body', message: 'Give the contact a firstName, lastName, phone or email' }]);
  expect((await admin().get('/contacts')).body.contacts).toHaveLength(before);
});

it('a request line and headers over the limit get 431 in the error shape', async () => {
  const res = await fetch(`${server.url}/api/v1/contacts?x=${'a'.repeat(20_000)}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  expect(res.status).toBe(431);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = ErrorBody.parse(await res.json());
  expect(body.error.code).toBe('headers_too_large');
  expect(body.error.message).toMatch(/shorten the URL's query string or the headers/);
});
