import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MessagePage } from '../../../lib/contracts/conversation-messages';
import { ConversationDetail, ConversationList } from '../../../lib/contracts/conversations';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// Customers' WhatsApp messages that reach us late or out of order (migration 095): the thread
// reads in the order the customer wrote, each message says when it was sent (Meta's `timestamp`)
// and, the list and the unread counts keep its arrival. Meta's webhooks promise no order and a
// failed delivery is tried again for days:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
// Payloads as https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/text/
// (`timestamp`: Unix seconds) and .../reference/messages/location (name, address, latitude, longitude).

type Msg = { id: string; text: string; createdAt: string; sentAt?: string; threadAt?: string };
const WA_ID = '233201234567';

/** A customer's text sent `secondsAgo` before now by Meta's clock, delivered now. */
const sentAgo = (text: string, secondsAgo: number) => {
  const payload = whatsappPlainMessage({ waId: WA_ID, text, name: 'Kwame Mensah' });
  payload.entry[0]!.changes[0]!.value.messages[0]!.timestamp = String(Math.floor(Date.now() / 1000) - secondsAgo);
  return payload;
};

/** On SQLite (`databaseUrl` undefined) or PostgreSQL: late-messages.test.ts and .pg.test.ts. */
export function lateMessagesSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });

  const admin = () => w.server.api(w.server.adminToken);
  const deliver = async (payload: unknown) => expect((await w.deliver(payload)).status).toBe(200);
  const thread = async (id: string) => ConversationDetail.parse((await admin().get(`/conversations/${id}`)).body).messages as Msg[];
  const texts = async (id: string) => (await thread(id)).map((m) => m.text);
  /** The message with this text came in `minutes` ago (and was sent then). */
  const cameIn = (text: string, minutes: number) => {
    const at = new Date(Date.now() - minutes * 60_000).toISOString();
    return sql`UPDATE messages SET created_at = ${at}, sent_at = CASE WHEN sent_at IS NULL THEN NULL ELSE ${at} END WHERE text = ${text}`.execute(w.server.store.db);
  };

  it('two messages whose webhooks came in the wrong order read as the customer wrote them, each at its send time', async () => {
    await deliver(sentAgo('(2nd) The order number is R-77.', 0));
    await deliver(sentAgo('(1st) Hi again, sorry for the delay.', 40));
    const { conversation } = await conversationOf(w.server, `phone=${encodeURIComponent(`+${WA_ID}`)}`);
    const [first, second] = await thread(conversation.id);
    expect([first!.text, second!.text]).toEqual(['(1st) Hi again, sorry for the delay.', '(2nd) The order number is R-77.']);
    // Sent 40 s before the other, arrived after it: placed where it was sent (within its second).
    expect(Date.parse(second!.sentAt!) - Date.parse(first!.sentAt!)).toBeGreaterThanOrEqual(39_000);
    expect(Date.parse(first!.threadAt!) - Date.parse(first!.sentAt!)).toBe(999);
    expect(first!.createdAt > second!.createdAt).toBe(true);
    expect(second!.threadAt).toBeUndefined();
    // The list goes by arrival: the conversation's activity is the later arrival, its preview that message.
    const list = ConversationList.parse((await admin().get('/conversations?status=open')).body);
    expect(list.conversations[0]).toMatchObject({ id: conversation.id, lastActivityAt: first!.createdAt, lastMessage: { text: '(1st) Hi again, sorry for the delay.' } });
  });

  it('goes back to where it was sent among what came in the last 10 minutes, never above what was there longer; days late, it comes last', async () => {
    await deliver(sentAgo('A: Good morning', 0));
    const { conversation } = await conversationOf(w.server, `phone=${encodeURIComponent(`+${WA_ID}`)}`);
    const reply = await w.server.api((await w.server.createUser('agent')).token).post(`/conversations/${conversation.id}/messages`, { text: 'B: How can I help?' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await cameIn('A: Good morning', 20);
    await cameIn('B: How can I help?', 2);

    // Sent 5 minutes ago: above the reply of 2 minutes ago, which the customer had not seen then.
    await deliver(sentAgo('C: My parcel did not come', 5 * 60));
    // Sent 30 minutes ago: A has been there for 20 minutes, so no further up than just after it.
    await deliver(sentAgo('D: (sent 30 min ago)', 30 * 60));
    // A day late (Meta redelivering after an outage): after what the agent has seen, not a day back.
    await deliver(sentAgo('E: (sent 25 hours ago)', 25 * 3600));
    expect(await texts(conversation.id)).toEqual(['A: Good morning', 'D: (sent 30 min ago)', 'E: (sent 25 hours ago)', 'C: My parcel did not come', 'B: How can I help?']);
    const late = (await thread(conversation.id)).find((m) => m.text.startsWith('E:'))!;
    expect(Date.now() - Date.parse(late.sentAt!)).toBeGreaterThan(24 * 3600_000);
    expect(Date.now() - Date.parse(late.createdAt)).toBeLessThan(60_000);

    // It arrived now: the conversation is at the top of the list, previewing it.
    const list = ConversationList.parse((await admin().get('/conversations?status=open')).body);
    expect(list.conversations[0]).toMatchObject({ id: conversation.id, lastActivityAt: late.createdAt, lastMessage: { text: 'E: (sent 25 hours ago)' } });
    // The pages over HTTP hold each message once, in the thread's order.
    const seen: string[] = [];
    let cursor: string | null | undefined;
    const first = await admin().get(`/conversations/${conversation.id}/messages?limit=2`);
    let page = MessagePage.parse(first.body);
    for (;;) {
      seen.unshift(...page.messages.map((m) => m.text));
      cursor = page.nextCursor;
      if (!cursor) break;
      page = MessagePage.parse((await admin().get(`/conversations/${conversation.id}/messages?limit=2&cursor=${encodeURIComponent(cursor)}`)).body);
    }
    expect(seen).toEqual(await texts(conversation.id));
  });

  it('a burst Meta delivered a few seconds late, in order, keeps the customer’s order; a reply written meanwhile stays below what was sent before it', async () => {
    // Meta's webhooks usually come a second or more after the customer sent: each message of a
    // burst is late, behind the one before it, which is itself placed by its arrival.
    await deliver(sentAgo('1: Hi', 6));
    await deliver(sentAgo('2: I ordered on Monday', 5));
    const { conversation } = await conversationOf(w.server, `phone=${encodeURIComponent(`+${WA_ID}`)}`);
    const reply = await w.server.api((await w.server.createUser('agent')).token).post(`/conversations/${conversation.id}/messages`, { text: 'Agent: Hello! Let me check' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await deliver(sentAgo('3: Order R-77', 4));
    await deliver(sentAgo('4: It has not come', 3));
    expect(await texts(conversation.id)).toEqual(['1: Hi', '2: I ordered on Monday', '3: Order R-77', '4: It has not come', 'Agent: Hello! Let me check']);
  });

  it('several messages in one delivery, the later first, read as the customer wrote them', async () => {
    // One delivery may carry several messages (value.messages is an array), in no promised order.
    const payload = sentAgo('B: second', 2);
    payload.entry[0]!.changes[0]!.value.messages.push(sentAgo('A: first', 3).entry[0]!.changes[0]!.value.messages[0]!);
    await deliver(payload);
    await deliver(sentAgo('C: third', 1));
    const { conversation } = await conversationOf(w.server, `phone=${encodeURIComponent(`+${WA_ID}`)}`);
    expect(await texts(conversation.id)).toEqual(['A: first', 'B: second', 'C: third']);
  });

  it('a shared location names the place once, then its address', async () => {
    const payload = sentAgo('', 0);
    const message = payload.entry[0]!.changes[0]!.value.messages[0]! as Record<string, unknown>;
    delete message.text;
    Object.assign(message, { type: 'location', location: { latitude: 38.7075, longitude: -9.1364, name: 'Praça do Comércio', address: 'Praça do Comércio, 1100-148 Lisboa' } });
    await deliver(payload);
    const other = sentAgo('', 0);
    Object.assign(other.entry[0]!.changes[0]!.value.messages[0]!, { type: 'location', text: undefined, location: { latitude: 37.422, longitude: -122.084, name: 'Philz Coffee', address: '101 Forest Ave, Palo Alto, CA 94301' } });
    await deliver(other);
    const { conversation } = await conversationOf(w.server, `phone=${encodeURIComponent(`+${WA_ID}`)}`);
    expect(await texts(conversation.id)).toEqual(['Praça do Comércio, 1100-148 Lisboa', 'Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301']);
  });
}
