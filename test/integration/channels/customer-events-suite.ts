import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { whatsappErrors, whatsappNumberChanged } from '../../fixtures/meta/message-kinds';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// A customer changing their WhatsApp number, Meta's error notifications, and deliveries Meta
// retries long after the customer wrote.

/** On SQLite (`databaseUrl` undefined) or PostgreSQL. */
export function customerEventsSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });

  const admin = () => w.server.api(w.server.adminToken);
  const count = async (table: 'contacts' | 'conversations' | 'messages') =>
    Number((await w.server.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  describe('a customer who changed their WhatsApp number', () => {
    it('keeps their contact and conversation: the contact takes the new number, replies go to it, and a note says so', async () => {
      await w.deliver(whatsappPlainMessage({ waId: '16505551234', text: 'Hi, it is Sheena', name: 'Sheena Nelson' }));
      const { contact, conversation } = await conversationOf(w.server, 'phone=%2B16505551234');
      const res = await w.deliver(whatsappNumberChanged({ from: '16505551234', to: '12195555358' }));
      expect(res.body).toMatchObject({ received: 1, skipped: 0 });
      expect((await admin().get(`/contacts/${contact.id}`)).body.phone).toBe('+12195555358');
      const fieldEvents = (await w.server.events('contact.field_updated')).map((e) => e.payload);
      expect(fieldEvents).toContainEqual(expect.objectContaining({ contactId: contact.id, field: 'phone', oldValue: '+16505551234', newValue: '+12195555358' }));

      await w.deliver(whatsappPlainMessage({ waId: '12195555358', text: 'New number, same me' }));
      expect([await count('contacts'), await count('conversations')]).toEqual([1, 1]);
      const after = (await admin().get(`/conversations/${conversation.id}`)).body;
      expect(after.externalId).toBe('12195555358');
      expect(after.messages.map((m: { kind: string; text: string }) => `${m.kind}: ${m.text}`)).toEqual([
        'message: Hi, it is Sheena',
        'comment: Changed their WhatsApp number from +16505551234 to +12195555358: replies go to the new number.',
        'message: New number, same me',
      ]);
      const { token } = await w.server.createUser('agent');
      expect((await w.server.api(token).post(`/conversations/${conversation.id}/messages`, { text: 'Got it, Sheena' })).status).toBe(201);
      expect(w.graph.sent.map((s) => s.body.to)).toEqual(['12195555358']);
    });

    it('a new number that is already another contact’s is left to merge, and the note says so', async () => {
      await w.deliver(whatsappPlainMessage({ waId: '16505551234', text: 'Old phone', name: 'Sheena Nelson' }));
      await w.deliver(whatsappPlainMessage({ waId: '12195555358', text: 'New phone', name: 'Sheena N' }));
      const { contact, conversation } = await conversationOf(w.server, 'phone=%2B16505551234');
      expect((await w.deliver(whatsappNumberChanged({ from: '16505551234', to: '12195555358' }))).status).toBe(200);
      expect((await admin().get(`/contacts/${contact.id}`)).body.phone).toBe('+16505551234');
      const note = (await admin().get(`/conversations/${conversation.id}`)).body.messages.at(-1);
      expect(note).toMatchObject({ kind: 'comment' });
      expect(note.text).toMatch(/already the number of another contact \(Sheena N\).*merge the two/);
    });
  });

  describe('Meta’s error notifications', () => {
    it('a change carrying value.errors is counted in the answer and stores nothing', async () => {
      const res = await w.deliver(whatsappErrors());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ received: 0, errors: 1, ignored: 0 });
      expect(await count('messages')).toBe(0);
    });
  });

  describe('a delivery Meta retried a day late', () => {
    it('its new conversation is listed at the top (by when it arrived); the message keeps when it was sent and the window counts from then', async () => {
      await w.deliver(whatsappPlainMessage({ waId: '14155550001', text: 'Written a minute ago' }));
      const late = whatsappPlainMessage({ waId: '14155550002', text: 'Written yesterday' });
      const sentAt = Math.floor(Date.now() / 1000) - 30 * 3600;
      (late.entry[0]!.changes[0]!.value.messages[0] as { timestamp: string }).timestamp = String(sentAt);
      expect((await w.deliver(late)).body.received).toBe(1);

      const list = (await admin().get('/conversations?status=open')).body.conversations as { contact: { phone: string }; lastActivityAt: string }[];
      expect(list.map((c) => c.contact.phone)).toEqual(['+14155550002', '+14155550001']);
      expect(Date.now() - Date.parse(list[0]!.lastActivityAt)).toBeLessThan(60_000);
      const { conversation } = await conversationOf(w.server, 'phone=%2B14155550002');
      const [message] = conversation.messages;
      expect(message.sentAt).toBe(new Date(sentAt * 1000).toISOString());
      expect(Date.now() - Date.parse(message.createdAt)).toBeLessThan(60_000);
      expect(conversation.channel).toMatchObject({ kind: 'whatsapp', open: false });
    });
  });
}
