import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Scope } from '../../lib/contracts/scopes';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type TestServer } from '../support/server';

// "Scopes are exact": a key that may write tags (or contacts, or read conversations) but not read
// contacts gets nothing of a contact back, and cannot tell a contact that exists from one that
// does not, as the trigger and start routes already answer (README, Mini-apps).

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }); });
afterEach(async () => { await server.close(); });

let appSeq = 0;
/** An app with these scopes, installed: the key its server received in the subscribe request. */
async function keyWith(scopes: Scope[]): Promise<string> {
  return (await appWith(scopes)).key;
}

/** The app (with a trigger `payment_paid` carrying `status`) and its key. */
async function appWith(scopes: Scope[]): Promise<{ appId: string; key: string }> {
  const admin = server.api(server.adminToken);
  const sink = await startAppSink(server);
  const res = await admin.post('/apps', {
    key: `scoped-${++appSeq}`, name: `Scoped ${appSeq}`, scopes, subscribeUrl: sink.urls.subscribeUrl,
    fields: [{ key: 'status', label: 'Status', type: 'text' }], triggers: [{ key: 'payment_paid', name: 'Payment paid', items: ['status'] }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect((await admin.post(`/apps/${res.body.app.id}/install`, { authValues: {} })).status).toBe(201);
  return { appId: res.body.app.id, key: lastKey(sink) };
}

async function contact() {
  const res = await server.api(server.adminToken).post('/contacts', {
    firstName: 'Maria', lastName: 'Garcia', phone: '+34600111222', email: 'maria@example.com', tags: ['vip'],
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const UNKNOWN = 'con_doesnotexist000000000';
const tagsOf = async (id: string) => (await server.api(server.adminToken).get(`/contacts/${id}`)).body.tags;

describe('an app key with tags.write and no contacts.read', () => {
  it('adds and removes tags, answered 204 with nothing of the contact', async () => {
    const key = await keyWith(['tags.write']);
    const id = await contact();
    const added = await server.api(key).post(`/contacts/${id}/tags`, { tags: ['paid'] });
    expect(added.status, JSON.stringify(added.body)).toBe(204);
    expect(added.body).toBeUndefined();
    expect(await tagsOf(id)).toEqual(['vip', 'paid']);
    const removed = await server.api(key).del(`/contacts/${id}/tags/vip`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);
    expect(removed.body).toBeUndefined();
    expect(await tagsOf(id)).toEqual(['paid']);
  });

  it.each([
    ['POST', (id: string) => `/contacts/${id}/tags`, { tags: ['x'] }],
    ['DELETE', (id: string) => `/contacts/${id}/tags/vip`, undefined],
  ] as const)('%s answers an unknown contact as a known one', async (method, path, body) => {
    const key = await keyWith(['tags.write']);
    const known = await server.request(method, `/api/v1${path(await contact())}`, { token: key, ...(body ? { body } : {}) });
    const unknown = await server.request(method, `/api/v1${path(UNKNOWN)}`, { token: key, ...(body ? { body } : {}) });
    expect([known.status, known.body]).toEqual([204, undefined]);
    expect([unknown.status, unknown.body]).toEqual([204, undefined]);
  });

  it('with contacts.read too, gets the contact, and 404 for an unknown one', async () => {
    const key = await keyWith(['contacts.read', 'tags.write']);
    const id = await contact();
    const added = await server.api(key).post(`/contacts/${id}/tags`, { tags: ['paid'] });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ id, firstName: 'Maria', tags: ['vip', 'paid'] });
    expect((await server.api(key).post(`/contacts/${UNKNOWN}/tags`, { tags: ['paid'] })).status).toBe(404);
  });
});

describe('the other scopes without contacts.read', () => {
  it('tags.read: an unknown contact reads as one without tags', async () => {
    const key = await keyWith(['tags.read']);
    const id = await contact();
    expect((await server.api(key).get(`/contacts/${id}/tags`)).body).toEqual({ contactId: id, tags: ['vip'] });
    const unknown = await server.api(key).get(`/contacts/${UNKNOWN}/tags`);
    expect([unknown.status, unknown.body]).toEqual([200, { contactId: UNKNOWN, tags: [] }]);
    // No id at all is bad input, whoever asks (never a 500).
    expect((await server.api(key).get('/contacts//tags')).status).toBe(422);
  });

  it('contacts.write: an update is answered 204, known or not', async () => {
    const key = await keyWith(['contacts.write']);
    const id = await contact();
    const known = await server.api(key).patch(`/contacts/${id}`, { lastName: 'Lopez' });
    expect([known.status, known.body]).toEqual([204, undefined]);
    expect((await server.api(server.adminToken).get(`/contacts/${id}`)).body.lastName).toBe('Lopez');
    const unknown = await server.api(key).patch(`/contacts/${UNKNOWN}`, { lastName: 'Lopez' });
    expect([unknown.status, unknown.body]).toEqual([204, undefined]);
  });

  it('conversations.read: a conversation\'s contact is its id only, and q (a contact search) is refused', async () => {
    const key = await keyWith(['conversations.read']);
    const id = await contact();
    const conversation = (await server.api(server.adminToken).post('/conversations', { contactId: id })).body;
    const blank = { id, firstName: '', lastName: '', phone: null, email: null, tags: [], fields: {} };
    const detail = await server.api(key).get(`/conversations/${conversation.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.contact).toMatchObject(blank);
    const list = await server.api(key).get('/conversations');
    expect(list.body.conversations.map((c: { contact: unknown }) => c.contact)).toEqual([expect.objectContaining(blank)]);
    const search = await server.api(key).get('/conversations?q=%2B34600111222');
    expect(search.status).toBe(403);
    expect(search.body.error.message).toMatch('contacts.read');
    // With contacts.read the contact is whole.
    const both = await keyWith(['conversations.read', 'contacts.read']);
    expect((await server.api(both).get(`/conversations/${conversation.id}`)).body.contact).toMatchObject({ firstName: 'Maria', phone: '+34600111222' });
    expect((await server.api(both).get('/conversations?q=%2B34600111222')).body.conversations).toHaveLength(1);
  });
});

describe('an Idempotency-Key on Fire Trigger without contacts.read', () => {
  // The 409 for a reused key came only when the first request's contact existed (its event held
  // the key): a key with tags.write and workflows.start learned whether a phone was a contact.
  it('answers a reuse the same whether or not the contact exists', async () => {
    const { appId, key } = await appWith(['tags.write', 'workflows.start']);
    await contact();
    const fire = (phone: string, status: string, idem: string) => server.api(key).post(`/apps/${appId}/triggers/payment_paid`,
      { contact: { phone }, items: { status } }, { headers: { 'idempotency-key': idem } });
    const answers = [];
    for (const [phone, idem] of [['+34600111222', 'idem-e1'], ['+34600999888', 'idem-n1']] as const) {
      const first = await fire(phone, 'a', idem);
      const same = await fire(phone, 'a', idem);
      const changed = await fire(phone, 'b', idem);
      answers.push([first, same, changed].map((r) => [r.status, r.body, r.headers.get('x-duplicate-delivery')]));
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.map(([status]) => status)).toEqual([202, 202, 409]);
    expect(answers[0]![2]![1]).toMatchObject({ error: { code: 'idempotency_key_reused' } });
  });
});
