import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact, ContactList } from '../../../lib/contracts/contacts';
import { ConversationList } from '../../../lib/contracts/conversations';
import { defineField } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

// What Chatwoot holds is not checked against the companion's limits: a custom attribute longer
// than a field holds is left out (the delivery's note says why) rather than stored, which made
// every list showing the contact answer 500; the other attributes are still copied.
describe('a Chatwoot contact with an attribute longer than a field holds', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair(); });
  afterEach(async () => { await p.close(); });

  it('copies the attributes that fit, skips the long one with a note, and the lists answer', async () => {
    await defineField(p.server, 'pay_note');
    await defineField(p.server, 'plan');
    const contact = p.cw.addContact({ name: 'Jane Doe', phone_number: '+15551234567' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hi', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));

    contact.custom_attributes = { pay_note: 's'.repeat(20_000), plan: 'pro' };
    const delivered = await p.hook(p.cw.contactPayload(contact.id, 'contact_updated', {
      custom_attributes: { previous_value: {}, current_value: contact.custom_attributes },
      updated_at: { previous_value: '2025-12-30T10:26:12Z', current_value: '2025-12-30T10:30:00Z' },
    }));
    expect(delivered.status).toBe(200);
    expect(delivered.body.note).toBe(`Chatwoot attribute "pay_note" not copied to the field: "${'s'.repeat(40)}…": the value is 20,000 characters; a field holds at most 10,000`);

    const admin = p.server.api(p.server.adminToken);
    const list = await admin.get('/contacts?limit=50');
    expect(list.status).toBe(200);
    const [mirrored] = ContactList.parse(list.body).contacts;
    expect(mirrored!.fields).toEqual({ plan: 'pro' });
    const conversations = await admin.get('/conversations');
    expect(conversations.status).toBe(200);
    ConversationList.parse(conversations.body);
    expect((await admin.get(`/conversations/${conversations.body.conversations[0].id}`)).status).toBe(200);
    Contact.parse((await admin.get(`/contacts/${mirrored!.id}`)).body);
  });
});
