import { afterEach, describe, expect, it } from 'vitest';
import type { GraphStandIn, StandInAd } from '../../support/graph-standin';
import { startTestServer, type TestServer } from '../../support/server';
import { startTestGraph } from './support';

// The scheduled ads sync (META_ADS_SYNC_MINUTES) as the Marketing API sees it. It was a bare
// setInterval: a "monthly" sync (43,200 minutes, past 2^31 ms) fired every millisecond (2,468
// Graph calls in 3 s), and a sync slower than the period overlapped the next. Periods are set
// through the config here, past the bounds the environment allows, to watch them in seconds.
describe('the scheduled ads sync', () => {
  let graph: GraphStandIn;
  let server: TestServer;
  afterEach(async () => { await server.close(); await graph.close(); });

  const ad = (id: string): StandInAd => ({
    id, name: `Ad ${id}`, effective_status: 'ACTIVE',
    campaign: { objective: 'OUTCOME_ENGAGEMENT' }, adset: { optimization_goal: 'CONVERSATIONS', destination_type: 'WHATSAPP' }, creative: {},
  });
  const start = async (metaAdsSyncMinutes: number, slowMs = 0) => {
    graph = await startTestGraph();
    for (let i = 0; slowMs > 0 && i < 50; i++) graph.delayNext(slowMs, '/act_1234/ads');
    graph.addAdAccount({ id: 'act_1234', token: 'EAAGadsToken9999', name: 'Acme Ads', ads: [ad('120210000000001')] });
    server = await startTestServer({ env: { META_GRAPH_URL: graph.url }, config: { metaAdsSyncMinutes } });
    const linked = await server.api(server.adminToken).post('/ads/accounts', { adAccountId: 'act_1234', accessToken: 'EAAGadsToken9999' });
    expect(linked.status, JSON.stringify(linked.body)).toBe(201);
    // Linking reads the ads once itself (ads-link-sync.test.ts): only the scheduled reads are watched.
    graph.requests.length = 0;
  };
  const adReads = () => graph.requests.filter((r) => r.path.endsWith('/act_1234/ads'));

  it('a monthly sync (43,200 minutes, longer than Node\'s timers allow) waits its month: no Graph call meanwhile', async () => {
    await start(43_200);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(adReads()).toEqual([]);
  });

  it('a slow Marketing API: the next sync starts a whole period after the last one ended, never beside it', async () => {
    const periodMs = 100;
    const slowMs = 300;
    await start(periodMs / 60_000, slowMs);
    // When each read of the ads arrives, seen from here every few milliseconds.
    const arrivals: number[] = [];
    const until = Date.now() + 2_500;
    while (Date.now() < until) {
      while (arrivals.length < adReads().length) arrivals.push(Date.now());
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
    const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
    // Each read is answered after slowMs; the next one comes at least periodMs after that (a
    // little slack for the polling here and the database between them).
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(slowMs + periodMs - 20);
  }, 20_000);
});
