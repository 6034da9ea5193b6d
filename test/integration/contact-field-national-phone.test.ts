import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { ErrorBody } from '../../lib/contracts/errors';
import { startTestServer, type Api, type TestServer } from '../support/server';

// A custom field of type phone reads numbers as the contact's own phone does: with the workspace's
// default country a national number ("(11) 91234-5678" in BR) is stored in E.164, and one that
// cannot be read gets the same 422 words, at body.fields.<key>. Over real HTTP.

let s: TestServer;
let admin: Api;
beforeEach(async () => {
  s = await startTestServer({ workers: false });
  admin = s.api(s.adminToken);
  expect((await admin.put('/fields/mobile', { label: 'Mobile', type: 'phone' })).status).toBe(200);
});
afterEach(async () => { await s.close(); });

const inBrazil = async () => expect((await admin.put('/settings/default-country', { country: 'BR' })).status).toBe(200);
const NOT_BR = (typed: string) => `"${typed}" is not a phone number: it has no country code (+ and the code, e.g. +49 151 1234 5678), and it is not a valid BR number either (the workspace's default country)`;

describe('phone fields and the workspace\'s default country', () => {
  it.each([
    ['(11) 91234-5678', '+5511912345678'],
    ['011 91234 5678', '+5511912345678'],
    ['5511912345678', '+5511912345678'],
    ['+49 151 1234 5678', '+4915112345678'],
  ])('POST /contacts stores fields.mobile %j as %s with the workspace in BR', async (typed, e164) => {
    await inBrazil();
    const res = await admin.post('/contacts', { firstName: 'Ana', fields: { mobile: typed } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Contact.parse(res.body).fields.mobile).toBe(e164);
    expect(Contact.parse((await admin.get(`/contacts/${res.body.id}`)).body).fields.mobile).toBe(e164);
  });

  it('PATCH /contacts/:id (the inbox contact panel) stores a national number in E.164, as the contact\'s own phone', async () => {
    await inBrazil();
    const ana = Contact.parse((await admin.post('/contacts', { firstName: 'Ana' })).body);
    const res = await admin.patch(`/contacts/${ana.id}`, { phone: '(11) 91234-5678', fields: { mobile: '(21) 98765-4321' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const saved = Contact.parse(res.body);
    expect([saved.phone, saved.fields.mobile]).toEqual(['+5511912345678', '+5521987654321']);
  });

  it('refuses a number that is not Brazilian either with the contact phone\'s 422 words, beside the other problems', async () => {
    await inBrazil();
    const res = await admin.post('/contacts', { firstName: 'Ana', phone: '(11) 1234', fields: { mobile: '0800' } });
    // The contact's own phone is refused before the fields are read (the body's schema): the same words.
    expect(res.status).toBe(422);
    expect(ErrorBody.parse(res.body).error.details).toEqual([{ path: 'body.phone', message: NOT_BR('(11) 1234') }]);
    const ana = Contact.parse((await admin.post('/contacts', { firstName: 'Ana' })).body);
    await admin.put('/fields/score', { label: 'Score', type: 'number' });
    const patched = await admin.patch(`/contacts/${ana.id}`, { fields: { mobile: '0800', score: 'high' } });
    expect(patched.status).toBe(422);
    const { error } = ErrorBody.parse(patched.body);
    expect(error.code).toBe('invalid_content');
    expect(error.details).toEqual([
      { path: 'body.fields.mobile', message: NOT_BR('0800') },
      { path: 'body.fields.score', message: 'Expected a number' },
    ]);
    expect(error.message).toContain('not a valid BR number either');
    expect(Contact.parse((await admin.get(`/contacts/${ana.id}`)).body).fields.mobile).toBeUndefined();
  });

  it('still asks for + and the country code when no default country is set, as the contact\'s own phone does', async () => {
    const own = await admin.post('/contacts', { firstName: 'Ana', phone: '(11) 91234-5678' });
    const field = await admin.post('/contacts', { firstName: 'Ana', fields: { mobile: '(11) 91234-5678' } });
    expect(field.status).toBe(422);
    expect(ErrorBody.parse(field.body).error.details).toEqual([
      { path: 'body.fields.mobile', message: ErrorBody.parse(own.body).error.details![0]!.message },
    ]);
    const ok = await admin.post('/contacts', { firstName: 'Ana', fields: { mobile: '+55 11 91234-5678' } });
    expect(Contact.parse(ok.body).fields.mobile).toBe('+5511912345678');
  });
});
