import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextWamid, whatsappAdMessage } from '../../fixtures/meta/payloads';
import { graphErrors, type StandInAd, type StandInAdAccount } from '../../support/graph-standin';
import { startChannelWorld, type ChannelWorld } from './support';

let w: ChannelWorld;
let account: StandInAdAccount;
const ad = (id: string, over: Partial<StandInAd> = {}): StandInAd => ({
  id, name: `Ad ${id}`, effective_status: 'ACTIVE',
  campaign: { objective: 'OUTCOME_ENGAGEMENT' }, adset: { optimization_goal: 'CONVERSATIONS', destination_type: 'WHATSAPP' }, creative: {}, ...over,
});
beforeEach(async () => {
  w = await startChannelWorld();
  account = w.graph.addAdAccount({ id: 'act_1234', token: 'EAAGadsToken9999', name: 'Acme Ads', ads: [
    ...Array.from({ length: 150 }, (_, i) => ad(`1202100000${String(i).padStart(5, '0')}`)),
    ad('120219999900001', { name: 'Boosted in Instagram', creative: { source_instagram_media_id: '17895695668004550' } }),
    ad('120219999900002', { name: 'Old promo', effective_status: 'ARCHIVED' }),
    ad('120219999900003', { name: 'Messenger promo', adset: { optimization_goal: 'CONVERSATIONS', destination_type: 'MESSENGER' } }),
  ] });
});
afterEach(async () => { await w.close(); });

describe('ads catalog from the Marketing API', () => {
  it('links an ad account, pages through its ads with the eligibility fields, and marks what cannot be chosen', async () => {
    const admin = w.server.api(w.server.adminToken);
    const bad = await admin.post('/ads/accounts', { adAccountId: '1234', accessToken: 'EAAGwrongToken000' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/Meta error 190/);
    const linked = await admin.post('/ads/accounts', { adAccountId: '1234', accessToken: 'EAAGadsToken9999' });
    expect(linked.status, JSON.stringify(linked.body)).toBe(201);
    expect(linked.body).toMatchObject({ adAccountId: 'act_1234', name: 'Acme Ads', tokenLastFour: '••••9999' });
    // Linking read the ads once already (ads-link-sync.test.ts); Sync now reads them again.
    w.graph.requests.length = 0;

    const sync = await admin.post(`/ads/accounts/${linked.body.id}/sync`);
    expect(sync.status, JSON.stringify(sync.body)).toBe(200);
    expect(sync.body.synced).toBe(153);
    const pages = w.graph.requests.filter((r) => r.path === '/v21.0/act_1234/ads');
    expect(pages).toHaveLength(2);

    const catalog = (await admin.get('/ads')).body.ads as { adId: string; eligible: boolean; reasons: string[]; channel: string; source: string }[];
    const byId = new Map(catalog.map((a) => [a.adId, a]));
    expect(byId.get('120210000000000')).toMatchObject({ eligible: true, channel: 'whatsapp_cloud_api', source: 'synced' });
    expect(byId.get('120219999900001')!.reasons.join(' ')).toMatch(/Created inside Instagram/);
    expect(byId.get('120219999900002')!.reasons.join(' ')).toMatch(/Status ARCHIVED is not eligible/);
    expect(byId.get('120219999900003')).toMatchObject({ eligible: true, channel: 'messenger' });

    // Hand-entered ads stay possible for accounts that are not linked.
    const manual = await admin.post('/ads', { adAccountId: 'act_9', adId: '555', name: 'Typed in', channel: 'messenger', status: 'ACTIVE', objective: 'MESSAGES', optimizationGoal: 'CONVERSATIONS', destinationType: 'MESSENGER' });
    expect(manual.body).toMatchObject({ eligible: true, source: 'manual' });
  });

  it('an ad that becomes DELETED stops firing its workflow: the event says why and the options page lists the workflow', async () => {
    const admin = w.server.api(w.server.adminToken);
    const linked = await admin.post('/ads/accounts', { adAccountId: 'act_1234', accessToken: 'EAAGadsToken9999' });
    await admin.post(`/ads/accounts/${linked.body.id}/sync`);
    const wf = await admin.post('/workflows', { name: 'Ad leads', trigger: { type: 'click_to_chat_ads', adAccountId: 'act_1234', adIds: ['120210000000001'] }, steps: [{ id: 'c', type: 'add_comment', config: { text: 'lead' } }] });
    expect((await admin.post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
    const fired = await w.deliver(whatsappAdMessage({ waId: '14155550123', adId: '120210000000001', text: 'hi', id: nextWamid() }));
    expect(fired.body.runIds).toHaveLength(1);
    expect((await admin.get('/ads/workflow-warnings')).body.workflows).toEqual([]);

    account.ads.find((a) => a.id === '120210000000001')!.effective_status = 'DELETED';
    await admin.post(`/ads/accounts/${linked.body.id}/sync`);
    const after = await w.deliver(whatsappAdMessage({ waId: '14155550124', adId: '120210000000001', text: 'hi again', id: nextWamid() }));
    expect(after.status).toBe(200);
    expect(after.body.runIds).toEqual([]);
    const events = await w.server.events('ad.clicked');
    const note = await w.server.store.db.selectFrom('events').select('note').where('id', '=', events.at(-1)!.id).executeTakeFirstOrThrow();
    expect(note.note).toMatch(/Ad 120210000000001 can no longer trigger workflows: Status DELETED is not eligible/);
    const warnings = (await admin.get('/ads/workflow-warnings')).body.workflows;
    expect(warnings).toEqual([{ workflowId: wf.body.id, name: 'Ad leads', ads: [{ adId: '120210000000001', reasons: [expect.stringMatching(/Status DELETED/)] }] }]);

    // An ad Meta no longer lists at all is marked DELETED by the next sync.
    account.ads = account.ads.filter((a) => a.id !== '120210000000002' && a.id !== '120210000000003');
    const sync = await admin.post(`/ads/accounts/${linked.body.id}/sync`);
    expect(sync.body.noLongerListed).toBe(2);
  });

  it('a Marketing API failure keeps the catalog and says why on the account', async () => {
    const admin = w.server.api(w.server.adminToken);
    const linked = await admin.post('/ads/accounts', { adAccountId: 'act_1234', accessToken: 'EAAGadsToken9999' });
    w.graph.failNext(graphErrors.invalidToken());
    const sync = await admin.post(`/ads/accounts/${linked.body.id}/sync`);
    expect(sync.status).toBe(502);
    expect(sync.body.error.message).toMatch(/could not be read: Meta error 190/);
    expect((await admin.get('/ads/accounts')).body.accounts[0].lastError).toMatch(/Meta error 190/);
  });
});
