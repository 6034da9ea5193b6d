import { afterEach, beforeEach, expect, it } from 'vitest';
import { messengerText, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { makeContact, publishWebhookWorkflow, waitForRun } from '../webhooks/support';
import { startChannelWorld, WA, type ChannelWorld } from './support';

// A workflow writing first to a contact who never wrote on WhatsApp (a Shopify order → "Open
// conversation" → the `order_confirmation` template): as respond.io does, the template goes to
// the contact's phone on a connected number (a business-initiated conversation). Before, the
// conversation opened in the built-in inbox, the template was stored there as text, nothing went
// to Meta, and the run said completed.

const confirmation = { id: 'confirm', type: 'send_message', config: { kind: 'template', template: { name: 'order_confirmation', language: 'en_US', parameters: ['{{$trigger.orderId}}'] } } };
const order = (phone: string) => ({ phone, order: { id: '#1001' } });

/** On SQLite (`databaseUrl` undefined) or PostgreSQL. */
export function businessInitiatedSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });
  const admin = () => w.server.api(w.server.adminToken);

  /** A Shopify-like order webhook for the contact; the run it started, finished. */
  async function orderRun(steps: unknown[], phone = '+14155550123') {
    const hook = await publishWebhookWorkflow(w.server, {}, steps);
    const res = await w.server.request('POST', hook.path, { body: JSON.stringify(order(phone)), headers: { 'content-type': 'application/json' } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.runIds).toHaveLength(1);
    return waitForRun(w.server, res.body.runIds[0]);
  }
  const templatesSent = () => w.graph.sent.filter((s) => s.body.type === 'template');
  /** The conversation the run's Open conversation step opened (a webhook run starts without one). */
  const opened = async (run: { stepLog: { stepId: string; output?: { conversationId?: string } }[] }) =>
    (await admin().get(`/conversations/${run.stepLog.find((s) => s.stepId === 'open')?.output?.conversationId}`)).body;

  it('Open conversation (default) then a template: the template goes to the contact’s phone on the one WhatsApp number', async () => {
    const contact = await makeContact(w.server, { firstName: 'Ana', phone: '+14155550123' });
    const run = await orderRun([{ id: 'open', type: 'open_conversation', config: {} }, confirmation]);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(templatesSent().map((s) => ({ to: s.body.to, from: s.accountId, name: s.body.template.name }))).toEqual([{ to: '14155550123', from: WA.phoneNumberId, name: 'order_confirmation' }]);
    const conversation = (await opened(run));
    expect(conversation).toMatchObject({ contactId: contact.id, connectionId: w.whatsappId, externalId: '14155550123' });
    expect(conversation.messages.at(-1)).toMatchObject({ direction: 'outgoing', delivery: { status: 'accepted' } });
    const step = run.stepLog.find((s: { stepId: string }) => s.stepId === 'confirm');
    expect(step.notes).toContainEqual(expect.stringContaining('moved to the WhatsApp number "Support" so the template goes to +14155550123'));
  });

  it('the step may name the number: the conversation opens on WhatsApp at once (a text without a template is refused there)', async () => {
    await makeContact(w.server, { firstName: 'Ana', phone: '+14155550123' });
    const run = await orderRun([{ id: 'open', type: 'open_conversation', config: { channel: w.whatsappId } }, { id: 'hi', type: 'send_message', config: { text: 'Thanks for your order' } }]);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/Send an approved template, or give this step a fallback template/);
    expect((await opened(run))).toMatchObject({ connectionId: w.whatsappId, externalId: '14155550123' });
    expect(w.graph.sent).toEqual([]);
  });

  it('fails, sending nothing, when it cannot tell which number or the contact has no phone', async () => {
    w.graph.addPhoneNumber({ id: '106540352242999', token: 'EAAGsecondToken', businessAccountId: WA.businessAccountId });
    const second = await admin().post('/channels', { kind: 'whatsapp', name: 'Sales', phoneNumberId: '106540352242999', businessAccountId: WA.businessAccountId, accessToken: 'EAAGsecondToken' });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    await makeContact(w.server, { firstName: 'Ana', phone: '+14155550123' });
    const two = await orderRun([{ id: 'open', type: 'open_conversation', config: {} }, confirmation]);
    expect(two.status).toBe('failed');
    expect(two.error).toBe('Not sent: the conversation is in the built-in inbox and 2 WhatsApp numbers are connected ("Support", "Sales"): choose the number in an "Open conversation" step before this one');
    // Choosing the number sends it.
    const chosen = await orderRun([{ id: 'open', type: 'open_conversation', config: { channel: second.body.id } }, confirmation]);
    expect(chosen.status, JSON.stringify(chosen.stepLog)).toBe('completed');
    expect(templatesSent().map((s) => [s.accountId, s.body.to])).toEqual([['106540352242999', '14155550123']]);
  });

  it('a contact without a phone: the template fails saying so, and the Open conversation step naming a number too', async () => {
    const contact = await makeContact(w.server, { firstName: 'Bo', email: 'bo@example.com' });
    const hook = await publishWebhookWorkflow(w.server, { identifier: { type: 'email', jsonKey: '$.email' } }, [{ id: 'open', type: 'open_conversation', config: {} }, confirmation]);
    const res = await w.server.request('POST', hook.path, { body: JSON.stringify({ email: 'bo@example.com', order: { id: '#7' } }), headers: { 'content-type': 'application/json' } });
    const run = await waitForRun(w.server, res.body.runIds[0]);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('Not sent: Bo has no phone number: a WhatsApp conversation on "Support" needs one to receive a WhatsApp template');
    await admin().post(`/conversations/${(await opened(run)).id}/close`, {});
    const named = await publishWebhookWorkflow(w.server, { identifier: { type: 'contactId', jsonKey: '$.id' } }, [{ id: 'open', type: 'open_conversation', config: { channel: w.whatsappId } }, confirmation]);
    const again = await w.server.request('POST', named.path, { body: JSON.stringify({ id: contact.id }), headers: { 'content-type': 'application/json' } });
    const failed = await waitForRun(w.server, again.body.runIds[0]);
    expect(failed.error).toBe('Cannot open the conversation: Bo has no phone number: a WhatsApp conversation on "Support" needs one');
    expect(w.graph.sent).toEqual([]);
  });

  it('Messenger only for a contact who wrote to the Page', async () => {
    await w.deliver(messengerText({ psid: '4871203918', text: 'Hi from Messenger' }));
    const fromMessenger = (await admin().get('/contacts')).body.contacts[0];
    await admin().post(`/conversations/${(await admin().get(`/conversations?contactId=${fromMessenger.id}`)).body.conversations[0].id}/close`, {});
    const stranger = await makeContact(w.server, { firstName: 'Cy', phone: '+14155550124' });
    const hook = await publishWebhookWorkflow(w.server, { identifier: { type: 'contactId', jsonKey: '$.id' } }, [{ id: 'open', type: 'open_conversation', config: { channel: w.messengerId } }]);
    const post = (id: string) => w.server.request('POST', hook.path, { body: JSON.stringify({ id }), headers: { 'content-type': 'application/json' } });
    const ok = await waitForRun(w.server, (await post(fromMessenger.id)).body.runIds[0]);
    expect(ok.status).toBe('completed');
    expect((await opened(ok))).toMatchObject({ connectionId: w.messengerId, externalId: '4871203918' });
    const refused = await waitForRun(w.server, (await post(stranger.id)).body.runIds[0]);
    expect(refused.error).toBe('Cannot open the conversation: Cy has never written to the Page "Page": Messenger only reaches people who wrote to the Page first');
  });

  // A conversation moved onto the WhatsApp number kept the channel it had: a built-in one said
  // channelType null, a Messenger one messenger, so `{{$conversation.channelType}}` said where it
  // had been and a Conversation Closed workflow for WhatsApp conversations never started.
  const movers = {
    'an Open conversation step naming the number': async (contactId: string) => {
      const run = await w.fire(await w.tagWorkflow([{ id: 'move', type: 'open_conversation', config: { channel: w.whatsappId } }]), contactId);
      expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    },
    'a WhatsApp template (the one number connected)': async (contactId: string) => {
      const run = await w.fire(await w.tagWorkflow([{ ...confirmation, config: { ...confirmation.config, template: { ...confirmation.config.template, parameters: ['#1001'] } } }]), contactId);
      expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
      expect(templatesSent()).toHaveLength(1);
    },
    'the customer writing on the WhatsApp number': async () => {
      expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'It is me, on WhatsApp' }))).status).toBe(200);
    },
  };
  /** The contact (phone +14155550123) and their open conversation, built-in or on the Page. */
  async function conversationOn(from: 'inbox' | 'messenger') {
    if (from === 'inbox') {
      const contact = await makeContact(w.server, { firstName: 'Ana', phone: '+14155550123' });
      const opened = await admin().post('/conversations', { contactId: contact.id });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      return { contactId: contact.id, conversationId: opened.body.id as string };
    }
    await w.deliver(messengerText({ psid: '4871203918', text: 'Hi from Messenger' }));
    const contactId = (await admin().get('/contacts')).body.contacts[0].id as string;
    expect((await admin().patch(`/contacts/${contactId}`, { phone: '+14155550123' })).status).toBe(200);
    return { contactId, conversationId: (await admin().get(`/conversations?contactId=${contactId}`)).body.conversations[0].id as string };
  }

  it.each([
    ['inbox', 'an Open conversation step naming the number'], ['inbox', 'a WhatsApp template (the one number connected)'],
    ['inbox', 'the customer writing on the WhatsApp number'], ['messenger', 'an Open conversation step naming the number'],
    ['messenger', 'the customer writing on the WhatsApp number'],
  ] as const)('channelType %s, moved to WhatsApp by %s: says whatsapp, to $conversation.channelType and to the Closed rule', async (from, mover) => {
    const closedOnWhatsApp = await createWorkflow(w.server, {
      name: 'WhatsApp survey', trigger: { type: 'conversation_closed', conditions: { logic: 'and', rules: [{ field: 'channel', operator: 'is', value: 'whatsapp' }] } },
      steps: [{ id: 'w', type: 'wait', config: { seconds: 3600 } }],
    });
    const { contactId, conversationId } = await conversationOn(from);
    expect((await admin().get(`/conversations/${conversationId}`)).body.channelType).toBe(from);
    await movers[mover](contactId);
    expect((await admin().get(`/conversations/${conversationId}`)).body).toMatchObject({ connectionId: w.whatsappId, externalId: '14155550123', channelType: 'whatsapp' });
    const said = await w.fire(await w.tagWorkflow([{ id: 'say', type: 'add_comment', config: { text: 'on {{$conversation.channelType}}' } }]), contactId);
    expect(said.conversationId).toBe(conversationId);
    const comments = (await admin().get(`/conversations/${conversationId}`)).body.messages.filter((m: { kind: string }) => m.kind === 'comment');
    expect(comments.map((m: { text: string }) => m.text)).toEqual(['on whatsapp']);
    expect((await admin().post(`/conversations/${conversationId}/close`, {})).status).toBe(200);
    const [run] = await waitFor('the WhatsApp survey to start', async () => { const runs = await runsOf(w.server, closedOnWhatsApp.id); return runs.length ? runs : undefined; });
    expect((await admin().get(`/runs/${run!.id}`)).body.variables.trigger).toMatchObject({ conversationId, channel: 'whatsapp', channelType: 'whatsapp' });
  });

  it('a conversation moved to WhatsApp whose number is then deleted still says whatsapp (it is still that number’s customer), and replies are refused', async () => {
    const { contactId, conversationId } = await conversationOn('inbox');
    await movers['an Open conversation step naming the number'](contactId);
    expect((await admin().del(`/channels/${w.whatsappId}`)).status).toBe(204);
    expect((await admin().get(`/conversations/${conversationId}`)).body).toMatchObject({ connectionId: null, externalId: '14155550123', channelType: 'whatsapp' });
    const reply = await admin().post(`/conversations/${conversationId}/messages`, { text: 'Hello?', direction: 'outgoing', kind: 'message' });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('channel_disconnected');
  });

  it('publishing refuses a channel that is not connected', async () => {
    const res = await admin().post('/workflows', {
      name: 'Orders', status: 'published', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [] },
      steps: [{ id: 'open', type: 'open_conversation', config: { channel: 'chn_gone' } }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'body.steps.0.config.channel', message: 'There is no connected WhatsApp number or Facebook Page chn_gone: choose one of the connected channels, the contact\'s last channel or the built-in inbox' }]);
  });
}
