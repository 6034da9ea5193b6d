import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConversationList } from '../../../lib/contracts/conversations';
import { MessagePage } from '../../../lib/contracts/conversation-messages';
import type { CwStandinConversation, CwStandinMessage } from '../../support/chatwoot-standin';
import { before, startChatwootPair, type ChatwootPair } from './harness';

/**
 * Registered by message-times.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A message from
 * Chatwoot was dated when it reached the companion: a webhook that came late (Chatwoot sends them
 * from a queue, in no set order) put an older message after a newer one, and a sync dated a
 * message of last week today. Now the thread and the inbox list show Chatwoot's own times and
 * order; a time that cannot be right (a day ahead, 1970) keeps the arrival time.
 */
export function chatwootMessageTimesSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ databaseUrl: databaseUrl() }); });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  let nextId = 40_000;
  /** The customer writes in Chatwoot at `at` (Unix seconds, Chatwoot's clock). */
  const customerWrote = (conv: CwStandinConversation, content: string, at: number): CwStandinMessage => {
    const msg: CwStandinMessage = { id: ++nextId, content, message_type: 0, private: false, created_at: at, sender_type: 'Contact' };
    conv.messages.push(msg);
    conv.last_activity_at = Math.max(conv.last_activity_at, at);
    p.cw.touch(conv);
    return msg;
  };
  const mirrorOf = async (conv: CwStandinConversation) =>
    ConversationList.parse((await admin().get('/conversations')).body).conversations.find((c) => c.externalId === String(conv.id))!;
  const thread = async (conversationId: string) =>
    MessagePage.parse((await admin().get(`/conversations/${conversationId}/messages`)).body).messages.map((m) => [m.text, m.createdAt]);

  it('a late webhook sorts by its own time: the thread and the list show Chatwoot\'s order and times', async () => {
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: jane.id });
    const t = nowSeconds();
    const first = customerWrote(conv, 'My parcel is late', t - 120);
    const second = customerWrote(conv, 'Order #5531', t - 60);
    // Chatwoot's queue delivers the newer message first.
    expect((await p.hook(p.cw.messagePayload(conv.id, second.id))).status).toBe(200);
    expect((await p.hook(p.cw.messagePayload(conv.id, first.id))).status).toBe(200);

    const mirror = await mirrorOf(conv);
    expect(await thread(mirror.id)).toEqual([['My parcel is late', iso(t - 120)], ['Order #5531', iso(t - 60)]]);
    // The list previews the newest message and orders by it, not by the one that came last.
    expect(mirror.lastMessage).toMatchObject({ text: 'Order #5531', createdAt: iso(t - 60) });
    expect(mirror.lastActivityAt).toBe(iso(t - 60));
    const detail = (await admin().get(`/conversations/${mirror.id}`)).body as { messages: { text: string; createdAt: string }[] };
    expect(detail.messages.map((m) => m.text)).toEqual(['My parcel is late', 'Order #5531']);
  });

  it('a sync dates what it copies by Chatwoot\'s time: a lost webhook\'s message, and a conversation from before the account was connected', async () => {
    const ann = p.cw.addContact({ name: 'Ann Lee' });
    const old = before(p.cw.addConversation({ contactId: ann.id, firstMessage: { content: 'Hello from yesterday', incoming: true } }));
    const bob = p.cw.addContact({ name: 'Bob Roe' });
    const lost = p.cw.addConversation({ contactId: bob.id });
    const t = nowSeconds();
    customerWrote(lost, 'Nobody told you about this one', t - 90);
    expect((await admin().post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(200);

    expect(await thread((await mirrorOf(old)).id)).toEqual([['Hello from yesterday', iso(old.messages[0]!.created_at)]]);
    expect(await thread((await mirrorOf(lost)).id)).toEqual([['Nobody told you about this one', iso(t - 90)]]);
    // The list is in Chatwoot's order too: the conversation written in 90 s ago above yesterday's.
    const list = ConversationList.parse((await admin().get('/conversations')).body).conversations.map((c) => c.externalId);
    expect(list).toEqual([String(lost.id), String(old.id)]);
  });

  it('a time that cannot be right (a day ahead of this clock, 1970) keeps the time it arrived; a sound one beside it keeps Chatwoot\'s', async () => {
    const jane = p.cw.addContact({ name: 'Jane Doe' });
    const conv = p.cw.addConversation({ contactId: jane.id });
    const t = nowSeconds();
    const sound = customerWrote(conv, 'Hi', t - 60);
    const ahead = customerWrote(conv, 'From the future', t + 86_400);
    const epoch = customerWrote(conv, 'From 1970', 0);
    const sent = Date.now();
    for (const m of [sound, ahead, epoch]) expect((await p.hook(p.cw.messagePayload(conv.id, m.id))).status).toBe(200);
    const stored = await thread((await mirrorOf(conv)).id);
    expect(stored.map(([text]) => text)).toEqual(['Hi', 'From the future', 'From 1970']);
    const [soundAt, ...arrived] = stored.map(([, at]) => Date.parse(at!));
    expect(soundAt).toBe((t - 60) * 1000);
    for (const at of arrived) {
      expect(at).toBeGreaterThanOrEqual(sent);
      expect(at).toBeLessThanOrEqual(Date.now());
    }
  });
}
