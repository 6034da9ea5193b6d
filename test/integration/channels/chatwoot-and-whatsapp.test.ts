import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatwootAccount } from '../../../lib/contracts/chatwoot';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { startChatwootStandin, type ChatwootStandin, type CwStandinConversation } from '../../support/chatwoot-standin';
import { startGraphStandIn, type GraphStandIn } from '../../support/graph-standin';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { APP_SECRET, WA } from './support';

// A customer who writes both in a Chatwoot conversation and to the companion's own WhatsApp
// number. The Chatwoot conversation stays Chatwoot's (mirrored, open as Chatwoot says); her
// WhatsApp messages join it instead of moving it to the WhatsApp channel, so Chatwoot's next
// update finds its conversation where it was: nothing is opened again, no second welcome.

const PHONE = '+14155550123';
const WA_ID = '14155550123';

interface World { graph: GraphStandIn; cw: ChatwootStandin; server: TestServer; whatsappId: string; chatwootId: string; hookUrl: string; welcomeId: string }
let w: World;

beforeEach(async () => {
  const graph = await startGraphStandIn();
  graph.addPhoneNumber({ id: WA.phoneNumberId, token: WA.token, businessAccountId: WA.businessAccountId });
  const cw = await startChatwootStandin();
  const server = await startTestServer({ env: { META_GRAPH_URL: graph.url, META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: 'verify', COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', CHATWOOT_SYNC_SECONDS: '0' } });
  const admin = server.api(server.adminToken);
  const wa = await admin.post('/channels', { kind: 'whatsapp', name: 'Support', phoneNumberId: WA.phoneNumberId, businessAccountId: WA.businessAccountId, accessToken: WA.token });
  expect(wa.status, JSON.stringify(wa.body)).toBe(201);
  const account = await admin.post('/chatwoot/accounts', { baseUrl: cw.url, accountId: cw.accountId, apiAccessToken: cw.token });
  expect(account.status, JSON.stringify(account.body)).toBe(201);
  const welcome = await createWorkflow(server, { name: 'Welcome', trigger: { type: 'conversation_opened' }, steps: [{ id: 'hi', type: 'send_message', config: { text: 'Welcome, {{$contact.firstName}}!' } }] });
  const { id: chatwootId, webhookUrl: hookUrl } = ChatwootAccount.parse(account.body);
  w = { graph, cw, server, whatsappId: wa.body.id, chatwootId, hookUrl, welcomeId: welcome.id };
});
afterEach(async () => { await w.server.close(); await w.cw.close(); await w.graph.close(); });

async function onWhatsApp(text: string) {
  const raw = JSON.stringify(whatsappPlainMessage({ waId: WA_ID, text, name: 'Maria Lopez' }));
  const res = await w.server.request('POST', '/meta/webhook', { body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}` } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { received: number; runIds: string[] };
}

let cwMessage = 80_000;
/** Maria writes in Chatwoot: the message is added there and Chatwoot sends message_created. */
async function inChatwoot(conv: CwStandinConversation, text: string) {
  const id = ++cwMessage;
  conv.messages.push({ id, content: text, message_type: 0, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'Contact' });
  w.cw.touch(conv);
  const res = await w.cw.deliver(w.hookUrl, w.cw.messagePayload(conv.id, id));
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

/** The Welcome runs, once all of them ended (each is queued by the delivery that opened its conversation). */
async function welcomeRuns(expected: number) {
  const runs = await waitFor('the Welcome runs to end', async () => {
    const all = await runsOf(w.server, w.welcomeId);
    return all.length > 0 && all.every((r) => ['completed', 'failed'].includes(r.status)) ? all : undefined;
  });
  expect(runs.map((r) => r.status)).toEqual(Array(expected).fill('completed'));
  return runs;
}

const welcomesInChatwoot = (conv: CwStandinConversation) =>
  w.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/conversations/${conv.id}/messages`) && /^Welcome/.test(r.body?.content ?? ''));

async function conversations() {
  const all = await w.server.store.db.selectFrom('conversations').selectAll().orderBy('opened_at').execute();
  return all.map((c) => ({ id: c.id, status: c.status, connectionId: c.connection_id, externalId: c.external_id, closeReason: c.close_reason }));
}

async function texts(conversationId: string) {
  // By id (stored order): a WhatsApp message carries Meta's send time, in whole seconds.
  const rows = await w.server.store.db.selectFrom('messages').select('text').where('conversation_id', '=', conversationId)
    .where('direction', '=', 'incoming').orderBy('id').execute();
  return rows.map((r) => r.text);
}

describe('a customer writing both in Chatwoot and to the companion’s WhatsApp number', () => {
  it('Chatwoot first: her WhatsApp messages join the Chatwoot conversation, which stays mirrored; one conversation, one welcome, however often she changes sides', async () => {
    const maria = w.cw.addContact({ name: 'Maria Lopez', phone_number: PHONE });
    const conv = w.cw.addConversation({ contactId: maria.id, firstMessage: { content: 'Hi from the website', incoming: true } });
    expect((await w.cw.deliver(w.hookUrl, w.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBeLessThan(300);
    await welcomeRuns(1);

    for (let round = 1; round <= 3; round++) {
      expect(await onWhatsApp(`WhatsApp ${round}`)).toMatchObject({ received: 1, runIds: [] });
      await inChatwoot(conv, `Chatwoot ${round}`);
    }

    await welcomeRuns(1);
    const [only, ...others] = await conversations();
    expect(others).toEqual([]);
    expect(only).toMatchObject({ status: 'open', connectionId: w.chatwootId, externalId: String(conv.id), closeReason: null });
    expect(await w.server.events('conversation.opened')).toHaveLength(1);
    expect(await w.server.events('conversation.closed')).toHaveLength(0);
    expect(welcomesInChatwoot(conv)).toHaveLength(1);
    expect(w.graph.sent).toEqual([]);
    expect(await texts(only!.id)).toEqual(['WhatsApp 1', 'Chatwoot 1', 'WhatsApp 2', 'Chatwoot 2', 'WhatsApp 3', 'Chatwoot 3']);
    // Her WhatsApp messages still open the WhatsApp window (a template or a later WhatsApp conversation can use it).
    const onWa = await w.server.store.db.selectFrom('messages').select('external_id').where('connection_id', '=', w.whatsappId).execute();
    expect(onWa).toHaveLength(3);
    // The Chatwoot extension's launcher finds the same conversation for Chatwoot 101.
    const { token } = await w.server.createUser('agent');
    const resolved = await w.server.api(token).get(`/chatwoot/conversations/resolve?origin=${encodeURIComponent(w.cw.url)}&accountId=${w.cw.accountId}&conversationId=${conv.id}`);
    expect(resolved.body).toMatchObject({ conversationId: only!.id, status: 'open' });
  });

  it('WhatsApp first: Chatwoot’s new conversation takes over once (Opened once each), then neither side moves the other', async () => {
    const first = await onWhatsApp('Hello on WhatsApp');
    const [opened] = await welcomeRuns(1);
    expect(w.graph.sent.map((s) => s.body.text?.body)).toEqual(['Welcome, Maria!']);

    const maria = w.cw.addContact({ name: 'Maria Lopez', phone_number: PHONE });
    const conv = w.cw.addConversation({ contactId: maria.id, firstMessage: { content: 'And on the website', incoming: true } });
    expect((await w.cw.deliver(w.hookUrl, w.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBeLessThan(300);
    await welcomeRuns(2);

    for (let round = 1; round <= 3; round++) {
      expect((await onWhatsApp(`WhatsApp ${round}`)).runIds).toEqual([]);
      await inChatwoot(conv, `Chatwoot ${round}`);
    }

    await welcomeRuns(2);
    const all = await conversations();
    expect(all).toMatchObject([
      { status: 'closed', connectionId: w.whatsappId, externalId: WA_ID, closeReason: 'superseded' },
      { status: 'open', connectionId: w.chatwootId, externalId: String(conv.id) },
    ]);
    expect(await w.server.events('conversation.opened')).toHaveLength(2);
    expect(welcomesInChatwoot(conv)).toHaveLength(1);
    expect(w.graph.sent).toHaveLength(1);
    expect(await texts(all[1]!.id)).toEqual(['WhatsApp 1', 'Chatwoot 1', 'WhatsApp 2', 'Chatwoot 2', 'WhatsApp 3', 'Chatwoot 3']);
    // The first message's answer lists the Welcome run it started.
    expect(first.runIds).toEqual([opened!.id]);
  });

  it('Ask a Question on her WhatsApp conversation saves the answer to her Chatwoot contact too (no Chatwoot conversation open), then here', async () => {
    const admin = w.server.api(w.server.adminToken);
    expect((await admin.put('/fields/plan', { label: 'Plan', type: 'text' })).status).toBe(200);
    await onWhatsApp('Hello on WhatsApp');
    await welcomeRuns(1);
    // Chatwoot learns of her (same phone) without a conversation there.
    const maria = w.cw.addContact({ name: 'Maria Lopez', phone_number: PHONE });
    expect((await w.cw.deliver(w.hookUrl, w.cw.contactPayload(maria.id, 'contact_created'))).status).toBe(200);
    const [contact] = (await admin.get('/contacts')).body.contacts as { id: string }[];
    const flow = await createWorkflow(w.server, { name: 'Plan', trigger: { type: 'manual' }, steps: [
      { id: 'ask', type: 'ask_question', config: { question: 'Which plan?', answerType: 'choice', choices: ['Basic', 'Pro'], presentation: 'text', saveToField: 'plan', timeoutSeconds: 3600 } },
    ] });
    const started = await admin.post(`/workflows/${flow.id}/start`, { contact: { id: contact!.id } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await waitFor('the question on WhatsApp', async () => (w.graph.sent.length === 2 ? true : undefined));
    w.cw.requests.length = 0;

    await onWhatsApp('2');
    const run = await waitFor('the run to end', async () => {
      const [r] = await runsOf(w.server, flow.id);
      return r && ['completed', 'failed'].includes(r.status) ? r : undefined;
    });
    expect(run.status, run.error ?? '').toBe('completed');
    expect(w.cw.requests.filter((r) => r.method !== 'GET').map((r) => [`${r.method} ${r.path}`, r.body]))
      .toEqual([[`PUT /api/v1/accounts/1/contacts/${maria.id}`, { custom_attributes: { plan: 'Pro' } }]]);
    expect((await admin.get(`/contacts/${contact!.id}`)).body.fields).toEqual({ plan: 'Pro' });
  });
});
