import { afterEach, beforeEach, expect, it } from 'vitest';
import { nextWamid, whatsappAdMessage, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { describePg, pgUrl } from '../../support/postgres';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

describePg('Meta channels on PostgreSQL', () => {
  let w: ChannelWorld;
  beforeEach(async () => { w = await startChannelWorld({ databaseUrl: pgUrl()! }); });
  afterEach(async () => { await w.close(); });

  it('concurrent repeats of one delivery store the message once and start the ads workflow once', async () => {
    const admin = w.server.api(w.server.adminToken);
    await admin.post('/ads', { adAccountId: 'act_1', adId: '120210000000001', name: 'Sale', channel: 'whatsapp_cloud_api', status: 'ACTIVE', objective: 'MESSAGES', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP' });
    const wf = await admin.post('/workflows', { name: 'Ads', trigger: { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds: ['120210000000001'] }, steps: [{ id: 'c', type: 'add_comment', config: { text: 'lead' } }] });
    await admin.post(`/workflows/${wf.body.id}/publish`);
    const payload = whatsappAdMessage({ waId: '14155550123', adId: '120210000000001', text: 'Sale?', id: nextWamid() });
    const results = await Promise.all(Array.from({ length: 6 }, () => w.deliver(payload)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(results.flatMap((r) => r.body.runIds)).toHaveLength(1);
    expect(await w.server.events('ad.clicked')).toHaveLength(1);
    const rows = await w.server.store.db.selectFrom('messages').select('text').where('direction', '=', 'incoming').execute();
    expect(rows).toHaveLength(1);
  });

  it('two first messages of one new customer arriving at once make one contact, one conversation, two messages', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((i) => w.deliver(whatsappPlainMessage({ waId: '14155550999', text: `part ${i}`, id: nextWamid() }))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.reduce((n, r) => n + r.body.received, 0)).toBe(4);
    const db = w.server.store.db;
    expect(await db.selectFrom('contacts').select('id').execute()).toHaveLength(1);
    expect(await db.selectFrom('conversations').select('id').execute()).toHaveLength(1);
    expect(await db.selectFrom('messages').select('id').where('direction', '=', 'incoming').execute()).toHaveLength(4);
  });

  it('a workflow’s send reaches the Graph API once and the delivered status lands on the message', async () => {
    await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi' }));
    const { contact, conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
    const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Hello from PostgreSQL' } }]);
    expect((await w.fire(wf, contact.id)).status).toBe('completed');
    expect(w.graph.sent).toHaveLength(1);
    const { whatsappStatus } = await import('../../fixtures/meta/payloads');
    await w.deliver(whatsappStatus({ wamid: w.graph.sent[0]!.id, status: 'delivered', recipient: '14155550123' }));
    const out = (await w.server.api(w.server.adminToken).get(`/conversations/${conversation.id}`)).body.messages.find((m: { direction: string }) => m.direction === 'outgoing');
    expect(out.delivery.status).toBe('delivered');
  });
});
