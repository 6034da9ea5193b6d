import { afterEach, beforeEach, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { rawRequest } from '../support/raw-http';
import { startTestServer, type Api, type TestServer } from '../support/server';

const JSON_TYPE = { 'content-type': 'application/json' };
const BIG = 'x'.repeat(1024 * 1024 + 10);

/**
 * Bad input never yields a 500: each row states the status and error code the API answers.
 * Registered by bad-input.test.ts (SQLite) and bad-input.pg.test.ts (PostgreSQL).
 */
export function badInputSuite(databaseUrl: () => string | undefined) {
  let s: TestServer;
  let agent: Api;
  let admin: Api;
  let token: string;
  let contactId: string;
  let conversationId: string;

  beforeEach(async () => {
    s = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    admin = s.api(s.adminToken);
    token = (await s.createUser('agent')).token;
    agent = s.api(token);
    contactId = (await agent.post('/contacts', { firstName: 'Known', phone: '+14155550100', email: 'known@example.com' })).body.id;
    conversationId = (await agent.post('/conversations', { contactId })).body.id;
  });
  afterEach(async () => { await s.close(); });

  const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    const body = ErrorBody.parse(res.body);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(0);
    return body.error;
  };

  const posts = ['/contacts', '/conversations', '/users', '/contacts/:id/tags', '/conversations/:cid/messages', '/conversations/:cid/close'];
  const at = (p: string) => `/api/v1${p.replace(':id', contactId).replace(':cid', conversationId)}`;

  it.each(posts.flatMap((p) => [
    [p, '{"firstName": "A",'], [p, "{'firstName': 'A'}"], [p, '{"a":1}}'], [p, 'nul'], [p, '\u0000'],
  ]))('POST %s with malformed JSON %j → 400', async (p, body) => {
    expectError(await rawRequest(s.url, 'POST', at(p), { ...JSON_TYPE, authorization: `Bearer ${s.adminToken}` }, body), 400, 'malformed_json');
  });

  // An empty body is no body (clients send the JSON content type on every request): where one
  // is needed, the 422 of a missing body, saying what to send.
  it('POST with an empty JSON body → 422 "the body is missing"', async () => {
    const error = expectError(await rawRequest(s.url, 'POST', '/api/v1/contacts', { ...JSON_TYPE, authorization: `Bearer ${token}`, 'content-length': '0' }, ''), 422, 'invalid_content');
    expect(error.message).toBe('The body is missing; send a JSON object with "Content-Type: application/json"');
  });

  it.each([
    ['text/plain', '{"firstName":"A"}'],
    ['application/x-www-form-urlencoded', 'firstName=A'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="firstName"\r\n\r\nA\r\n--x--'],
    ['application/xml', '<contact/>'],
    [undefined, '{"firstName":"A"}'],
  ])('POST /contacts with content type %s → 415', async (type, body) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-length': String(Buffer.byteLength(body)) };
    if (type) headers['content-type'] = type;
    expectError(await rawRequest(s.url, 'POST', '/api/v1/contacts', headers, body), 415, 'unsupported_media_type');
    expect((await agent.get('/contacts')).body.contacts).toHaveLength(1);
  });

  it.each([
    ['/contacts', { firstName: 42, phone: 123, tags: 'vip' }, ['body.firstName', 'body.phone', 'body.tags']],
    ['/contacts', { email: 'not-an-email', fields: { '': 'x' } }, ['body.email']],
    ['/contacts', { firstName: null }, ['body.firstName']],
    ['/contacts', { tags: [null, ''] }, ['body.tags.0', 'body.tags.1']],
    ['/contacts', [], ['body']],
    ['/contacts', [{ firstName: 'A' }], ['body']],
    ['/contacts', 'just a string', ['body']],
    ['/contacts', null, ['body']],
    ['/contacts', 42, ['body']],
    ['/users', {}, ['body.name', 'body.email', 'body.role']],
    ['/users', { name: 'X', email: 'x@y.z', role: 'owner' }, ['body.role']],
    ['/conversations', { contactId: '' }, ['body.contactId']],
    ['/conversations', { contactId: ['a'] }, ['body.contactId']],
    ['/conversations/:cid/messages', { text: '   ' }, ['body.text']],
    ['/conversations/:cid/messages', { text: 'x', direction: 'sideways', kind: 'shout' }, ['body.direction', 'body.kind']],
    ['/conversations/:cid/messages', { text: 'x'.repeat(5000) }, ['body.text']],
    ['/conversations/:cid/assign', {}, ['body.userId']],
    ['/contacts/:id/tags', { tags: [] }, ['body.tags']],
    ['/contacts/:id/tags', { tags: ['t'.repeat(65)] }, ['body.tags.0']],
  ])('POST %s %j → 422 with details', async (p, body, paths) => {
    const res = await rawRequest(s.url, 'POST', at(p), { ...JSON_TYPE, authorization: `Bearer ${s.adminToken}` }, JSON.stringify(body));
    const error = expectError(res, 422, 'invalid_content');
    const got = (error.details ?? []).map((d) => d.path);
    for (const path of paths) expect(got).toContain(path);
  });

  it.each([
    ['firstName', 'A'.repeat(100_000)],
    ['lastName', 'ü'.repeat(101)],
    ['email', `${'a'.repeat(300)}@example.com`],
  ])('refuses a huge %s with 422', async (key, value) => {
    expectError(await agent.post('/contacts', { [key]: value }), 422, 'invalid_content');
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const res = await rawRequest(s.url, 'POST', '/api/v1/contacts', { ...JSON_TYPE, authorization: `Bearer ${token}` }, JSON.stringify({ firstName: BIG }));
    expectError(res, 413, 'payload_too_large');
  });

  it('refuses a large query or id without a 500', async () => {
    expectError(await agent.get(`/contacts?q=${'q'.repeat(2000)}`), 422, 'invalid_content');
    expectError(await agent.get(`/contacts/${'c'.repeat(2000)}`), 414, 'uri_too_long');
    expectError(await agent.get(`/contacts/${'c'.repeat(90)}`), 422, 'invalid_content');
    expectError(await agent.get('/contacts/%E0%A4%A'), 400, 'bad_request');
    expectError(await agent.get('/contacts?limit=-1'), 422, 'invalid_content');
    expectError(await agent.get('/conversations?status=maybe'), 422, 'invalid_content');
  });

  it.each([
    ['POST', '/contacts', { phone: '+14155550100' }],
    ['POST', '/contacts', { email: 'KNOWN@example.com' }],
    ['POST', '/users', { name: 'Dup', email: 'admin@companion.local', role: 'agent' }],
    ['POST', '/conversations', { contactId: ':id' }],
  ])('%s %s %j → 409', async (method, p, body) => {
    const b = JSON.parse(JSON.stringify(body).replace(':id', contactId));
    expectError(await s.request(method, `/api/v1${p}`, { token: s.adminToken, body: b }), 409, 'conflict');
  });

  it.each([
    ['GET', '/contacts/con_unknown', undefined],
    ['PATCH', '/contacts/con_unknown', { firstName: 'A' }],
    ['GET', '/conversations/cnv_unknown', undefined],
    ['POST', '/conversations/cnv_unknown/close', {}],
    ['POST', '/conversations/cnv_unknown/messages', { text: 'hi' }],
    ['PATCH', '/users/usr_unknown/restrictions', { shortcutsEnabled: false }],
    ['DELETE', '/fields/unknown', undefined],
    ['GET', '/nothing-here', undefined],
  ])('%s %s → 404', async (method, p, body) => {
    expectError(await s.request(method, `/api/v1${p}`, { token: s.adminToken, ...(body ? { body } : {}) }), 404, 'not_found');
  });

  it('answers 401 and 403 with the error shape', async () => {
    expectError(await s.api().get('/contacts'), 401, 'unauthorized');
    expectError(await s.api('nope').get('/contacts'), 401, 'unauthorized');
    expectError(await agent.post('/users', { name: 'X', email: 'x@y.z', role: 'admin' }), 403, 'forbidden');
  });

  it('checks auth before looking at the body', async () => {
    expectError(await rawRequest(s.url, 'POST', '/api/v1/contacts', JSON_TYPE, '{"broken'), 401, 'unauthorized');
    expectError(await rawRequest(s.url, 'POST', '/api/v1/contacts', { 'content-type': 'text/plain' }, 'hello'), 401, 'unauthorized');
    expectError(await rawRequest(s.url, 'POST', '/api/v1/contacts', { ...JSON_TYPE, authorization: 'Bearer nope' }, JSON.stringify({ phone: 1 })), 401, 'unauthorized');
    expectError(await rawRequest(s.url, 'POST', '/api/v1/users', { ...JSON_TYPE, authorization: `Bearer ${token}` }, JSON.stringify({})), 403, 'forbidden');
  });

  it.each([
    '<img src=x onerror="alert(1)">',
    '<script>alert("x")</script> & </td>',
    'Zoë 👩🏽‍💻 مرحبا שלום 你好',
    'e\u0301 + \u200d + \u202e reversed',
    "Robert'); DROP TABLE contacts;--",
    '%s %d {{$contact.firstName}} ${x}',
  ])('stores and returns %j verbatim, as JSON', async (name) => {
    const created = await agent.post('/contacts', { firstName: name, lastName: name });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    expect(created.headers.get('x-content-type-options')).toBe('nosniff');
    const back = await agent.get(`/contacts/${created.body.id}`);
    expect(back.body.firstName).toBe(name.trim());
    expect(back.body.lastName).toBe(name.trim());
    const tagged = await agent.post(`/contacts/${created.body.id}/tags`, { tags: [name.slice(0, 64)] });
    // A tag may not hide characters (tags-invisible.test.ts): the lone joiner and the override are refused there.
    if (/\u202e/.test(name)) expect(tagged.status).toBe(422);
    else expect(tagged.body.tags).toEqual([name.slice(0, 64).trim().normalize('NFKC')]);
    const msg = await agent.post(`/conversations/${conversationId}/messages`, { text: name });
    expect(msg.body.text).toBe(name.trim());
    expect((await agent.get(`/contacts?q=${encodeURIComponent(name.slice(0, 20))}`)).status).toBe(200);
  });

  it('refuses a NUL character in stored text with 422 (PostgreSQL cannot store it; SQLite agrees)', async () => {
    expectError(await agent.post('/contacts', { firstName: 'a\u0000b' }), 422, 'invalid_content');
    expectError(await agent.post(`/conversations/${conversationId}/messages`, { text: 'a\u0000b' }), 422, 'invalid_content');
    expectError(await agent.patch(`/contacts/${contactId}`, { lastName: '\u0000' }), 422, 'invalid_content');
    // Tags live in a JSON column (NUL escaped there), but trigger lookups use the tag as a query parameter.
    expect([200, 422]).toContain((await agent.post(`/contacts/${contactId}/tags`, { tags: ['a\u0000b'] })).status);
    expect((await agent.get('/contacts')).body.contacts).toHaveLength(1);
  });

  it('never answers 500 for a lone surrogate in text', async () => {
    expect([201, 422]).toContain((await agent.post('/contacts', { firstName: 'a\ud800b' })).status);
    expect([201, 422]).toContain((await agent.post(`/conversations/${conversationId}/messages`, { text: 'a\ud800b' })).status);
  });

  it('accepts unknown extra keys without storing them, and ignores a prototype-pollution attempt', async () => {
    const res = await rawRequest(s.url, 'POST', '/api/v1/contacts', { ...JSON_TYPE, authorization: `Bearer ${token}` },
      '{"firstName":"P","extra":1,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    expect([201, 400, 422]).toContain(res.status);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (res.status === 201) expect(res.body.extra).toBeUndefined();
  });

  it('refuses nulls where values are required, and a null field value clears', async () => {
    expectError(await agent.post('/conversations', { contactId: null }), 422, 'invalid_content');
    expectError(await agent.post('/contacts/x/tags', { tags: null }), 422, 'invalid_content');
    expectError(await admin.put('/settings/closing-categories', { categories: null }), 422, 'invalid_content');
    expectError(await admin.patch('/settings/restrictions', { agentsCanUseShortcuts: null }), 422, 'invalid_content');
    expect((await agent.patch(`/contacts/${contactId}`, { phone: null, email: null })).body).toMatchObject({ phone: null, email: null });
  });
}
