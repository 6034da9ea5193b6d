import { afterEach, beforeEach, expect, it } from 'vitest';
import { Message } from '../../../lib/contracts/conversations';
import { messengerText, nextMid, nextWamid, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { messengerEdit, messengerReactionTo, whatsappEdit, whatsappReactionTo } from '../../fixtures/meta/message-kinds';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// A customer's reaction or edit that Meta delivers before its message waits for it (up to 7 days),
// holding who sent it and, for an edit, the words. Before, erasing the contact (DELETE
// /contacts/:id, a GDPR request) left them there: the message arriving afterwards showed the erased
// person's reaction and edited words again. Over real HTTP with signed webhooks in Meta's shapes.
// Registered by early-items-erasure.test.ts and .pg.test.ts.

export function earlyItemsErasureSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });

  const admin = () => w.server.api(w.server.adminToken);
  const shown = async (query: string) => {
    const { conversation } = await conversationOf(w.server, query);
    return (conversation.messages as unknown[]).map((m) => Message.parse(m)).map((m) => `${m.text}${m.edited ? ' (edited)' : ''}`);
  };
  const waiting = async () => (await w.server.app.services.db.selectFrom('early_reactions').select('target_id').execute()).map((r) => r.target_id);
  const erase = async (query: string) => {
    const { contact } = await conversationOf(w.server, query);
    expect((await admin().del(`/contacts/${contact.id}`)).status).toBe(204);
  };

  it('WhatsApp: the erased contact’s waiting reaction and edit go with them; another customer’s stays', async () => {
    await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi' }));
    await w.deliver(whatsappPlainMessage({ waId: '14155550188', text: 'Hello' }));
    const later = nextWamid();
    const others = nextWamid();
    await w.deliver(whatsappReactionTo({ waId: '14155550123', to: later, emoji: '\u{1F44D}' }));
    await w.deliver(whatsappEdit({ waId: '14155550123', original: later, text: 'My card ends 4242' }));
    await w.deliver(whatsappReactionTo({ waId: '14155550188', to: others, emoji: '\u{1F64F}' }));
    expect(await waiting()).toHaveLength(3);

    await erase('phone=%2B14155550123');
    expect(await waiting()).toEqual([others]);
    // The same person writes again: a new contact, the message as sent, no reaction or edit of the erased one.
    await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'My card ends 1111', id: later }));
    expect(await shown('phone=%2B14155550123')).toEqual(['My card ends 1111']);
    await w.deliver(whatsappPlainMessage({ waId: '14155550188', text: 'Thanks', id: others }));
    expect(await shown('phone=%2B14155550188')).toEqual(['Hello', 'Thanks', 'Reacted 🙏 to: “Thanks”']);
  });

  it('Messenger: the erased contact’s waiting reaction and edit go with them', async () => {
    await w.deliver(messengerText({ psid: '4871203918', text: 'Hi' }));
    const later = nextMid();
    await w.deliver(messengerReactionTo({ psid: '4871203918', mid: later, emoji: '\u{2764}\u{FE0F}' }));
    await w.deliver(messengerEdit({ psid: '4871203918', mid: later, text: 'I live at Rua B, 2', numEdit: 1 }));
    expect(await waiting()).toHaveLength(2);

    await erase('q=3918');
    expect(await waiting()).toEqual([]);
    await w.deliver(messengerText({ psid: '4871203918', text: 'I live at Rua A, 1', mid: later }));
    expect(await shown('q=3918')).toEqual(['I live at Rua A, 1']);
  });
}
