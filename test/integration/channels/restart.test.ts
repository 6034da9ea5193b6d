import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { messengerGetStartedFromAd, nextMid, nextWamid, whatsappAdMessage } from '../../fixtures/meta/payloads';
import type { GraphStandIn } from '../../support/graph-standin';
import { startTestServer, type TestServer } from '../../support/server';
import { connectTestChannels, startTestGraph } from './support';

const SECRET = 'meta-app-secret-restart';
let dir = '';
let servers: TestServer[] = [];
let graph: GraphStandIn | undefined;
afterEach(async () => {
  for (const s of servers) await s.close().catch(() => {});
  servers = [];
  await graph?.close();
  graph = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

// The number and Page are connected (a Graph stand-in checks them): deliveries for others are not stored.
const start = async (file?: string) => {
  graph ??= await startTestGraph();
  const s = await startTestServer({ ...(file ? { sqliteFile: file } : {}), env: { META_APP_SECRET: SECRET, META_GRAPH_URL: graph.url, COMPANION_ADMIN_TOKEN: 'ict_restart_admin_token_0123456789' } });
  servers.push(s);
  return s;
};
const deliver = (s: TestServer, payload: unknown) => {
  const raw = JSON.stringify(payload);
  return s.request('POST', '/meta/webhook', { body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` } });
};

describe('repeats after a restart', () => {
  it('a delivery Meta repeats after the server restarted is recognised: no second message, no second run', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'meta-restart-'));
    const file = path.join(dir, 'companion.db');
    const first = await start(file);
    await connectTestChannels(first, graph!);
    const admin = first.api(first.adminToken);
    await admin.post('/ads', { adAccountId: 'act_1', adId: '120210000000001', name: 'Sale', channel: 'whatsapp_cloud_api', status: 'ACTIVE', objective: 'MESSAGES', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP' });
    const wf = await admin.post('/workflows', { name: 'Ads', trigger: { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds: ['120210000000001'] }, steps: [{ id: 'c', type: 'add_comment', config: { text: 'lead' } }] });
    await admin.post(`/workflows/${wf.body.id}/publish`);
    const wa = whatsappAdMessage({ waId: '14155550123', adId: '120210000000001', text: 'Sale?', id: nextWamid() });
    const ms = messengerGetStartedFromAd({ psid: '4871203918', adId: '120210000000001', mid: nextMid() });
    expect((await deliver(first, wa)).body.runIds).toHaveLength(1);
    expect((await deliver(first, ms)).body.runIds).toHaveLength(1);
    await first.close();
    servers = [];

    const second = await start(file);
    expect((await deliver(second, wa)).body).toMatchObject({ received: 0, duplicates: 1, runIds: [] });
    expect((await deliver(second, ms)).body).toMatchObject({ received: 0, duplicates: 1, runIds: [] });
    expect(await second.events('ad.clicked')).toHaveLength(2);
    const incoming = await second.store.db.selectFrom('messages').select('text').where('direction', '=', 'incoming').execute();
    expect(incoming.map((m) => m.text).sort()).toEqual(['Get Started', 'Sale?']);
  });
});

describe('bookkeeping', () => {
  it('repeat keys are kept past Meta’s 7-day retries and dropped after 30 days', async () => {
    const { pruneChannelBookkeeping } = await import('../../../server/channels/housekeeping');
    const s = await start();
    await connectTestChannels(s, graph!);
    const payload = whatsappAdMessage({ waId: '14155550123', adId: 'x', text: 'hi', id: nextWamid() });
    await deliver(s, payload);
    await pruneChannelBookkeeping(s.app.services, Date.now() + 8 * 86_400_000);
    expect((await deliver(s, payload)).body.duplicates).toBe(1);
    await pruneChannelBookkeeping(s.app.services, Date.now() + 31 * 86_400_000);
    expect(await s.store.db.selectFrom('meta_deliveries').selectAll().execute()).toEqual([]);
  });
});
