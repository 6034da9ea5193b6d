import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelList } from '../../../lib/contracts/channels';
import { graphTiming } from '../../../server/channels/graph';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { graphErrors, startGraphStandIn, type GraphStandIn } from '../../support/graph-standin';
import { startTestServer, type TestServer } from '../../support/server';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from './support';

// A WhatsApp channel's Business Account id is checked with Meta (GET /{waba-id}/phone_numbers:
// the account exists for the token and holds the number) at connect and when it or the token
// changes, and a wrong one can be corrected in place, keeping the channel's conversations.
// https://developers.facebook.com/docs/whatsapp/business-management-api/manage-phone-numbers

const OTHER_WABA = '102290129340399';
const OTHER_NUMBER = '106540352242923';

describe('connecting a WhatsApp number checks its Business Account', () => {
  let graph: GraphStandIn;
  let server: TestServer;
  beforeEach(async () => {
    graph = await startGraphStandIn();
    graph.addPhoneNumber({ id: WA.phoneNumberId, token: WA.token, businessAccountId: WA.businessAccountId });
    // Another account the same system user sees, with another number.
    graph.addPhoneNumber({ id: OTHER_NUMBER, token: WA.token, displayPhoneNumber: '+1 555-010-2030', businessAccountId: OTHER_WABA });
    graph.addPhoneNumber({ id: '106540352242924', token: 'EAAGotherSystemUser', businessAccountId: '102290129340400' });
    server = await startTestServer({ env: { META_GRAPH_URL: graph.url }, workers: false });
  });
  afterEach(async () => { await server.close(); await graph.close(); });
  const whatsapp = { kind: 'whatsapp', name: 'Support line', phoneNumberId: WA.phoneNumberId, businessAccountId: WA.businessAccountId, accessToken: WA.token };

  it.each([
    ['an account id Meta does not know', { businessAccountId: '111111111111' }, 'body.businessAccountId',
      /^WhatsApp Business Account 111111111111 does not exist, or this access token cannot see it \(Meta error 100\/33 .*\)\. Copy the WhatsApp Business Account ID from/],
    ['an account this token is not assigned to', { businessAccountId: '102290129340400' }, 'body.businessAccountId',
      /^WhatsApp Business Account 102290129340400 does not exist, or this access token cannot see it \(Meta error 100\/33/],
    ['the phone number id given as the account id', { businessAccountId: WA.phoneNumberId }, 'body.businessAccountId',
      /^WhatsApp Business Account 106540352242922 does not exist, or this access token cannot see it \(Meta error 100 /],
    ['an account that does not hold the number', { businessAccountId: OTHER_WABA }, 'body.businessAccountId',
      /^Phone number 106540352242922 is not in WhatsApp Business Account 102290129340399 \(its numbers: \+1 555-010-2030 \(id 106540352242923\)\)\. Give the WhatsApp Business Account that holds this number\.$/],
  ])('%s: 422 on the field saying what is wrong, nothing saved', async (_name, change, path, message) => {
    const admin = server.api(server.adminToken);
    const res = await admin.post('/channels', { ...whatsapp, ...change });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('channel_verification_failed');
    expect(res.body.error.message).toMatch(message);
    expect(res.body.error.details).toEqual([{ path, message: res.body.error.message }]);
    expect((await admin.get('/channels')).body.channels).toEqual([]);
  });

  it('a token without whatsapp_business_management: 422 on the token saying which permission it needs', async () => {
    graph.withoutPermission(WA.token, 'whatsapp_business_management');
    const res = await server.api(server.adminToken).post('/channels', whatsapp);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'body.accessToken', message: res.body.error.message }]);
    expect(res.body.error.message).toMatch(/^This access token lacks the whatsapp_business_management permission, which the companion needs to check the WhatsApp Business Account and to list its message templates \(Meta error 200 .*\)/);
  });

  it('Meta down while the account is checked: 502, nothing saved; then it connects', async () => {
    graphTiming.baseDelayMs = 5;
    try {
      const admin = server.api(server.adminToken);
      graph.failNext({ ...graphErrors.serverError(), onPath: '/phone_numbers' }, { ...graphErrors.serverError(), onPath: '/phone_numbers' });
      const down = await admin.post('/channels', whatsapp);
      expect(down.status).toBe(502);
      expect(down.body.error.message).toMatch(/could not be checked, nothing was saved: Meta error 2 /);
      expect((await admin.get('/channels')).body.channels).toEqual([]);
      const ok = await admin.post('/channels', whatsapp);
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body).toMatchObject({ businessAccountId: WA.businessAccountId, displayName: 'Acme Support (+1 555-078-3881)' });
    } finally { graphTiming.baseDelayMs = 500; }
  });

  it('finds the number past the first page of the account’s numbers (Meta lists the newest first)', async () => {
    for (let i = 0; i < 130; i++) graph.addPhoneNumber({ id: `2000000000${String(i).padStart(3, '0')}`, token: WA.token, businessAccountId: WA.businessAccountId });
    const res = await server.api(server.adminToken).post('/channels', whatsapp);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(graph.requests.filter((r) => r.path === `/v21.0/${WA.businessAccountId}/phone_numbers`)).toHaveLength(2);
  });
});

describe('PATCH /channels/:id with businessAccountId', () => {
  let w: ChannelWorld;
  beforeEach(async () => {
    graphTiming.baseDelayMs = 5;
    w = await startChannelWorld();
    w.graph.addPhoneNumber({ id: OTHER_NUMBER, token: WA.token, businessAccountId: OTHER_WABA });
  });
  afterEach(async () => { await w.close(); graphTiming.baseDelayMs = 500; });
  const admin = () => w.server.api(w.server.adminToken);
  const channel = async () => ChannelList.parse((await admin().get('/channels')).body).channels.find((c) => c.id === w.whatsappId)!;

  it('a channel connected with a wrong account id (before it was checked) is corrected in place: Meta checks the new id, its conversations stay', async () => {
    // Connected before the check existed: the wrong id is in the channel.
    await w.server.store.db.updateTable('connections').set({ config: JSON.stringify({ phoneNumberId: WA.phoneNumberId, businessAccountId: '111111111111', displayName: 'Acme Support', tokenLastFour: 'WXYZ' }) }).where('id', '=', w.whatsappId).execute();
    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi', name: 'Ana Lima' }))).status).toBe(200);
    const { conversation } = await conversationOf(w.server, `phone=${encodeURIComponent('+14155550123')}`);
    const listed = await admin().get(`/channels/${w.whatsappId}/whatsapp-templates`);
    expect(listed.body.error).toMatchObject({ code: 'business_account_not_found', message: expect.stringMatching(/not accessible with the channel's token/) });

    const unknown = await admin().patch(`/channels/${w.whatsappId}`, { businessAccountId: '222222222222' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual([{ path: 'body.businessAccountId', message: expect.stringMatching(/^WhatsApp Business Account 222222222222 does not exist, or this access token cannot see it/) }]);
    const elsewhere = await admin().patch(`/channels/${w.whatsappId}`, { businessAccountId: OTHER_WABA });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.message).toMatch(/^Phone number 106540352242922 is not in WhatsApp Business Account 102290129340399/);
    w.graph.failNext({ ...graphErrors.serverError(), onPath: '/phone_numbers' }, { ...graphErrors.serverError(), onPath: '/phone_numbers' });
    expect((await admin().patch(`/channels/${w.whatsappId}`, { businessAccountId: WA.businessAccountId })).status).toBe(502);
    expect((await channel()).businessAccountId).toBe('111111111111');

    const fixed = await admin().patch(`/channels/${w.whatsappId}`, { businessAccountId: ` ${WA.businessAccountId} ` });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(fixed.body).toMatchObject({ id: w.whatsappId, businessAccountId: WA.businessAccountId, status: 'active', tokenLastFour: expect.stringMatching(/WXYZ$/) });
    expect(w.graph.requests.at(-1)).toEqual({ method: 'GET', path: `/v21.0/${WA.businessAccountId}/phone_numbers` });
    expect((await admin().get(`/conversations/${conversation.id}`)).body.connectionId).toBe(w.whatsappId);
    expect((await admin().get(`/channels/${w.whatsappId}/whatsapp-templates`)).status).toBe(200);
  });

  it('a new token is checked against the account too: one without whatsapp_business_management is refused and not kept', async () => {
    w.graph.addPhoneNumber({ id: WA.phoneNumberId, token: 'EAAGmessagingOnly7777', businessAccountId: WA.businessAccountId });
    w.graph.withoutPermission('EAAGmessagingOnly7777', 'whatsapp_business_management');
    const res = await admin().patch(`/channels/${w.whatsappId}`, { accessToken: 'EAAGmessagingOnly7777' });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'body.accessToken', message: expect.stringMatching(/lacks the whatsapp_business_management permission/) }]);
    expect((await channel()).tokenLastFour).toMatch(/WXYZ$/);
  });

  it.each([
    ['a Page', () => w.messengerId, { businessAccountId: WA.businessAccountId }, /is a Facebook Page: only a WhatsApp channel has a WhatsApp Business Account/],
    ['an id that is not a number', () => w.whatsappId, { businessAccountId: 'waba-1' }, /The WhatsApp Business Account id is the number Meta shows for it/],
  ])('%s: 422 on businessAccountId, before any Graph call', async (_name, id, body, message) => {
    const before = w.graph.requests.length;
    const res = await admin().patch(`/channels/${id()}`, body);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error)).toMatch(message);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([expect.stringMatching(/businessAccountId$/)]);
    expect(w.graph.requests.length).toBe(before);
  });
});
