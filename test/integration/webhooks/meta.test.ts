import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphStandIn } from '../../support/graph-standin';
import { startTestServer, type TestServer } from '../../support/server';
import { messengerAdReferral, whatsappAdMessage, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { connectTestChannels, startTestGraph } from '../channels/support';
import { waitForRun } from './support';

const APP_SECRET = 'meta-app-secret-for-tests';
let server: TestServer;
let graph: GraphStandIn;
// The fixtures' WhatsApp number and Page are connected: deliveries for others are not stored.
beforeEach(async () => {
  graph = await startTestGraph();
  server = await startTestServer({ env: { META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: 'verify-me', META_GRAPH_URL: graph.url } });
  await connectTestChannels(server, graph);
});
afterEach(async () => { await server.close(); await graph.close(); });

const sign = (raw: string) => `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;
const deliver = (payload: unknown, signature?: string) => {
  const raw = JSON.stringify(payload);
  return server.request('POST', '/meta/webhook', { body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature ?? sign(raw) } });
};

const eligibleAd = { adAccountId: 'act_1', adId: '120210000000001', name: 'Summer sale', channel: 'whatsapp_cloud_api', status: 'ACTIVE', objective: 'OUTCOME_ENGAGEMENT', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP' };

async function adWorkflow(adIds = [eligibleAd.adId]) {
  const admin = server.api(server.adminToken);
  await admin.post('/ads', eligibleAd);
  const wf = await admin.post('/workflows', {
    name: 'Greet ad leads',
    trigger: { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds },
    steps: [{ id: 'greet', type: 'add_comment', config: { text: 'Lead from {{$trigger.adName}} ({{$trigger.adId}}): {{$trigger.message}} / {{$trigger.ctwaClid}}' } }],
  });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  const pub = await admin.post(`/workflows/${wf.body.id}/publish`);
  expect(pub.status, JSON.stringify(pub.body)).toBe(200);
  return wf.body.id as string;
}

describe('GET /meta/webhook verification', () => {
  it('echoes hub.challenge for the configured verify token only', async () => {
    const ok = await server.request('GET', '/meta/webhook?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444');
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('1158201444');
    const bad = await server.request('GET', '/meta/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1');
    expect(bad.status).toBe(403);
  });
});

describe('POST /meta/webhook', () => {
  it('a WhatsApp ad-referred message creates the contact, opens the conversation from the ad and runs the ads workflow', async () => {
    await adWorkflow();
    const res = await deliver(whatsappAdMessage({ waId: '16505551234', adId: eligibleAd.adId, text: 'Is the sale still on?', ctwaClid: 'clid-42' }));
    expect(res.status).toBe(200);
    expect(res.body.runIds).toHaveLength(1);
    const run = await waitForRun(server, res.body.runIds[0]);
    expect(run.status).toBe('completed');
    const admin = server.api(server.adminToken);
    const contacts = await admin.get('/contacts?phone=%2B16505551234');
    expect(contacts.body.contacts).toHaveLength(1);
    expect(contacts.body.contacts[0].firstName).toBe('Sheena');
    const conversations = await admin.get(`/conversations?contactId=${contacts.body.contacts[0].id}`);
    const conversation = await admin.get(`/conversations/${conversations.body.conversations[0].id}`);
    expect(conversation.body.openedBySource).toBe('click_to_chat_ads');
    const texts = conversation.body.messages.map((m: { text: string }) => m.text);
    expect(texts).toContain('Is the sale still on?');
    expect(texts).toContain('Lead from Summer sale (120210000000001): Is the sale still on? / clid-42');
  });

  it('a Messenger ad referral runs the workflow for that ad', async () => {
    await adWorkflow();
    const res = await deliver(messengerAdReferral({ psid: '4871203918', adId: eligibleAd.adId, text: 'Hello!' }));
    expect(res.status).toBe(200);
    expect(res.body.runIds).toHaveLength(1);
    expect((await waitForRun(server, res.body.runIds[0])).status).toBe('completed');
    // The same person again: the same contact, no second contact created.
    await deliver(messengerAdReferral({ psid: '4871203918', adId: eligibleAd.adId, text: 'Again' }));
    expect((await server.events('contact.created'))).toHaveLength(1);
  });

  it('a plain message is stored without firing the ads trigger; an ad not in the workflow fires nothing', async () => {
    await adWorkflow();
    const plain = await deliver(whatsappPlainMessage({ waId: '16505550000', text: 'just saying hi' }));
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ received: 1, runIds: [] });
    const other = await deliver(whatsappAdMessage({ waId: '16505550001', adId: '999', text: 'other ad' }));
    expect(other.body.runIds).toEqual([]);
    expect(await server.events('ad.clicked')).toHaveLength(1);
    const opened = await server.events('conversation.opened');
    expect(opened.map((e) => e.source).sort()).toEqual(['click_to_chat_ads', 'contact']);
  });

  it.each([
    ['missing signature', (raw: string) => ({ body: raw, headers: { 'content-type': 'application/json' } }), 401],
    ['wrong signature', (raw: string) => ({ body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' } }), 401],
    ['malformed JSON', () => ({ body: '{"object":', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign('{"object":') } }), 400],
    ['not JSON', (raw: string) => ({ body: raw, headers: { 'content-type': 'text/plain', 'x-hub-signature-256': sign(raw) } }), 415],
    // A message's timestamp as arrays nested 100,000 levels deep (signed): the handler overflowed the stack (a 500).
    ['nested thousands of levels deep', () => {
      const deep = JSON.stringify(whatsappPlainMessage({ waId: '16505551234', text: 'x' })).replace(/"timestamp":"\d+"/, `"timestamp":${'['.repeat(100_000)}1${']'.repeat(100_000)}`);
      return { body: deep, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(deep) } };
    }, 400],
  ])('%s → %s and nothing stored', async (_n, make, status) => {
    const raw = JSON.stringify(whatsappAdMessage({ waId: '16505551234', adId: eligibleAd.adId, text: 'x' }));
    const res = await server.request('POST', '/meta/webhook', make(raw));
    expect(res.status).toBe(status);
    expect(await server.events()).toHaveLength(0);
  });
});

describe('ads catalog', () => {
  it('lists ads with eligibility, and publishing a trigger on an ineligible ad says why', async () => {
    const admin = server.api(server.adminToken);
    const deleted = { ...eligibleAd, adId: '120210000000002', name: 'Old', status: 'DELETED' };
    expect((await admin.post('/ads', eligibleAd)).body.eligible).toBe(true);
    const created = await admin.post('/ads', deleted);
    expect(created.body.eligible).toBe(false);
    expect(created.body.reasons.join(' ')).toMatch(/Status DELETED is not eligible/);
    const list = await admin.get('/ads');
    expect(list.body.ads).toHaveLength(2);
    const wf = await admin.post('/workflows', { name: 'x', trigger: { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds: [deleted.adId] }, steps: [] });
    const pub = await admin.post(`/workflows/${wf.body.id}/publish`);
    expect(pub.status).toBe(422);
    expect(JSON.stringify(pub.body.error.details)).toMatch(/Status DELETED is not eligible/);
  });

  it('posting an ad id again updates it (200, not a second ad); a blank or over-long value says which', async () => {
    const admin = server.api(server.adminToken);
    const paused = { ...eligibleAd, adId: '120210000000003', status: 'ACTIVE' };
    expect((await admin.post('/ads', paused)).status).toBe(201);
    const again = await admin.post('/ads', { ...paused, status: 'PAUSED', name: 'Renamed' });
    expect(again.status).toBe(200);
    const ads = (await admin.get('/ads')).body.ads.filter((a: { adId: string }) => a.adId === paused.adId);
    expect(ads).toMatchObject([{ status: 'PAUSED', name: 'Renamed' }]);
    const bad = await admin.post('/ads', { ...paused, name: ' ', objective: 'x'.repeat(201) });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual(expect.arrayContaining([
      expect.objectContaining({ message: 'Enter the ad name' }),
      expect.objectContaining({ message: 'The objective has at most 200 characters' }),
    ]));
  });
});
