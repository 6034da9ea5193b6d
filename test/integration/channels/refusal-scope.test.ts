import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelList, Channel } from '../../../lib/contracts/channels';
import { ConversationDetail } from '../../../lib/contracts/conversations';
import { messengerText, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { graphErrors, type GraphErrorAnswer } from '../../support/graph-standin';
import type { Api } from '../../support/server';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// Whom a refused reply is about, as Meta's codes say it: one person's thread, which the agent is
// told of while the channel stays as it is, or the whole channel, which says so on Channels and
// in the inbox. Messenger: https://developers.facebook.com/docs/messenger-platform/reference/send-api/error-codes
// (10/2018278 outside the allowed window: every reply after 24 hours from a Page whose app has no
// Human Agent permission; 10/2018108 the person is not receiving the Page's messages).
// WhatsApp: https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/
// (368, an integrity error: the account is blocked for a policy violation).

let w: ChannelWorld;
let agent: Api;
beforeEach(async () => { w = await startChannelWorld(); agent = w.server.api((await w.server.createUser('agent')).token); });
afterEach(async () => { await w.close(); });

const channel = async (id: string) => Channel.parse(ChannelList.parse((await w.server.api(w.server.adminToken).get('/channels')).body).channels.find((c) => c.id === id));
const lastReply = async (conversationId: string) => ConversationDetail.parse((await agent.get(`/conversations/${conversationId}`)).body).messages.at(-1)!;
const reply = async (conversationId: string, text: string) => {
  const res = await agent.post(`/conversations/${conversationId}/messages`, { text });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

describe('about one person', () => {
  it.each<[string, () => GraphErrorAnswer, RegExp]>([
    ['outside its window', graphErrors.messengerOutsideWindow, /^Messenger refused it as sent outside the time it allows for replies/],
    ['not received by that person', graphErrors.messengerNotReceiving, /^Messenger did not deliver it: this person is not receiving messages from the Page/],
  ])('a reply Messenger refuses as %s fails in those words, and the Page is not marked as needing a new token', async (_what, refusal, words) => {
    expect((await w.deliver(messengerText({ psid: '4871203918', text: 'Do you ship to Lisbon?' }))).status).toBe(200);
    const { conversation } = await conversationOf(w.server, 'q=3918');
    const longAgo = new Date(Date.now() - 30 * 3600_000).toISOString();
    await sql`UPDATE messages SET created_at = ${longAgo}, sent_at = ${longAgo} WHERE direction = 'incoming'`.execute(w.server.store.db);

    w.graph.failNext(refusal());
    await reply(conversation.id, 'Sorry for the wait: yes, we ship to Lisbon');
    expect(w.graph.sent).toHaveLength(0);
    const failed = await lastReply(conversation.id);
    expect(failed.delivery).toMatchObject({ status: 'failed', error: expect.stringMatching(words) });
    expect(failed.delivery!.error).not.toMatch(/access token|Replace token/);
    expect(await channel(w.messengerId)).toMatchObject({ status: 'active', lastError: null });

    // The Page still sends: the next customer who writes gets the agent's reply.
    expect((await w.deliver(messengerText({ psid: '5550002222', text: 'Hello?' }))).status).toBe(200);
    const other = await conversationOf(w.server, 'q=2222');
    expect((await reply(other.conversation.id, 'Hi, how can I help?')).delivery).toMatchObject({ status: 'accepted' });
  });
});

describe('about the whole channel', () => {
  it('WhatsApp blocking the account for a policy violation (368) marks the number, in the inbox too, until a send goes through', async () => {
    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Where is my order?', name: 'Ana Lima' }))).status).toBe(200);
    const { conversation } = await conversationOf(w.server, `phone=${encodeURIComponent('+14155550123')}`);

    w.graph.failNext(graphErrors.policyBlocked());
    await reply(conversation.id, 'It ships today');
    const restricted = /^Meta has restricted this WhatsApp Business Account \(Meta error 368.*WhatsApp Manager/;
    expect((await lastReply(conversation.id)).delivery).toMatchObject({ status: 'failed', error: expect.stringMatching(restricted) });
    expect(await channel(w.whatsappId)).toMatchObject({ status: 'error', lastError: expect.stringMatching(restricted) });
    expect(ConversationDetail.parse((await agent.get(`/conversations/${conversation.id}`)).body).channel).toMatchObject({ problem: expect.stringMatching(restricted) });

    // Lifted: the next send goes through and the mark goes.
    expect((await reply(conversation.id, 'It ships today')).delivery).toMatchObject({ status: 'accepted' });
    expect(await channel(w.whatsappId)).toMatchObject({ status: 'active', lastError: null });
  });
});
