import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphTiming } from '../../../server/channels/graph';
import { messengerText, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import type { StandInTemplate } from '../../support/graph-standin';
import type { Api } from '../../support/server';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from './support';

// An agent's Idempotency-Key on a WhatsApp / Messenger reply is that agent's, for one
// conversation and one body (Stripe: keys are per account, a reuse with other parameters is an
// error). It was one key for everybody: a second agent's reply with the same key was answered the
// first agent's message, on another customer's conversation, and never sent.
// Templates as GET /{waba-id}/message_templates returns them:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management/

const TEMPLATES: StandInTemplate[] = [
  { id: '7001', name: 'order_ready', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameter_format: 'POSITIONAL', components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is ready for pickup.' }] },
];

/** On SQLite (`databaseUrl` undefined) or PostgreSQL. */
export function replyKeysSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => {
    graphTiming.baseDelayMs = 5;
    const url = databaseUrl();
    w = await startChannelWorld(url ? { databaseUrl: url } : {});
    w.graph.addBusinessAccount({ id: WA.businessAccountId, token: WA.token, templates: TEMPLATES });
  });
  afterEach(async () => { await w.close(); graphTiming.baseDelayMs = 500; });

  const agent = async (name: string) => {
    const { user, token } = await w.server.createUser('agent', { name });
    return { id: user.id, api: w.server.api(token) };
  };
  const waCustomer = async (waId: string, name: string) => {
    expect((await w.deliver(whatsappPlainMessage({ waId, text: 'Hello?', name }))).status).toBe(200);
    return (await conversationOf(w.server, `phone=${encodeURIComponent(`+${waId}`)}`)).conversation.id as string;
  };
  const reply = (api: Api, id: string, body: object, key: string) => api.post(`/conversations/${id}/messages`, body, { headers: { 'idempotency-key': key } });
  const sentTexts = () => w.graph.sent.map((s) => s.body.text?.body ?? s.body.message?.text ?? s.body.template?.name);

  describe('an Idempotency-Key on a reply through a channel', () => {
    it('is the caller’s own: another agent’s same key on another customer sends that agent’s reply', async () => {
      const alice = await waCustomer('14155550123', 'Alice');
      const bob = await waCustomer('14155550188', 'Bob');
      const a = await agent('Agent A');
      const b = await agent('Agent B');
      const first = await reply(a.api, alice, { text: 'Alice, your refund is approved' }, 'reply-1');
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const second = await reply(b.api, bob, { text: 'Bob, your parcel left today' }, 'reply-1');
      expect(second.status, JSON.stringify(second.body)).toBe(201);
      expect(second.body).toMatchObject({ conversationId: bob, text: 'Bob, your parcel left today', author: { type: 'user', id: b.id }, delivery: { status: 'accepted' } });
      expect(second.body.id).not.toBe(first.body.id);
      expect(w.graph.sent.map((s) => [s.body.to, s.body.text.body])).toEqual([
        ['14155550123', 'Alice, your refund is approved'], ['14155550188', 'Bob, your parcel left today'],
      ]);
    });

    it('answers the same request on the same conversation with the first message; another body or another conversation is a 409', async () => {
      const alice = await waCustomer('14155550123', 'Alice');
      const bob = await waCustomer('14155550188', 'Bob');
      const a = await agent('Agent A');
      const first = await reply(a.api, alice, { text: 'Your refund is approved' }, 'reply-1');
      expect(first.status).toBe(201);
      const again = await reply(a.api, alice, { text: 'Your refund is approved' }, 'reply-1');
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);

      const otherText = await reply(a.api, alice, { text: 'Your refund was refused' }, 'reply-1');
      expect(otherText.status).toBe(409);
      expect(otherText.body.error).toMatchObject({ code: 'idempotency_key_reused', message: expect.stringMatching(/already used for another reply/) });
      const otherConversation = await reply(a.api, bob, { text: 'Your refund is approved' }, 'reply-1');
      expect(otherConversation.status).toBe(409);
      expect(otherConversation.body.error).toMatchObject({ code: 'idempotency_key_reused', message: expect.stringMatching(/on another conversation/) });
      // Nothing of Alice's reached Bob's conversation, and nothing went out twice.
      expect(JSON.stringify(otherConversation.body)).not.toContain(first.body.id);
      const bobsMessages = (await a.api.get(`/conversations/${bob}`)).body.messages as { direction: string }[];
      expect(bobsMessages.filter((m) => m.direction === 'outgoing')).toEqual([]);
      expect(sentTexts()).toEqual(['Your refund is approved']);
    });

    it('a WhatsApp template: the same template again is the first message; other values under the key are a 409', async () => {
      const alice = await waCustomer('14155550123', 'Alice');
      const a = await agent('Agent A');
      const template = { name: 'order_ready', language: 'en_US', parameters: ['Alice', 'A-1'] };
      const first = await reply(a.api, alice, { template }, 'tpl-1');
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect((await reply(a.api, alice, { template }, 'tpl-1')).body.id).toBe(first.body.id);
      const other = await reply(a.api, alice, { template: { ...template, parameters: ['Alice', 'A-2'] } }, 'tpl-1');
      expect(other.status).toBe(409);
      expect(other.body.error.code).toBe('idempotency_key_reused');
      const asText = await reply(a.api, alice, { text: 'Hi Alice, your order A-1 is ready for pickup.' }, 'tpl-1');
      expect(asText.status).toBe(409);
      expect(w.graph.sent).toHaveLength(1);
    });

    it('a note on a WhatsApp conversation (stored here, sent nowhere) follows the same rule', async () => {
      const alice = await waCustomer('14155550123', 'Alice');
      const a = await agent('Agent A');
      const note = { text: 'VIP: call back before noon', kind: 'comment' };
      const first = await reply(a.api, alice, note, 'note-1');
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect((await reply(a.api, alice, note, 'note-1')).body.id).toBe(first.body.id);
      const other = await reply(a.api, alice, { ...note, text: 'VIP' }, 'note-1');
      expect(other.status).toBe(409);
      expect(other.body.error.code).toBe('idempotency_key_reused');
      const notes = ((await a.api.get(`/conversations/${alice}`)).body.messages as { kind: string; text: string }[]).filter((m) => m.kind === 'comment');
      expect(notes.map((m) => m.text)).toEqual(['VIP: call back before noon']);
      expect(w.graph.sent).toEqual([]);
    });

    it('on Messenger too', async () => {
      expect((await w.deliver(messengerText({ psid: '4871203918', text: 'Do you ship to Lisbon?' }))).status).toBe(200);
      const page = (await conversationOf(w.server, 'q=3918')).conversation.id as string;
      const alice = await waCustomer('14155550123', 'Alice');
      const a = await agent('Agent A');
      const b = await agent('Agent B');
      expect((await reply(a.api, alice, { text: 'For Alice' }, 'k')).status).toBe(201);
      const onPage = await reply(b.api, page, { text: 'Yes, we ship to Lisbon' }, 'k');
      expect(onPage.body).toMatchObject({ conversationId: page, text: 'Yes, we ship to Lisbon', author: { id: b.id } });
      expect((await reply(a.api, page, { text: 'For Alice' }, 'k')).status).toBe(409);
      expect(sentTexts()).toEqual(['For Alice', 'Yes, we ship to Lisbon']);
    });
  });
}
