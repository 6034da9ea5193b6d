import { afterEach, beforeEach, expect, it } from 'vitest';
import type { StandInAd } from '../../support/graph-standin';
import { startChannelWorld, type ChannelWorld } from './support';

// r-admin defect 5: linking an ad account read none of its ads. Settings showed "LAST SYNC never",
// the catalog and the Click-to-Chat ad picker (GET /ads) stayed empty until Sync now or the next
// scheduled pass (an hour by default). respond.io lists the ads once the account is connected.

let w: ChannelWorld;
const ad = (id: string, name: string): StandInAd => ({
  id, name, effective_status: 'ACTIVE',
  campaign: { objective: 'OUTCOME_ENGAGEMENT' }, adset: { optimization_goal: 'CONVERSATIONS', destination_type: 'WHATSAPP' }, creative: {},
});
beforeEach(async () => {
  // The scheduled pass is an hour away: only the link can read the ads during the test.
  w = await startChannelWorld();
  w.graph.addAdAccount({ id: 'act_1234', token: 'EAAGadsToken9999', name: 'Acme Ads', ads: [ad('120210000000001', 'Summer sale CTWA'), ad('120210000000002', 'Winter sale CTWA')] });
});
afterEach(async () => { await w.close(); });

it('linking an ad account reads its ads at once: the catalog and the ad picker list them, the account says when', async () => {
  const admin = w.server.api(w.server.adminToken);
  const before = Date.now();
  const linked = await admin.post('/ads/accounts', { adAccountId: 'act_1234', accessToken: 'EAAGadsToken9999' });
  expect(linked.status, JSON.stringify(linked.body)).toBe(201);
  expect(linked.body).toMatchObject({ adAccountId: 'act_1234', name: 'Acme Ads', lastError: null });
  expect(Date.parse(linked.body.lastSyncedAt)).toBeGreaterThanOrEqual(before - 1000);
  expect(w.graph.requests.filter((r) => r.path.endsWith('/act_1234/ads'))).toHaveLength(1);

  const catalog = (await admin.get('/ads')).body.ads as { adId: string; name: string; adAccountId: string; eligible: boolean; source: string }[];
  expect(catalog.map((a) => [a.adId, a.name, a.adAccountId, a.eligible, a.source])).toEqual([
    ['120210000000001', 'Summer sale CTWA', 'act_1234', true, 'synced'],
    ['120210000000002', 'Winter sale CTWA', 'act_1234', true, 'synced'],
  ]);
  expect((await admin.get('/ads/accounts')).body.accounts).toEqual([expect.objectContaining({ id: linked.body.id, lastSyncedAt: linked.body.lastSyncedAt, lastError: null })]);
});
