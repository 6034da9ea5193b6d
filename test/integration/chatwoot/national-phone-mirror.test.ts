import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact, ContactList } from '../../../lib/contracts/contacts';
import { startChatwootPair, type ChatwootPair } from './harness';

// Numbers coming from Chatwoot without their country code (a contact's phone_number saved without
// "+", a custom attribute copied to a phone field) were read without the workspace's default
// country, while the contacts API, imports, forms and steps read them in it: "06 12 34 56 78"
// from Chatwoot was dropped (the phone) or refused (the field) in a French workspace, and did not
// find the contact who has +33612345678. Now they are read as every other number typed here.
describe('numbers from Chatwoot and the workspace\'s default country', () => {
  let p: ChatwootPair;
  beforeEach(async () => {
    p = await startChatwootPair();
    expect((await admin().put('/fields/mobile', { label: 'Mobile', type: 'phone' })).status).toBe(200);
  });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const inFrance = async () => expect((await admin().put('/settings/default-country', { country: 'FR' })).status).toBe(200);
  const contacts = async () => ContactList.parse((await admin().get('/contacts')).body).contacts;
  /** A Chatwoot contact writes in; its conversation_created mirrors it. */
  const writesIn = async (c: { name: string; phone_number?: string; custom_attributes?: Record<string, unknown> }) => {
    const cw = p.cw.addContact(c);
    const conv = p.cw.addConversation({ contactId: cw.id, firstMessage: { content: 'Bonjour', incoming: true } });
    const res = await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    expect(res.status).toBe(200);
    return { cw, note: res.body.note as string | undefined };
  };

  it.each([
    ['06 12 34 56 78', '07.12.34.56.78', '+33612345678', '+33712345678'],
    // The country's own code without "+" (as a spreadsheet leaves it), as the contacts API reads it.
    ['33612345678', 33712345678, '+33612345678', '+33712345678'],
    // Not a French number: digits that start with another country's code, read as before.
    ['14155550123', '07 12 34 56 78', '+14155550123', '+33712345678'],
  ])('phone_number %j and the phone attribute %j read in FR: %s, %s', async (phoneNumber, mobile, phone, field) => {
    await inFrance();
    const { note } = await writesIn({ name: 'Jeanne Roux', phone_number: phoneNumber, custom_attributes: { mobile } });
    expect(note).toBeUndefined();
    expect(await contacts()).toMatchObject([{ firstName: 'Jeanne', phone, fields: { mobile: field } }]);
  });

  it('a Chatwoot contact whose number is written nationally is the contact here who has it, not a second one', async () => {
    await inFrance();
    const known = Contact.parse((await admin().post('/contacts', { firstName: 'Jeanne', phone: '+33612345678' })).body);
    await writesIn({ name: 'Jeanne Roux', phone_number: '06 12 34 56 78' });
    expect((await contacts()).map((c) => c.id)).toEqual([known.id]);
  });

  it('without a default country such a number is not guessed (the note says so); with one, a change (contact_updated) is read in it', async () => {
    const { cw, note } = await writesIn({ name: 'Jeanne Roux', phone_number: '06 12 34 56 78', custom_attributes: { mobile: '07 12 34 56 78' } });
    expect(note).toMatch(/^Chatwoot attribute "mobile" not copied to the field: /);
    expect(await contacts()).toMatchObject([{ phone: null, fields: {} }]);

    await inFrance();
    cw.custom_attributes = { mobile: '06 98 76 54 32' };
    p.cw.touch(cw);
    const res = await p.hook(p.cw.contactPayload(cw.id, 'contact_updated', {
      custom_attributes: { previous_value: { mobile: '07 12 34 56 78' }, current_value: cw.custom_attributes },
      updated_at: { previous_value: '2026-01-01T00:00:00.000Z', current_value: new Date(cw.updated_at * 1000).toISOString() },
    }));
    expect(res.status).toBe(200);
    expect(res.body.note).toBeUndefined();
    expect(await contacts()).toMatchObject([{ phone: '+33612345678', fields: { mobile: '+33698765432' } }]);
  });
});
