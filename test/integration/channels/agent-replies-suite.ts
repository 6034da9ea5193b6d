import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphTiming } from '../../../server/channels/graph';
import { wakeReplyRetries } from '../../../server/channels/reply-retries';
import { STEP_RETRY_DELAYS_S } from '../../../server/engine/executor/step-retry';
import { messengerText, whatsappPlainMessage, whatsappStatus } from '../../fixtures/meta/payloads';
import { graphErrors, type GraphErrorAnswer, type StandInTemplate } from '../../support/graph-standin';
import type { Api } from '../../support/server';
import { waitFor } from '../../support/wait';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from './support';

// An agent's reply in the built-in inbox once Meta's 24-hour window has closed (a WhatsApp
// template, Messenger's Human Agent tag), and a reply Meta did not take: tried again in the
// background when Meta refused for now, sent again once by Resend when it failed.
// Templates as GET /{waba-id}/message_templates returns them:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management/
// HUMAN_AGENT (a person's reply up to 7 days after the customer's last message):
// https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags

const TEMPLATES: StandInTemplate[] = [
  { id: '7001', name: 'order_ready', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameter_format: 'POSITIONAL', components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is ready for pickup.' }] },
  { id: '7002', name: 'follow_up', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameter_format: 'NAMED', components: [{ type: 'BODY', text: 'Hello {{first_name}}, we have news about your request.' }] },
  { id: '7003', name: 'spring_sale', language: 'en_US', status: 'PAUSED', category: 'MARKETING', parameter_format: 'POSITIONAL', components: [{ type: 'BODY', text: 'Sale!' }] },
];
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes (131026 Message Undeliverable)
const undeliverable = (): GraphErrorAnswer => ({
  status: 400, error: { message: '(#131026) Message Undeliverable.', type: 'OAuthException', code: 131026, error_data: { messaging_product: 'whatsapp', details: 'Message Undeliverable.' } },
});
const QUICK_ATTEMPTS = 3;

/** On SQLite (`databaseUrl` undefined) or PostgreSQL. */
export function agentRepliesSuite(databaseUrl: () => string | undefined) {
let w: ChannelWorld;
beforeEach(async () => {
  graphTiming.baseDelayMs = 5;
  const url = databaseUrl();
  w = await startChannelWorld(url ? { databaseUrl: url } : {});
  w.graph.addBusinessAccount({ id: WA.businessAccountId, token: WA.token, templates: TEMPLATES });
});
afterEach(async () => { await w.close(); graphTiming.baseDelayMs = 500; });

const agent = async () => w.server.api((await w.server.createUser('agent')).token);
const waCustomer = async () => {
  expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Is my order ready?', name: 'Ana Lima' }))).status).toBe(200);
  return (await conversationOf(w.server, `phone=${encodeURIComponent('+14155550123')}`)).conversation.id as string;
};
const msCustomer = async () => {
  expect((await w.deliver(messengerText({ psid: '4871203918', text: 'Do you ship to Lisbon?' }))).status).toBe(200);
  return (await conversationOf(w.server, 'q=3918')).conversation.id as string;
};
/** The customer's messages were sent `hours` ago (by Meta's clock and ours). */
const customerWroteAgo = (hours: number) => {
  const at = new Date(Date.now() - hours * 3600_000).toISOString();
  return sql`UPDATE messages SET created_at = ${at}, sent_at = ${at} WHERE direction = 'incoming'`.execute(w.server.store.db);
};
const reply = (api: Api, id: string, body: object, key?: string) => api.post(`/conversations/${id}/messages`, body, key ? { headers: { 'idempotency-key': key } } : {});
const resend = (api: Api, id: string, messageId: string, key?: string) => api.post(`/conversations/${id}/messages/${messageId}/resend`, {}, key ? { headers: { 'idempotency-key': key } } : {});
const messageOf = async (id: string, messageId: string) => ((await w.server.api(w.server.adminToken).get(`/conversations/${id}`)).body.messages as { id: string; text: string; delivery: { status: string; error: string | null } }[]).find((m) => m.id === messageId)!;
/** The background try of the reply sent with this Idempotency-Key is due now (as if its minute had passed). */
async function timePasses(key: string) {
  await w.server.store.db.updateTable('reply_sends').set({ next_attempt_at: new Date(Date.now() - 1000).toISOString() }).where('send_key', 'like', `inbox:%:${key}`).execute();
  wakeReplyRetries(w.server.app.services);
}
const triesOf = async (key: string) => (await w.server.store.db.selectFrom('reply_sends').selectAll().where('send_key', 'like', `inbox:%:${key}`).executeTakeFirstOrThrow());

describe('a WhatsApp reply after the 24-hour window', () => {
  it('text is refused in words for the agent; agents list the approved templates and send one, shown as the customer reads it', async () => {
    const id = await waCustomer();
    await customerWroteAgo(30);
    const api = await agent();
    const text = await reply(api, id, { text: 'Hello?' });
    expect(text.status).toBe(422);
    expect(text.body.error).toMatchObject({ code: 'channel_refused', message: 'The customer last wrote 30 hours ago, so the 24-hour window is closed: WhatsApp allows only a template now. Pick one under Templates.' });

    // The admin's listing stays the admin's; the conversation's is an agent's, approved ones only, no token.
    expect((await api.get(`/channels/${w.whatsappId}/whatsapp-templates`)).status).toBe(403);
    const list = await api.get(`/conversations/${id}/whatsapp-templates`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.templates.map((t: { name: string }) => t.name)).toEqual(['follow_up', 'order_ready']);
    expect(list.body.templates[1]).toMatchObject({ body: 'Hi {{1}}, your order {{2}} is ready for pickup.', parameterCount: 2, parameterNames: null });
    expect(JSON.stringify(list.body)).not.toContain(WA.token);

    const sent = await reply(api, id, { template: { name: 'order_ready', language: 'en_US', parameters: ['Ana', 'A-1042'] } }, 'tpl-1');
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toMatchObject({ text: 'Hi Ana, your order A-1042 is ready for pickup.', direction: 'outgoing', author: { type: 'user' }, delivery: { status: 'accepted' } });
    expect(w.graph.sent.map((s) => s.body)).toEqual([{
      messaging_product: 'whatsapp', recipient_type: 'individual', to: '14155550123', type: 'template',
      template: { name: 'order_ready', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'A-1042' }] }] },
    }]);
    // The same request again (same Idempotency-Key): the same message, not sent twice.
    expect((await reply(api, id, { template: { name: 'order_ready', language: 'en_US', parameters: ['Ana', 'A-1042'] } }, 'tpl-1')).body.id).toBe(sent.body.id);
    // Named parameters go with their names.
    const named = await reply(api, id, { template: { name: 'follow_up', language: 'en_US', parameters: ['Ana'], parameterNames: ['first_name'] } });
    expect(named.body).toMatchObject({ text: 'Hello Ana, we have news about your request.', delivery: { status: 'accepted' } });
    expect(w.graph.sent).toHaveLength(2);
    expect(w.graph.sent[1]!.body.template.components).toEqual([{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ana' }] }]);
  });

  it.each([
    ['a paused template', { name: 'spring_sale', language: 'en_US' }, 422, /^Template spring_sale \(en_US\) is paused in WhatsApp Manager: only an approved template can be sent/],
    ['a template the number does not have', { name: 'order_ready', language: 'pt_BR', parameters: ['Ana', 'A-1'] }, 422, /^This WhatsApp number has no template order_ready in pt_BR\. Pick one under Templates\.$/],
    ['too few parameters (Meta would answer 132000)', { name: 'order_ready', language: 'en_US', parameters: ['Ana'] }, 422, /^Template order_ready \(en_US\) takes 2 parameters in its body and 1 was given: give one value for each\.$/],
    ['too many parameters', { name: 'follow_up', language: 'en_US', parameters: ['Ana', 'x'], parameterNames: ['first_name', 'x'] }, 422, /takes 1 parameter in its body and 2 were given/],
    ['a header link Meta cannot fetch', { name: 'order_ready', language: 'en_US', parameters: ['Ana', 'A-1'], header: { type: 'image', url: 'http://cdn.example.com/a.png' } }, 422, /is not an https:\/\/ URL Meta can fetch/],
  ])('%s is refused before anything is sent', async (_what, template, status, message) => {
    const id = await waCustomer();
    const res = await reply(await agent(), id, { template });
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(w.graph.sent).toHaveLength(0);
  });

  it('a template is WhatsApp’s: on Messenger, or with text, it is refused', async () => {
    const id = await msCustomer();
    const api = await agent();
    const onMessenger = await reply(api, id, { template: { name: 'order_ready', language: 'en_US' } });
    expect(onMessenger.status).toBe(422);
    expect(onMessenger.body.error.message).toMatch(/^Message templates are WhatsApp’s: this conversation is not on a WhatsApp number/);
    const both = await reply(api, await waCustomer(), { text: 'Hi', template: { name: 'order_ready', language: 'en_US' } });
    expect(both.status).toBe(422);
    expect(both.body.error.details).toEqual([expect.objectContaining({ path: 'body.text', message: 'Send text or a template, not both' })]);
    expect((await api.get(`/conversations/${id}/whatsapp-templates`)).status).toBe(409);
    expect(w.graph.sent).toHaveLength(0);
  });
});

describe('a Messenger reply after the 24-hour window', () => {
  it('a person’s reply goes out with the Human Agent tag until 7 days; a bot’s is refused; after 7 days a clear 422', async () => {
    const id = await msCustomer();
    const api = await agent();
    expect((await reply(api, id, { text: 'Within the day' })).status).toBe(201);
    expect(w.graph.sent[0]!.body).toEqual({ recipient: { id: '4871203918' }, messaging_type: 'RESPONSE', message: { text: 'Within the day', metadata: expect.stringMatching(/^inbox-companion:msg_/) } });

    await customerWroteAgo(30);
    const detail = (await api.get(`/conversations/${id}`)).body;
    expect(detail.channel).toMatchObject({ kind: 'messenger', open: false });
    expect(Date.parse(detail.channel.humanAgentUntil) - Date.parse(detail.channel.lastIncomingAt)).toBe(7 * 24 * 3600_000);
    const late = await reply(api, id, { text: 'Sorry for the wait: yes, we ship to Lisbon' });
    expect(late.status, JSON.stringify(late.body)).toBe(201);
    expect(late.body.delivery.status).toBe('accepted');
    expect(w.graph.sent[1]!.body).toEqual({ recipient: { id: '4871203918' }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Sorry for the wait: yes, we ship to Lisbon', metadata: expect.stringMatching(/^inbox-companion:msg_/) } });

    // Meta: "Automated messages are not allowed" under HUMAN_AGENT. A bot user is not a person.
    const bot = await w.server.api(w.server.adminToken).post('/users', { name: 'Triage bot', email: 'bot@test.local', role: 'agent', kind: 'bot' });
    expect(bot.status).toBe(201);
    const byBot = await reply(w.server.api(bot.body.token), id, { text: 'Automated follow-up' });
    expect(byBot.status).toBe(422);
    expect(byBot.body.error.message).toBe('The customer last wrote 30 hours ago: after 24 hours Messenger takes only a reply a person writes (the Human Agent tag), which Meta does not allow for bots or automated replies.');

    await customerWroteAgo(8 * 24);
    const tooLate = await reply(api, id, { text: 'Still there?' });
    expect(tooLate.status).toBe(422);
    expect(tooLate.body.error.message).toBe('The customer last wrote 8 days ago: Messenger allows a reply after 24 hours only up to 7 days after the customer’s last message. It can be sent once they write again.');
    expect((await api.get(`/conversations/${id}`)).body.channel.humanAgentUntil).toBeNull();
    expect(w.graph.sent).toHaveLength(2);
  });
});

describe('a reply Meta does not take', () => {
  it('refused for now (three 130429 in a row) is tried again in the background and sent once; a repeat of the request sends nothing', async () => {
    const id = await waCustomer();
    const api = await agent();
    w.graph.failNext(...Array.from({ length: QUICK_ATTEMPTS }, () => graphErrors.waThroughput()));
    const res = await reply(api, id, { text: 'Your order is ready' }, 'r-1');
    expect(res.status).toBe(201);
    expect(res.body.delivery).toMatchObject({ status: 'retrying', error: expect.stringMatching(/Meta error 130429/) });
    const row = await triesOf('r-1');
    expect(row.tries).toBe(1);
    expect(Date.parse(row.next_attempt_at!) - Date.now()).toBeGreaterThan((STEP_RETRY_DELAYS_S[0] - 5) * 1000);
    // The agent (or the browser) posts again with the key: the waiting message, nothing sent.
    const again = await reply(api, id, { text: 'Your order is ready' }, 'r-1');
    expect(again.body).toMatchObject({ id: res.body.id, delivery: { status: 'retrying' } });
    expect(w.graph.sent).toHaveLength(0);

    await timePasses('r-1');
    await waitFor('the try later', async () => ((await messageOf(id, res.body.id)).delivery.status === 'accepted' ? true : undefined));
    expect(w.graph.sent.map((s) => s.body.text.body)).toEqual(['Your order is ready']);
    expect((await triesOf('r-1')).next_attempt_at).toBeNull();
    // Nothing is due any more: waking the worker again sends nothing.
    wakeReplyRetries(w.server.app.services);
    await new Promise((r) => setTimeout(r, 100));
    expect(w.graph.sent).toHaveLength(1);
  });

  it('Meta down (code 2, HTTP 500) on every try: failed after the last one, saying so', async () => {
    const id = await waCustomer();
    const tries = STEP_RETRY_DELAYS_S.length + 1;
    w.graph.failNext(...Array.from({ length: tries * QUICK_ATTEMPTS }, () => graphErrors.serverError()));
    const res = await reply(await agent(), id, { text: 'We are on it' }, 'r-2');
    expect(res.body.delivery.status).toBe('retrying');
    for (let n = 2; n <= tries; n++) {
      await timePasses('r-2');
      await waitFor(`try ${n}`, async () => ((await triesOf('r-2')).tries === n ? true : undefined));
    }
    const failed = await waitFor('failed', async () => { const m = await messageOf(id, res.body.id); return m.delivery.status === 'failed' ? m : undefined; });
    expect(failed.delivery.error).toMatch(/^Meta error 2 \(OAuthException\): An unexpected error has occurred\. Please retry your request later\. \(tried 6 times; not tried again\)$/);
    expect((await triesOf('r-2')).next_attempt_at).toBeNull();
    expect(w.graph.sent).toHaveLength(0);
  });

  it('failed for good: Resend sends it again once, a double click included; only a failed reply of an agent can be resent', async () => {
    const id = await waCustomer();
    const api = await agent();
    w.graph.failNext(undeliverable());
    const res = await reply(api, id, { text: 'Here is your invoice' });
    expect(res.status).toBe(201);
    expect(res.body.delivery).toMatchObject({ status: 'failed', error: expect.stringMatching(/131026/) });

    // A double click: two requests with one key at once; one send.
    const [a, b] = await Promise.all([resend(api, id, res.body.id, 'click-1'), resend(api, id, res.body.id, 'click-1')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await waitFor('sent', async () => ((await messageOf(id, res.body.id)).delivery.status === 'accepted' ? true : undefined));
    expect(w.graph.sent.map((s) => s.body.text.body)).toEqual(['Here is your invoice']);
    expect((await resend(api, id, res.body.id, 'click-1')).body.delivery.status).toBe('accepted');
    const sentAlready = await resend(api, id, res.body.id, 'click-2');
    expect(sentAlready.status).toBe(409);
    expect(sentAlready.body.error).toMatchObject({ code: 'not_failed', message: 'This reply is not sent again: it went out already (accepted)' });
    expect(w.graph.sent).toHaveLength(1);
    // The conversation shows one message, sent.
    const outgoing = ((await api.get(`/conversations/${id}`)).body.messages as { direction: string }[]).filter((m) => m.direction === 'outgoing');
    expect(outgoing).toHaveLength(1);

    const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'From a workflow' } }]);
    const { contact } = await conversationOf(w.server, `phone=${encodeURIComponent('+14155550123')}`);
    w.graph.failNext(undeliverable());
    expect((await w.fire(wf, contact.id)).status).toBe('failed');
    const byWorkflow = ((await api.get(`/conversations/${id}`)).body.messages as { id: string; author: { type: string } }[]).find((m) => m.author.type === 'workflow')!;
    const notMine = await resend(api, id, byWorkflow.id);
    expect(notMine.status).toBe(409);
    expect(notMine.body.error.code).toBe('not_resendable');
  });

  it('a reply Meta accepted and later reported failed (status webhook) can be resent: a new send, Meta’s new id', async () => {
    const id = await waCustomer();
    const api = await agent();
    const res = await reply(api, id, { text: 'Your parcel is at the depot' });
    const first = w.graph.sent[0]!.id;
    expect((await w.deliver(whatsappStatus({ wamid: first, status: 'failed', recipient: '14155550123', errorCode: 131026, errorTitle: 'Message undeliverable', errorDetails: 'Message Undeliverable.' }))).status).toBe(200);
    expect((await messageOf(id, res.body.id)).delivery.status).toBe('failed');
    const again = await resend(api, id, res.body.id, 'k-webhook');
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.delivery).toMatchObject({ status: 'accepted', externalId: w.graph.sent[1]!.id });
    expect(w.graph.sent.map((s) => s.body.text.body)).toEqual(['Your parcel is at the depot', 'Your parcel is at the depot']);
  });

  it('a reply waiting for its try goes with its contact when the contact is erased', async () => {
    const id = await waCustomer();
    w.graph.failNext(...Array.from({ length: QUICK_ATTEMPTS }, () => graphErrors.waThroughput()));
    expect((await reply(await agent(), id, { text: 'Your address is 1 Main St' }, 'r-3')).body.delivery.status).toBe('retrying');
    const { contact } = await conversationOf(w.server, `phone=${encodeURIComponent('+14155550123')}`);
    expect((await w.server.api(w.server.adminToken).del(`/contacts/${contact.id}`)).status).toBeLessThan(300);
    expect(await w.server.store.db.selectFrom('reply_sends').selectAll().execute()).toEqual([]);
    wakeReplyRetries(w.server.app.services);
    await new Promise((r) => setTimeout(r, 100));
    expect(w.graph.sent).toHaveLength(0);
  });

  it('Resend after the window closed is refused in the agent’s words and the reply stays failed', async () => {
    const id = await waCustomer();
    const api = await agent();
    w.graph.failNext(undeliverable());
    const res = await reply(api, id, { text: 'Your refund went out' });
    await customerWroteAgo(26);
    const again = await resend(api, id, res.body.id, 'k');
    expect(again.status).toBe(422);
    expect(again.body.error.message).toBe('The customer last wrote 26 hours ago, so the 24-hour window is closed: WhatsApp allows only a template now. Pick one under Templates.');
    expect((await messageOf(id, res.body.id)).delivery.status).toBe('failed');
    expect(w.graph.sent).toHaveLength(0);
  });
});
}
