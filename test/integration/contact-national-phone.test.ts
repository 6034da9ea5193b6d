import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact, ContactList } from '../../lib/contracts/contacts';
import { ErrorBody } from '../../lib/contracts/errors';
import { startTestServer, type Api, type TestServer } from '../support/server';

// The contacts API with the workspace's default country: a national number ("(11) 91234-5678" in
// Brazil) is read as webhooks, the CSV import, question answers and shortcut forms read it, and
// stored in E.164; one that still cannot be read says which country was assumed. Over real HTTP.

let s: TestServer;
let admin: Api;
beforeEach(async () => {
  s = await startTestServer({ workers: false });
  admin = s.api(s.adminToken);
});
afterEach(async () => { await s.close(); });

const inBrazil = async () => expect((await admin.put('/settings/default-country', { country: 'BR' })).status).toBe(200);

describe('contact phones and the workspace\'s default country', () => {
  it.each([
    ['(11) 91234-5678', '+5511912345678'],
    ['11 91234 5678', '+5511912345678'],
    ['5511912345678', '+5511912345678'],
    ['+55 11 91234-5678', '+5511912345678'],
    ['+49 151 1234 5678', '+4915112345678'],
  ])('POST /contacts stores %j as %s with the workspace in BR', async (typed, e164) => {
    await inBrazil();
    const res = await admin.post('/contacts', { firstName: 'Ana', phone: typed });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Contact.parse(res.body).phone).toBe(e164);
    expect(Contact.parse((await admin.get(`/contacts/${res.body.id}`)).body).phone).toBe(e164);
  });

  it('PATCH /contacts/:id (the inbox contact panel) stores a national number in E.164, the same contact as its international form', async () => {
    await inBrazil();
    const ana = Contact.parse((await admin.post('/contacts', { firstName: 'Ana' })).body);
    const res = await admin.patch(`/contacts/${ana.id}`, { phone: '(11) 91234-5678' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Contact.parse(res.body).phone).toBe('+5511912345678');
    // Phones are unique: the same number written internationally is Ana's.
    expect((await admin.post('/contacts', { firstName: 'Bia', phone: '+55 11 91234 5678' })).status).toBe(409);
    // …and the national form finds her.
    const found = ContactList.parse((await admin.get(`/contacts?phone=${encodeURIComponent('(11) 91234-5678')}`)).body);
    expect(found.contacts.map((c) => c.id)).toEqual([ana.id]);
  });

  it('refuses a number that is not Brazilian either with a 422 naming the country it assumed, beside the body\'s other problems', async () => {
    await inBrazil();
    const res = await admin.post('/contacts', { firstName: 'Ana', phone: '(11) 1234', email: 'not-an-email' });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    const { error } = ErrorBody.parse(res.body);
    expect(error.code).toBe('invalid_content');
    expect(error.details?.find((d) => d.path === 'body.phone')?.message)
      .toBe('"(11) 1234" is not a phone number: it has no country code (+ and the code, e.g. +49 151 1234 5678), and it is not a valid BR number either (the workspace\'s default country)');
    // Read as a BR number and found wanting: never told national numbers are refused, as they are not.
    expect(error.message).not.toMatch(/not a national number|Start with \+/);
    expect(error.details?.map((d) => d.path)).toEqual(['body.phone', 'body.email']);
    expect(error.message).toContain('BR number');
    const ana = Contact.parse((await admin.post('/contacts', { firstName: 'Ana' })).body);
    const patched = await admin.patch(`/contacts/${ana.id}`, { phone: '0800' });
    expect(patched.status).toBe(422);
    expect(ErrorBody.parse(patched.body).error.details).toEqual([{ path: 'body.phone', message: expect.stringContaining('not a valid BR number either') }]);
    expect(Contact.parse((await admin.get(`/contacts/${ana.id}`)).body).phone).toBeNull();
  });

  it('still asks for + and the country code when no default country is set', async () => {
    const res = await admin.post('/contacts', { firstName: 'Ana', phone: '(11) 91234-5678' });
    expect(res.status).toBe(422);
    expect(ErrorBody.parse(res.body).error.details).toEqual([{ path: 'body.phone', message: 'Start with + and the country code, e.g. +14155550123 or +49 151 1234 5678 (a national number such as 0151 1234 5678 does not say its country)' }]);
  });

  it('an agent (not only an admin) saves a national number; an unknown key is still refused', async () => {
    await inBrazil();
    const { token } = await s.createUser('agent');
    const agent = s.api(token);
    const res = await agent.post('/contacts', { firstName: 'Caio', phone: '011 91234-5678' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Contact.parse(res.body).phone).toBe('+5511912345678');
    const typo = await agent.post('/contacts', { first_name: 'Duda', phone: '(21) 98765-4321' });
    expect(typo.status).toBe(422);
    expect(ErrorBody.parse(typo.body).error.message).toMatch(/Unknown key "first_name"/);
  });
});
