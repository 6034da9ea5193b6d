import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { startTestServer, type Api, type TestServer } from '../support/server';

// Phone numbers as people write them ("+1 415 555 0123", "+49 151 1234 5678") are international
// format: the contacts API stores them in E.164, finds contacts by them, and says what to fix
// when a number is still wrong. Over real HTTP.

let s: TestServer;
let admin: Api;

beforeAll(async () => {
  s = await startTestServer({ workers: false });
  admin = s.api(s.adminToken);
});
afterAll(async () => { await s?.close(); });

const expect422 = (res: { status: number; body: unknown }, path: string, message: RegExp) => {
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  const { error } = ErrorBody.parse(res.body);
  expect(error.code).toBe('invalid_content');
  const detail = error.details?.find((d) => d.path === path);
  expect(detail?.message, JSON.stringify(error)).toMatch(message);
  expect(detail?.message).not.toMatch(/Use international format/);
};

describe('contact phone numbers', () => {
  it('POST /contacts stores "+1 415 555 0123" as +14155550123', async () => {
    const res = await admin.post('/contacts', { firstName: 'A', phone: '+1 415 555 0123' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.phone).toBe('+14155550123');
    expect((await admin.get(`/contacts/${res.body.id}`)).body.phone).toBe('+14155550123');
    // The same number written otherwise is the same contact's number (phones are unique).
    const again = await admin.post('/contacts', { firstName: 'B', phone: '+1 (415) 555-0123' });
    expect(again.status, JSON.stringify(again.body)).toBe(409);
  });

  it('PATCH /contacts/:id (the inbox contact panel) stores "+49 151 1234 5678" as +4915112345678', async () => {
    const contact = (await admin.post('/contacts', { firstName: 'C' })).body;
    const res = await admin.patch(`/contacts/${contact.id}`, { phone: '+49 151 1234 5678' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.phone).toBe('+4915112345678');
  });

  it('GET /contacts?phone= finds a contact by the number written with spaces, dashes or an unencoded +', async () => {
    const created = (await admin.post('/contacts', { firstName: 'D', phone: '+34 600-111-222' })).body;
    expect(created.phone).toBe('+34600111222');
    for (const query of ['%2B34%20600%20111%20222', '%2B34-600-111-222', '%2B34600111222', '+34600111222', '0034%20600%20111%20222']) {
      const res = await admin.get(`/contacts?phone=${query}`);
      expect(res.status, query).toBe(200);
      expect(res.body.contacts.map((c: { id: string }) => c.id), query).toEqual([created.id]);
    }
    expect((await admin.get('/contacts?phone=600111222')).body.contacts).toEqual([]);
  });

  it.each([
    ['415 555 0123', /Start with \+ and the country code/],
    ['0151 1234 5678', /Start with \+ and the country code/],
    ['+1 415 555 0123 ext 12', /Use only digits after the \+/],
    ['+0 20 7946 0958', /never starts with 0/],
    ['+1 234', /7 to 15 digits/],
  ])('POST /contacts refuses %j with a 422 saying what to fix', async (phone, message) => {
    expect422(await admin.post('/contacts', { firstName: 'E', phone }), 'body.phone', message);
  });

  it('a custom phone field is stored in E.164 too, and a wrong one says what to fix', async () => {
    expect((await admin.put('/fields/callback', { label: 'Callback', type: 'phone' })).status).toBeLessThan(300);
    const created = await admin.post('/contacts', { firstName: 'F', fields: { callback: '+44 (0)20 7946 0958' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.fields.callback).toBe('+442079460958');
    const patched = await admin.patch(`/contacts/${created.body.id}`, { fields: { callback: '+1 415-555-0199' } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.fields.callback).toBe('+14155550199');
    expect422(await admin.patch(`/contacts/${created.body.id}`, { fields: { callback: '020 7946 0958' } }), 'body.fields.callback', /Start with \+ and the country code/);
  });

  it('GET /docs/json still serves, the phone of a contact body documented as a string', async () => {
    const res = await s.request('GET', '/docs/json');
    expect(res.status).toBe(200);
    const phone = res.body.paths['/api/v1/contacts'].post.requestBody.content['application/json'].schema.properties.phone;
    expect(JSON.stringify(phone)).toContain('"type":"string"');
  });
});
