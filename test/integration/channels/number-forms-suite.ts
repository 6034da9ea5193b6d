import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContactList } from '../../../lib/contracts/contacts';
import { ConversationList } from '../../../lib/contracts/conversations';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import type { Api } from '../../support/server';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

/**
 * One Mexican or Argentine mobile number in its two forms, over real HTTP with signed Meta
 * webhooks: WhatsApp's wa_id keeps the form the account was made with (Mexico's 521 + 10 digits,
 * Argentina's 549 + 10 digits), while a contact is often stored as the number is dialled now
 * (+52 + 10 digits) or as an address book has it (+54 + 10 digits). A customer's message finds
 * the contact under either form, and so does the inbox's search box (GET /conversations?q=,
 * GET /contacts?q=), both ways; a different number, or the contact stored under exactly the
 * wa_id, is never taken for another. Registered by number-forms.test.ts and .pg.test.ts.
 */
export function numberFormsSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  let admin: Api;
  beforeEach(async () => {
    w = await startChannelWorld({ databaseUrl: databaseUrl() });
    admin = w.server.api(w.server.adminToken);
  });
  afterEach(async () => { await w.close(); });

  const contact = async (firstName: string, phone: string) => {
    const res = await admin.post('/contacts', { firstName, phone });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const contactCount = async () => (await w.server.store.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  describe('a customer\'s message finds the contact stored under the other form', () => {
    // Mexico's two forms were matched before (inbound.test.ts); Argentina's were not.
    it.each([
      ['Argentina, wa_id with the 9', '+541158749895', '5491158749895'],
      ['Argentina, contact stored with the 9', '+5491158749895', '541158749895'],
    ])('%s', async (_n, stored, waId) => {
      const id = await contact('Sofía', stored);
      expect((await w.deliver(whatsappPlainMessage({ waId, text: 'Hola' }))).status).toBe(200);
      expect(Number(await contactCount())).toBe(1);
      const { contact: found, conversation } = await conversationOf(w.server, `phone=${encodeURIComponent(stored)}`);
      expect(found.id).toBe(id);
      // Replies go to the wa_id as Meta sent it.
      expect(conversation.externalId).toBe(waId);
    });

    it('takes the contact stored under exactly the wa_id over one stored under the other form, and never another number', async () => {
      const dialled = await contact('Dialled', '+541158749895');
      const mobile = await contact('Mobile', '+5491158749895');
      const neighbour = await contact('Neighbour', '+541158749896');
      await w.deliver(whatsappPlainMessage({ waId: '5491158749895', text: 'Soy yo' }));
      expect((await conversationOf(w.server, `phone=${encodeURIComponent('+5491158749895')}`)).contact.id).toBe(mobile);
      await w.deliver(whatsappPlainMessage({ waId: '541158749895', text: 'Yo también' }));
      expect((await conversationOf(w.server, `phone=${encodeURIComponent('+541158749895')}`)).contact.id).toBe(dialled);
      // 549 11 5874 9896 is the neighbour's number under its other form; 549 11 5874 9897 is nobody's.
      await w.deliver(whatsappPlainMessage({ waId: '5491158749896', text: 'Hola' }));
      expect((await conversationOf(w.server, `phone=${encodeURIComponent('+541158749896')}`)).contact.id).toBe(neighbour);
      expect(Number(await contactCount())).toBe(3);
      await w.deliver(whatsappPlainMessage({ waId: '5491158749897', text: 'Hola', name: 'Nuevo' }));
      expect(Number(await contactCount())).toBe(4);
    });
  });

  describe('Brazil\'s ninth digit is a mobile\'s only', () => {
    // Landlines start 2–5 and never got the 9; a nine-digit mobile 9 3xxx-xxxx had no 8-digit form.
    it.each([
      ['a mobile writing is not taken for the landline 3234-5678', '+551132345678', '5511932345678'],
      ['a landline writing is not taken for the mobile 93234-5678', '+5511932345678', '551132345678'],
    ])('%s', async (_n, stored, waId) => {
      const shop = await contact('Shop', stored);
      expect((await w.deliver(whatsappPlainMessage({ waId, text: 'Olá', name: 'Outra Pessoa' }))).status).toBe(200);
      expect(Number(await contactCount())).toBe(2);
      const { contact: found } = await conversationOf(w.server, `phone=${encodeURIComponent(`+${waId}`)}`);
      expect(found.id).not.toBe(shop);
      expect(found.firstName).toBe('Outra');
    });

    it('an old mobile wa_id still finds its contact, both ways', async () => {
      const id = await contact('Ana', '+5511987654321');
      await w.deliver(whatsappPlainMessage({ waId: '551187654321', text: 'Oi' }));
      const other = await contact('Bia', '+554188776655');
      await w.deliver(whatsappPlainMessage({ waId: '5541988776655', text: 'Oi' }));
      expect(Number(await contactCount())).toBe(2);
      expect((await conversationOf(w.server, 'phone=%2B5511987654321')).contact.id).toBe(id);
      expect((await conversationOf(w.server, 'phone=%2B554188776655')).contact.id).toBe(other);
    });
  });

  describe('the search box finds a number typed in either form', () => {
    const names = async (q: string) => ({
      conversations: ConversationList.parse((await admin.get(`/conversations?q=${encodeURIComponent(q)}`)).body).conversations.map((c) => c.contact.firstName).sort(),
      contacts: ContactList.parse((await admin.get(`/contacts?q=${encodeURIComponent(q)}`)).body).contacts.map((c) => c.firstName).sort(),
    });

    beforeEach(async () => {
      for (const [name, phone] of [['Sofía', '+525512345678'], ['Marta', '+5215598765432'], ['Lucía', '+541158749895'], ['Mateo', '+5493514567890'], ['Other', '+525512345679']] as const) {
        const id = await contact(name, phone);
        expect((await admin.post('/conversations', { contactId: id })).status).toBe(201);
      }
    });

    it.each([
      ['5215512345678', ['Sofía']],
      ['+52 1 55 1234 5678', ['Sofía']],
      ['+52 55 9876 5432', ['Marta']],
      ['525598765432', ['Marta']],
      ['5491158749895', ['Lucía']],
      ['+54 9 11 5874-9895', ['Lucía']],
      ['+54 351 456 7890', ['Mateo']],
    ])('%s', async (q, want) => {
      expect(await names(q)).toEqual({ conversations: want, contacts: want });
    });

    it('takes only that number: not its neighbour, and a fragment only as typed', async () => {
      const only = (want: string[]) => ({ conversations: want, contacts: want });
      // Sofía's number in WhatsApp's form, not Other's (…679) beside it.
      expect(await names('5215512345678')).toEqual(only(['Sofía']));
      expect(await names('5215512345670')).toEqual(only([]));
      expect(await names('521 55')).toEqual(only(['Marta']));
      expect(await names('55 1234 567')).toEqual(only(['Other', 'Sofía']));
    });
  });
}
