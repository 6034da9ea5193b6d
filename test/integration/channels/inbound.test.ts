import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  messengerDelivery, messengerEcho, messengerGetStartedFromAd, messengerImage, messengerReadAndReaction, messengerText, messengerUserRef,
  nextWamid, whatsappAdMessage, whatsappImage, whatsappPlainMessage, whatsappReaction, whatsappUnsupported,
} from '../../fixtures/meta/payloads';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

let w: ChannelWorld;
beforeEach(async () => { w = await startChannelWorld(); });
afterEach(async () => { await w.close(); });

const eligibleAd = { adAccountId: 'act_1', adId: '120210000000001', name: 'Summer sale', channel: 'whatsapp_cloud_api', status: 'ACTIVE', objective: 'OUTCOME_ENGAGEMENT', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP' };
async function adWorkflow() {
  const admin = w.server.api(w.server.adminToken);
  await admin.post('/ads', eligibleAd);
  const wf = await admin.post('/workflows', { name: 'Ad leads', trigger: { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds: [eligibleAd.adId] }, steps: [{ id: 'c', type: 'add_comment', config: { text: 'lead' } }] });
  expect((await admin.post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
}
/** Several payloads merged into one delivery, entries in order. */
const batch = (...payloads: { object: string; entry: unknown[] }[]) => ({ object: payloads[0]!.object, entry: payloads.flatMap((p) => p.entry) });
const count = async (table: 'contacts' | 'messages' | 'conversations') =>
  Number((await w.server.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('POST /meta/webhook: each item on its own', () => {
  it('a malformed item and unused kinds in a delivery never drop the others', async () => {
    const good = whatsappPlainMessage({ waId: '14155550123', text: 'First' });
    const broken = whatsappPlainMessage({ waId: '14155550124', text: 'x' });
    (broken.entry[0]!.changes[0]!.value.messages[0] as Record<string, unknown>).from = { not: 'a string' };
    const res = await w.deliver(batch(good, broken, whatsappReaction({ waId: '14155550125', to: 'wamid.X' }), whatsappUnsupported({ waId: '14155550126' }),
      whatsappImage({ waId: '14155550127', caption: 'My receipt' })));
    expect(res.status).toBe(200);
    // The unsupported message is a placeholder for the agent; the reaction waits for the message it names.
    expect(res.body).toMatchObject({ received: 4, skipped: 1, duplicates: 0 });
    expect(await count('contacts')).toBe(3);
    const { conversation } = await conversationOf(w.server, 'phone=%2B14155550127');
    expect(conversation.messages[0]).toMatchObject({ text: 'My receipt', attachments: [{ type: 'image', mediaId: '1003383421387256', caption: 'My receipt', mimeType: 'image/jpeg' }] });
  });

  it('a customer who writes first opens the conversation on the channel: Conversation Opened says whatsapp or messenger', async () => {
    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi' }))).status).toBe(200);
    expect((await w.deliver(messengerText({ psid: '6783371528424317', text: 'Hello' }))).status).toBe(200);
    const opened = await w.server.events('conversation.opened');
    // `$trigger.channel`: a workflow's conditions and messages read it (it said built_in before the channel was attached).
    expect(opened.map((e: { payload: { channel: string; firstIncomingMessage: string } }) => [e.payload.channel, e.payload.firstIncomingMessage])).toEqual([['whatsapp', 'Hi'], ['messenger', 'Hello']]);
  });

  it('accepts a delivery of 1,000 entries', async () => {
    const many = batch(...Array.from({ length: 1000 }, (_, i) => whatsappPlainMessage({ waId: `1415555${String(i).padStart(4, '0')}`, text: `m${i}` })));
    const res = await w.deliver(many);
    expect(res.status).toBe(200);
    expect(res.body.received).toBe(1000);
    expect(await count('contacts')).toBe(1000);
  });

  it('a repeated delivery (also concurrent) is stored once and starts its workflow once', async () => {
    await adWorkflow();
    const payload = whatsappAdMessage({ waId: '14155550123', adId: eligibleAd.adId, text: 'Sale?', id: nextWamid() });
    const results = await Promise.all([w.deliver(payload), w.deliver(payload), w.deliver(payload)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.flatMap((r) => r.body.runIds)).toHaveLength(1);
    expect(results.reduce((n, r) => n + r.body.duplicates, 0)).toBe(2);
    const later = await w.deliver(payload);
    expect(later.body).toMatchObject({ received: 0, duplicates: 1, runIds: [] });
    expect(await count('messages')).toBeGreaterThanOrEqual(1);
    expect((await w.server.events('ad.clicked'))).toHaveLength(1);
    expect((await w.server.events('contact.created'))).toHaveLength(1);
    const incoming = await w.server.store.db.selectFrom('messages').select('text').where('direction', '=', 'incoming').execute();
    expect(incoming.map((m) => m.text)).toEqual(['Sale?']);
  });
});

describe('Meta’s clock', () => {
  it('a message Meta redelivers a day late counts from when the customer sent it: the 24-hour window is already closed', async () => {
    const late = whatsappPlainMessage({ waId: '14155550123', text: 'Sent yesterday' });
    (late.entry[0]!.changes[0]!.value.messages[0] as { timestamp: string }).timestamp = String(Math.floor(Date.now() / 1000) - 30 * 3600);
    expect((await w.deliver(late)).status).toBe(200);
    const { conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
    expect(conversation.channel).toMatchObject({ kind: 'whatsapp', open: false });
    expect(Date.now() - Date.parse(conversation.messages[0].sentAt)).toBeGreaterThan(29 * 3600_000);
  });
});

describe('Messenger deliveries', () => {
  it('echoes are outgoing messages (never a contact); user_ref, reads and reactions are skipped; deliveries update the status', async () => {
    await w.deliver(messengerText({ psid: '4871203918', text: 'Hello' }));
    const res = await w.deliver(batch(messengerEcho({ psid: '4871203918', text: 'Sent from the Page inbox' }), messengerUserRef({ userRef: 'plugin-visitor-1', text: 'hi' }),
      messengerReadAndReaction({ psid: '4871203918', mid: 'm_x' }), messengerEcho({ psid: '999999', text: 'to someone unknown' })));
    expect(res.status).toBe(200);
    expect(await count('contacts')).toBe(1);
    const { conversation } = await conversationOf(w.server, 'q=3918');
    expect(conversation.messages.map((m: { direction: string; text: string }) => `${m.direction}:${m.text}`)).toEqual(['incoming:Hello', 'outgoing:Sent from the Page inbox']);

    const { token } = await w.server.createUser('agent');
    const reply = await w.server.api(token).post(`/conversations/${conversation.id}/messages`, { text: 'Hi there' });
    const mid = reply.body.delivery.externalId as string;
    // Meta echoes our own send back and later reports it delivered: still one message.
    await w.deliver(messengerEcho({ psid: '4871203918', text: 'Hi there', mid }));
    await w.deliver(messengerDelivery({ psid: '4871203918', mids: [mid] }));
    const after = (await w.server.api(w.server.adminToken).get(`/conversations/${conversation.id}`)).body;
    expect(after.messages.filter((m: { text: string }) => m.text === 'Hi there')).toHaveLength(1);
    expect(after.messages.at(-1).delivery.status).toBe('delivered');
  });

  it('"Get Started" from a Click-to-Messenger ad (postback.referral) starts the ads trigger once; images keep their URL', async () => {
    await adWorkflow();
    const payload = messengerGetStartedFromAd({ psid: '5550001111', adId: eligibleAd.adId });
    const first = await w.deliver(payload);
    expect(first.body.runIds).toHaveLength(1);
    expect((await w.deliver(payload)).body.runIds).toEqual([]);
    const { conversation } = await conversationOf(w.server, 'q=1111');
    expect(conversation.openedBySource).toBe('click_to_chat_ads');
    await w.deliver(messengerImage({ psid: '5550001111', url: 'https://scontent.xx.fbcdn.net/v/photo.jpg' }));
    const after = (await w.server.api(w.server.adminToken).get(`/conversations/${conversation.id}`)).body;
    expect(after.messages.at(-1).attachments).toEqual([{ type: 'image', url: 'https://scontent.xx.fbcdn.net/v/photo.jpg' }]);
  });
});

describe('Messenger names', () => {
  it('a new Messenger contact is named from the User Profile API; without profile access the placeholder stays', async () => {
    w.graph.addProfile({ psid: '4871203918', pageId: '682498302938465', firstName: 'Rui', lastName: 'Costa' });
    await w.deliver(messengerText({ psid: '4871203918', text: 'Olá' }));
    await w.deliver(messengerText({ psid: '5550002222', text: 'Hi' }));
    const admin = w.server.api(w.server.adminToken);
    const until = Date.now() + 5000;
    let names: string[] = [];
    while (Date.now() < until) {
      names = (await admin.get('/contacts')).body.contacts.map((c: { firstName: string; lastName: string }) => `${c.firstName} ${c.lastName}`).sort();
      if (names.includes('Rui Costa')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(names).toEqual(['Messenger user 2222', 'Rui Costa']);
  });
});

describe('WhatsApp wa_id quirks', () => {
  it.each([
    ['Brazil without the ninth digit', '+5511987654321', '551187654321'],
    ['Mexico with the legacy 1', '+525512345678', '5215512345678'],
  ])('%s finds the contact stored in E.164', async (_n, stored, waId) => {
    const admin = w.server.api(w.server.adminToken);
    const contact = await admin.post('/contacts', { firstName: 'Existing', lastName: 'Customer', phone: stored });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    expect((await w.deliver(whatsappPlainMessage({ waId, text: 'Olá' }))).status).toBe(200);
    expect(await count('contacts')).toBe(1);
    const { conversation } = await conversationOf(w.server, `phone=${encodeURIComponent(stored)}`);
    expect(conversation.externalId).toBe(waId);
  });

  it('a new Mexican sender is stored in E.164 without the legacy 1', async () => {
    await w.deliver(whatsappPlainMessage({ waId: '5215512345678', text: 'Hola' }));
    const contacts = await w.server.api(w.server.adminToken).get('/contacts?phone=%2B525512345678');
    expect(contacts.body.contacts).toHaveLength(1);
  });
});
