import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextWamid, whatsappAdMessage, whatsappPlainMessage, whatsappStatus } from '../../fixtures/meta/payloads';
import { waitForRun } from '../webhooks/support';
import { behindBacklog } from '../express-support';
import { startChannelWorld, WA, type ChannelWorld } from './support';

// The whole path over real HTTP: Meta's signed webhook in, the companion's workflow out through
// the Graph API stand-in, Meta's status webhook back in.
let w: ChannelWorld;
beforeEach(async () => { w = await startChannelWorld(); });
afterEach(async () => { await w.close(); });

/** An active WhatsApp ad, as the admin catalogs it, and a published workflow that greets its leads with `text`. */
async function greetAdLeads(adId: string, adName: string, text: string) {
  const admin = w.server.api(w.server.adminToken);
  expect((await admin.post('/ads', { adAccountId: 'act_1', adId, name: adName, channel: 'whatsapp_cloud_api', status: 'ACTIVE', objective: 'OUTCOME_ENGAGEMENT', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP' })).status).toBeLessThan(300);
  const wf = await admin.post('/workflows', {
    name: 'Greet ad leads', trigger: { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds: [adId] },
    steps: [{ id: 'greet', type: 'send_message', config: { text } }],
  });
  expect((await admin.post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
}

describe('Click-to-WhatsApp ad → workflow reply → delivered', () => {
  it('a signed ad referral creates the contact and conversation, the workflow’s message reaches Meta once, and its delivered status shows', async () => {
    const admin = w.server.api(w.server.adminToken);
    await greetAdLeads('120210000000001', 'Summer sale', 'Hi {{$contact.firstName}}! The {{$trigger.adName}} code is SUMMER10');

    const referral = whatsappAdMessage({ waId: '16505551234', adId: '120210000000001', text: 'Is the sale still on?', name: 'Sheena Nelson', id: nextWamid() });
    const first = await w.deliver(referral);
    expect(first.status).toBe(200);
    expect(first.body.runIds).toHaveLength(1);
    // Meta repeats the delivery: nothing new.
    expect((await w.deliver(referral)).body).toMatchObject({ duplicates: 1, runIds: [] });

    const run = await waitForRun(w.server, first.body.runIds[0]);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(w.graph.sent).toHaveLength(1);
    expect(w.graph.sent[0]).toMatchObject({ kind: 'whatsapp', accountId: WA.phoneNumberId, body: { to: '16505551234', type: 'text', text: { body: 'Hi Sheena! The Summer sale code is SUMMER10' } } });

    const contacts = await admin.get('/contacts?phone=%2B16505551234');
    expect(contacts.body.contacts).toHaveLength(1);
    const list = await admin.get(`/conversations?contactId=${contacts.body.contacts[0].id}`);
    expect(list.body.conversations).toHaveLength(1);
    const id = list.body.conversations[0].id;
    const before = (await admin.get(`/conversations/${id}`)).body;
    expect(before).toMatchObject({ openedBySource: 'click_to_chat_ads', connectionId: w.whatsappId, externalId: '16505551234', channel: { open: true } });
    expect(before.messages.map((m: { direction: string; delivery?: { status: string } }) => `${m.direction}:${m.delivery?.status ?? '-'}`)).toEqual(['incoming:-', 'outgoing:accepted']);

    await w.deliver(whatsappStatus({ wamid: w.graph.sent[0]!.id, status: 'sent', recipient: '16505551234' }));
    await w.deliver(whatsappStatus({ wamid: w.graph.sent[0]!.id, status: 'delivered', recipient: '16505551234' }));
    const after = (await admin.get(`/conversations/${id}`)).body;
    expect(after.messages[1].delivery).toMatchObject({ status: 'delivered', externalId: w.graph.sent[0]!.id });
    expect(w.graph.sent).toHaveLength(1);
  });
});

describe('status callbacks racing the send', () => {
  it.each([false, true])('status webhooks posted right after a send (before its answer: %s) land on the message', async (beforeAnswer) => {
    w.graph.statusCallbacks({ webhookUrl: `${w.server.url}/meta/webhook`, appSecret: 'meta-app-secret-for-channel-tests', statuses: ['sent', 'delivered'], beforeAnswer });
    const { whatsappPlainMessage } = await import('../../fixtures/meta/payloads');
    await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi' }));
    const admin = w.server.api(w.server.adminToken);
    const contact = (await admin.get('/contacts?phone=%2B14155550123')).body.contacts[0];
    const wf = await w.tagWorkflow([{ id: 'a', type: 'send_message', config: { text: 'One' } }, { id: 'b', type: 'send_message', config: { text: 'Two' } }]);
    expect((await w.fire(wf, contact.id)).status).toBe('completed');
    const until = Date.now() + 5000;
    while (w.graph.callbacks.length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(w.graph.callbacks.map((c) => c.answer)).toEqual([200, 200, 200, 200]);
    const conv = (await admin.get(`/conversations?contactId=${contact.id}`)).body.conversations[0];
    const out = (await admin.get(`/conversations/${conv.id}`)).body.messages.filter((m: { direction: string; kind: string }) => m.direction === 'outgoing' && m.kind === 'message');
    expect(out.map((m: { text: string; delivery: { status: string } }) => `${m.text}:${m.delivery.status}`)).toEqual(['One:delivered', 'Two:delivered']);
    expect(await w.server.store.db.selectFrom('early_delivery_statuses').selectAll().execute()).toEqual([]);
  });
});

describe('an ad reply while a backlog is queued', () => {
  it('the customer’s reply is sent before the runs queued ahead of it are done (the express lane), and once', async () => {
    await greetAdLeads('120210000000002', 'Winter sale', 'Hi! WINTER10');
    const { runId, endedBefore, backlog } = await behindBacklog(w.server, { contacts: 40, perContact: 100 }, async () =>
      (await w.deliver(whatsappAdMessage({ waId: '16505559876', adId: '120210000000002', text: 'Still on?', name: 'Ana', id: nextWamid() }))).body.runIds[0]);
    expect(endedBefore).toBeLessThan(backlog / 2);
    expect((await waitForRun(w.server, runId)).status).toBe('completed');
    expect(w.graph.sent.filter((s) => s.body.to === '16505559876')).toHaveLength(1);
  });

  it('a customer’s first message opens a conversation, and the welcome workflow’s reply goes before the backlog too', async () => {
    const admin = w.server.api(w.server.adminToken);
    const wf = await admin.post('/workflows', {
      name: 'Welcome', trigger: { type: 'conversation_opened', conditions: { logic: 'and', rules: [{ field: 'source', operator: 'is', value: 'contact' }] } },
      steps: [{ id: 'hi', type: 'send_message', config: { text: 'Thanks for writing, we answer within minutes' } }],
    });
    expect((await admin.post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
    const { endedBefore, backlog } = await behindBacklog(w.server, { contacts: 40, perContact: 100 }, async () => {
      await w.deliver(whatsappPlainMessage({ waId: '16505554321', text: 'Hello?', id: nextWamid() }));
      const contact = (await admin.get('/contacts?phone=%2B16505554321')).body.contacts[0];
      const runs = await w.server.store.db.selectFrom('runs').select('id').where('workflow_id', '=', wf.body.id).where('contact_id', '=', contact.id).execute();
      expect(runs).toHaveLength(1);
      return runs[0]!.id;
    });
    expect(endedBefore).toBeLessThan(backlog / 2);
    expect(w.graph.sent.filter((s) => s.body.to === '16505554321')).toHaveLength(1);
  });
});
