import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatwootSyncResult } from '../../../lib/contracts/chatwoot';
import { createWorkflow, defineField, runsOf } from '../engine-support';
import { eventsOf, startChatwootPair, type ChatwootPair } from './harness';

describe('reconciling a Chatwoot account over its REST API', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair(); });
  afterEach(async () => { await p.close(); });
  const sync = () => p.server.api(p.server.adminToken).post(`/chatwoot/accounts/${p.account.id}/sync`);

  it('repairs dropped deliveries once, and shows when it last synced', async () => {
    await defineField(p.server, 'plan');
    const tagged = await createWorkflow(p.server, { name: 't', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, steps: [{ id: 'n', type: 'add_comment', config: { text: 'x' } }] });
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com', custom_attributes: { plan: 'pro' } });
    const kept = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Where is my parcel?', incoming: true } });
    const bob = p.cw.addContact({ name: 'Bob' });
    const later = p.cw.addConversation({ contactId: bob.id, firstMessage: { content: 'Hello?', incoming: true } });
    // Bob's conversation arrived by webhook; then it was resolved and Jane's was labelled vip: both deliveries lost.
    await p.hook(p.cw.conversationPayload(later.id, 'conversation_created'));
    later.status = 'resolved'; p.cw.touch(later);
    kept.labels = ['vip']; p.cw.touch(kept);

    const first = await sync();
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const outcome = ChatwootSyncResult.parse(first.body);
    expect(outcome).toMatchObject({ conversations: 2, contacts: 2 });
    expect(outcome.repaired).toBeGreaterThan(0);
    expect(outcome.account.lastSyncedAt).not.toBeNull();
    expect(p.cw.requests.every((r) => r.method === 'GET')).toBe(true);

    const conversations = (await p.server.api(p.server.adminToken).get('/conversations')).body.conversations;
    const byExternal = Object.fromEntries(conversations.map((c: { externalId: string; status: string }) => [c.externalId, c]));
    expect(byExternal[String(kept.id)]).toMatchObject({ status: 'open', contact: { tags: ['vip'], fields: { plan: 'pro' } }, firstIncomingMessage: 'Where is my parcel?' });
    expect(byExternal[String(later.id)]).toMatchObject({ status: 'closed' });
    expect(await runsOf(p.server, tagged.id)).toHaveLength(1);
    const detail = await p.server.api(p.server.adminToken).get(`/conversations/${byExternal[String(kept.id)].id}`);
    expect(detail.body.messages.map((m: { text: string }) => m.text)).toEqual(['Where is my parcel?']);

    const again = ChatwootSyncResult.parse((await sync()).body);
    expect(again.repaired).toBe(0);
    expect(await eventsOf(p.server, 'conversation.opened')).toHaveLength(2);
    expect(await runsOf(p.server, tagged.id)).toHaveLength(1);
  });

  it('says why a sync failed and keeps it visible on the account', async () => {
    p.cw.token = 'rotated-in-chatwoot';
    const res = await sync();
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/Sync failed: Chatwoot refused the API access token/);
    const account = (await p.server.api(p.server.adminToken).get(`/chatwoot/accounts/${p.account.id}`)).body;
    expect(account).toMatchObject({ status: 'error', lastSyncedAt: null, lastError: expect.stringMatching(/Access Token/) });
  });
});
