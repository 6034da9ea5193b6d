import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationDetail, PostedMessage } from '../../../lib/contracts/conversations';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { graphTiming } from '../../../server/channels/graph';
import type { Api } from '../../support/server';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// A closed WhatsApp conversation: the customer writing again (on the channel or recorded through
// the API) opens the contact's conversation on the same number; an agent's reply on the closed one
// is refused before anything reaches Meta.

let w: ChannelWorld;
let agent: Api;
beforeEach(async () => {
  graphTiming.baseDelayMs = 5;
  w = await startChannelWorld();
  agent = w.server.api((await w.server.createUser('agent')).token);
});
afterEach(async () => { await w.close(); graphTiming.baseDelayMs = 500; });

const WA_ID = '14155550123';
const detail = async (id: string) => ConversationDetail.parse((await agent.get(`/conversations/${id}?history=true`)).body);

describe('a closed conversation on a WhatsApp number', () => {
  it('refuses an agent reply (409, nothing sent); a customer message recorded through the API opens one on the same number', async () => {
    expect((await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Is my order shipped?', name: 'Ana Lima' }))).status).toBe(200);
    const { contact, conversation: first } = await conversationOf(w.server, `phone=${encodeURIComponent(`+${WA_ID}`)}`);
    expect(first.connectionId).toBe(w.whatsappId);
    expect((await agent.post(`/conversations/${first.id}/close`, {})).status).toBe(200);

    const refused = await agent.post(`/conversations/${first.id}/messages`, { text: 'Anything else?' }, { headers: { 'idempotency-key': 'late-reply' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conversation_closed');
    expect(w.graph.sent).toHaveLength(0);

    const res = await agent.post(`/conversations/${first.id}/messages`, { text: 'Also, the size is wrong', direction: 'incoming' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const posted = PostedMessage.parse(res.body);
    expect(posted).toMatchObject({ closedConversationId: first.id, openedConversation: true });
    const reopened = await detail(posted.conversationId);
    expect(reopened).toMatchObject({ status: 'open', openedBySource: 'contact', connectionId: w.whatsappId, externalId: WA_ID, channel: { kind: 'whatsapp' } });
    const opened = (await w.server.events('conversation.opened')).filter((e) => e.payload.conversationId === reopened.id);
    expect(opened).toMatchObject([{ source: 'contact', payload: { channel: 'whatsapp' } }]);
    expect(reopened.history!.conversations.map((c) => c.messages.map((m) => m.text))).toEqual([['Is my order shipped?', expect.stringMatching(/^Conversation was closed by Test agent \d+$/)]]);

    // The agent answers there: it goes out on the number.
    const reply = await agent.post(`/conversations/${reopened.id}/messages`, { text: 'We will send the right one' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(w.graph.sent.map((s) => s.body.text.body)).toEqual(['We will send the right one']);
    expect((await w.server.events('conversation.opened')).filter((e) => e.contactId === contact.id)).toHaveLength(2);
  });

  it("an agent's Reopen keeps the number: the reply goes out there, the earlier messages come with it", async () => {
    expect((await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Can I change my address?', name: 'Ana Lima' }))).status).toBe(200);
    const { contact, conversation: first } = await conversationOf(w.server, `phone=${encodeURIComponent(`+${WA_ID}`)}`);
    expect((await agent.post(`/conversations/${first.id}/close`, {})).status).toBe(200);
    const reopened = await agent.post('/conversations', { contactId: contact.id });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(201);
    expect(reopened.body).toMatchObject({ openedBySource: 'user', connectionId: w.whatsappId, externalId: WA_ID });
    const opened = (await w.server.events('conversation.opened')).filter((e) => e.payload.conversationId === reopened.body.id);
    expect(opened).toMatchObject([{ source: 'user', payload: { channel: 'whatsapp' } }]);
    const reply = await agent.post(`/conversations/${reopened.body.id}/messages`, { text: 'Yes, send me the new one' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(w.graph.sent.map((m) => [m.body.to, m.body.text.body])).toEqual([[WA_ID, 'Yes, send me the new one']]);
    expect((await detail(reopened.body.id)).history!.conversations.map((c) => c.id)).toEqual([first.id]);
  });

  it('a customer writing on the channel after the close opens a new conversation that shows the earlier ones', async () => {
    expect((await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'First question', name: 'Ana Lima' }))).status).toBe(200);
    const { conversation: first } = await conversationOf(w.server, `phone=${encodeURIComponent(`+${WA_ID}`)}`);
    expect((await agent.post(`/conversations/${first.id}/messages`, { text: 'Answered' })).status).toBe(201);
    expect((await agent.post(`/conversations/${first.id}/close`, {})).status).toBe(200);
    expect((await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Second question' }))).status).toBe(200);
    const { conversation: second } = await conversationOf(w.server, `phone=${encodeURIComponent(`+${WA_ID}`)}`);
    expect(second.id).not.toBe(first.id);
    const shown = await detail(second.id);
    expect(shown.messages.map((m) => m.text)).toEqual(['Second question']);
    expect(shown.history!.conversations.map((c) => [c.id, c.messages.map((m) => m.text)])).toEqual([[first.id, ['First question', 'Answered', expect.stringMatching(/^Conversation was closed by Test agent \d+$/)]]]);
    expect((await detail(first.id)).contactOpenConversationId).toBe(second.id);
  });
});
