import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationDetail, ConversationList } from '../../../lib/contracts/conversations';
import { messengerText, whatsappPlainMessage, whatsappStatus } from '../../fixtures/meta/payloads';
import { graphErrors, type StandInTemplate } from '../../support/graph-standin';
import type { Api } from '../../support/server';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from './support';

// What an agent's reply on WhatsApp / Messenger leads to, over HTTP against the Graph stand-in:
// WhatsApp's 131047 closes the window until the customer writes again (as the clock does); a
// Resend's copy sits where it went out; the list shows a failed reply as failed and a reopened
// conversation's last message; a reply too long for its channel is refused in its words.
// Error codes: https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
// (131047 Re-engagement message, 131026 Message Undeliverable); statuses webhook:
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#statuses-object
// Limits: WhatsApp text body 4,096 (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages),
// Messenger message.text 2,000 (https://developers.facebook.com/docs/messenger-platform/reference/send-api/).

const TEMPLATES: StandInTemplate[] = [
  { id: '7001', name: 'order_ready', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameter_format: 'POSITIONAL', components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is ready.' }] },
];
type Msg = { id: string; text: string; direction: string; threadAt?: string; delivery?: { status: string; error: string | null; externalId: string | null } };

/** On SQLite (`databaseUrl` undefined) or PostgreSQL: reply-outcomes.test.ts and .pg.test.ts. */
export function replyOutcomesSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  let api: Api;
  beforeEach(async () => {
    const url = databaseUrl();
    w = await startChannelWorld(url ? { databaseUrl: url } : {});
    w.graph.addBusinessAccount({ id: WA.businessAccountId, token: WA.token, templates: TEMPLATES });
    api = w.server.api((await w.server.createUser('agent', { name: 'Ava Agent' })).token);
  });
  afterEach(async () => { await w.close(); });

  const customerWrites = async (text: string, waId = '14155550123') => {
    expect((await w.deliver(whatsappPlainMessage({ waId, text, name: 'María José' }))).status).toBe(200);
    return (await conversationOf(w.server, `phone=${encodeURIComponent(`+${waId}`)}`)).conversation.id as string;
  };
  const reply = (id: string, body: object) => api.post(`/conversations/${id}/messages`, body);
  const detail = async (id: string) => ConversationDetail.parse((await api.get(`/conversations/${id}`)).body);
  const row = async (id: string) => ConversationList.parse((await api.get('/conversations?status=open')).body).conversations.find((c) => c.id === id)!;

  describe('WhatsApp refuses a reply with 131047', () => {
    it('from the send: the window is closed until the customer writes again; text is refused in words, a template goes', async () => {
      const id = await customerWrites('Hola, ¿sigue en pie?');
      expect((await detail(id)).channel).toMatchObject({ kind: 'whatsapp', open: true });
      w.graph.failNext(graphErrors.reEngagement());
      const refused = await reply(id, { text: 'Sí, mañana a las 10' });
      expect(refused.body.delivery).toMatchObject({ status: 'failed', error: expect.stringMatching(/131047/) });

      const closed = (await detail(id)).channel!;
      expect(closed).toMatchObject({ open: false, closesAt: null, refusedAt: expect.any(String) });
      expect(closed.note).toMatch(/^WhatsApp refused a reply as sent more than 24 hours after the customer last wrote/);
      const again = await reply(id, { text: '¿Hola?' });
      expect(again.status).toBe(422);
      expect(again.body.error.message).toMatch(/^WhatsApp refused the last reply .* Pick one under Templates\.$/);
      // Resend of the refused reply could only fail again: refused before any send.
      const resend = await api.post(`/conversations/${id}/messages/${refused.body.id}/resend`, {});
      expect(resend.status).toBe(422);
      expect(w.graph.sent).toHaveLength(0);
      const template = await reply(id, { template: { name: 'order_ready', language: 'en_US', parameters: ['María', 'R-77'] } });
      expect(template.status, JSON.stringify(template.body)).toBe(201);
      expect(w.graph.sent).toHaveLength(1);

      await customerWrites('Vale, gracias');
      expect((await detail(id)).channel).toMatchObject({ open: true });
      expect((await detail(id)).channel!.refusedAt).toBeUndefined();
      expect((await reply(id, { text: 'De nada' })).status).toBe(201);
    });

    it('from a status webhook after Meta took it: the window closes the same way', async () => {
      const id = await customerWrites('Hola');
      const sent = await reply(id, { text: 'Buenos días' });
      expect(sent.body.delivery.status).toBe('accepted');
      expect((await w.deliver(whatsappStatus({ wamid: sent.body.delivery.externalId, status: 'failed', recipient: '14155550123', errorCode: 131047 }))).status).toBe(200);
      expect((await detail(id)).channel).toMatchObject({ open: false, refusedAt: expect.any(String) });
      // Another failure (131026) says nothing about the window.
      const other = await customerWrites('¿Me oyes?', '14155550199');
      w.graph.failNext(graphErrors.undeliverable());
      expect((await reply(other, { text: 'Sí' })).body.delivery.status).toBe('failed');
      expect((await detail(other)).channel).toMatchObject({ open: true });
    });
  });

  it('a resent reply sits where it went out again, after what the customer said since; the list previews it', async () => {
    const id = await customerWrites('¿Tienen descuento?');
    w.graph.failNext(graphErrors.undeliverable());
    const failed = await reply(id, { text: 'Here is your 20% code: SUMMER20' });
    expect(failed.body.delivery.status).toBe('failed');
    // The list says the latest reply failed.
    expect((await row(id)).lastMessage).toMatchObject({ text: 'Here is your 20% code: SUMMER20', delivery: { status: 'failed' } });

    await customerWrites('Ευχαριστώ! 👍');
    const resent = await api.post(`/conversations/${id}/messages/${failed.body.id}/resend`, {}, { headers: { 'idempotency-key': 'resend-1' } });
    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    expect(resent.body.delivery.status).toBe('accepted');
    expect(resent.body.threadAt).toEqual(expect.any(String));
    const texts = (await detail(id)).messages.map((m) => m.text);
    expect(texts).toEqual(['¿Tienen descuento?', 'Ευχαριστώ! 👍', 'Here is your 20% code: SUMMER20']);
    expect((await row(id)).lastMessage).toMatchObject({ id: failed.body.id, delivery: { status: 'accepted' } });
  });

  it('a conversation reopened by an agent previews the last message said until something is written in it', async () => {
    const id = await customerWrites('Thanks, all sorted');
    expect((await api.post(`/conversations/${id}/close`, { category: 'Refund issued' })).status).toBe(200);
    const { contactId } = await detail(id);
    const opened = await api.post('/conversations', { contactId });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect((await row(opened.body.id)).lastMessage).toMatchObject({ text: 'Thanks, all sorted', direction: 'incoming' });
    await customerWrites('One more thing');
    expect((await row(opened.body.id)).lastMessage).toMatchObject({ text: 'One more thing' });
  });

  describe('a reply too long for its channel', () => {
    const long = (n: number) => 'x'.repeat(n);
    it.each([
      ['WhatsApp', 5000, 'WhatsApp messages can be at most 4,096 characters (yours has 5,000)'],
      ['Messenger', 2500, 'Messenger messages can be at most 2,000 characters (yours has 2,500)'],
      ['Messenger', 5000, 'Messenger messages can be at most 2,000 characters (yours has 5,000)'],
    ])('on %s (%i characters) is refused in plain words; nothing goes to Meta', async (channel, length, words) => {
      let id: string;
      if (channel === 'WhatsApp') id = await customerWrites('Send me the terms');
      else {
        expect((await w.deliver(messengerText({ psid: '4871203918', text: 'Send me the terms' }))).status).toBe(200);
        id = (await conversationOf(w.server, 'q=3918')).conversation.id;
      }
      const res = await reply(id, { text: long(length) });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toContain(words);
      expect(res.body.error.details).toEqual([{ path: 'body.text', message: words }]);
      expect(w.graph.sent).toHaveLength(0);
      // At the limit it goes; a note of any length the API stores is no reply.
      expect((await reply(id, { text: long(channel === 'WhatsApp' ? 4096 : 2000) })).status).toBe(201);
      expect((await reply(id, { text: long(3000), kind: 'comment' })).status).toBe(201);
      expect(w.graph.sent).toHaveLength(1);
    });

    it('a workflow’s Send message step on Messenger fails saying so, before Meta is asked', async () => {
      expect((await w.deliver(messengerText({ psid: '4871203918', text: 'Send me the terms' }))).status).toBe(200);
      const { contact } = await conversationOf(w.server, 'q=3918');
      const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: long(2500) } }]);
      const run = await w.fire(wf, contact.id);
      expect(run.status).toBe('failed');
      expect(run.error).toContain('Messenger messages can be at most 2,000 characters (this one has 2,500)');
      expect(w.graph.sent).toHaveLength(0);
    });

    it('in the built-in inbox the API’s own limit is said with the count', async () => {
      const contact = await api.post('/contacts', { firstName: 'Zoë', lastName: 'Ødegård' });
      const opened = await api.post('/conversations', { contactId: contact.body.id });
      const res = await reply(opened.body.id, { text: long(5000) });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toBe('The body is invalid: body.text: Messages can be at most 4,096 characters (yours has 5,000)');
    });
  });
}
