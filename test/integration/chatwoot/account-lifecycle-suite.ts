import { afterEach, expect, it } from 'vitest';
import { ChatwootAccount, ChatwootDisconnected, ChatwootSyncResult } from '../../../lib/contracts/chatwoot';
import { ConversationDetail, ConversationList } from '../../../lib/contracts/conversations';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { before, startChatwootPair, type ChatwootPair } from './harness';

/**
 * A Chatwoot account over time: disconnected and connected again it re-links what was mirrored
 * (same conversations, history, contacts, webhook URL) rather than duplicating it; a conversation
 * Chatwoot deleted is closed here as `deleted_in_chatwoot` (firing nothing); an imported
 * conversation opened when Chatwoot created it; what a sync could not copy is said; a conversation
 * mirrored on demand (the extension) has the customer's message. Registered by
 * account-lifecycle.test.ts (SQLite) and account-lifecycle.pg.test.ts (PostgreSQL).
 */
export function chatwootAccountLifecycleSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const sync = async (accountId = p.account.id) => {
    const res = await admin().post(`/chatwoot/accounts/${accountId}/sync`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ChatwootSyncResult.parse(res.body);
  };
  const conversations = async () => ConversationList.parse((await admin().get('/conversations?limit=200')).body).conversations;
  const detail = async (id: string) => ConversationDetail.parse((await admin().get(`/conversations/${id}`)).body);

  it('disconnecting says what it does, and connecting the same account again re-links its conversations, history, contacts and webhook URL', async () => {
    p = await startChatwootPair({ databaseUrl: databaseUrl() });
    const welcome = await createWorkflow(p.server, { name: 'Welcome', trigger: { type: 'conversation_opened' }, steps: [{ id: 'w', type: 'wait', config: { seconds: 3600 } }] });
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Where is my parcel?', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    await p.hook(p.cw.messagePayload(conv.id, conv.messages[0]!.id));
    const [mirror] = await conversations();
    expect(mirror).toMatchObject({ status: 'open', externalId: String(conv.id) });
    const contactsBefore = (await admin().get('/contacts')).body;

    const removed = await admin().del(`/chatwoot/accounts/${p.account.id}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    const said = ChatwootDisconnected.parse(removed.body);
    expect(said).toMatchObject({ id: p.account.id, openConversations: 1 });
    expect(said.message).toMatch(/^Disconnected Acme Support: its webhook URL stops working now and its access token is forgotten\. 1 conversation mirrored from it stays open here with its history, but Chatwoot no longer updates them and workflow steps on them fail until the account is connected again\. Connect the same address and account id again/);
    // Meanwhile the conversation still says where it lives, marked disconnected; deliveries are refused.
    expect((await detail(mirror!.id)).inbox).toMatchObject({ kind: 'chatwoot', name: 'Website', account: 'Acme Support', disconnected: true, url: `${p.cw.url}/app/accounts/1/conversations/${conv.id}` });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', {}))).status).toBe(404);

    // The customer writes again while it is disconnected (that delivery is lost).
    conv.messages.push({ id: 88_001, content: 'Hello?', message_type: 0, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'Contact' });
    p.cw.touch(conv);
    const again = await admin().post('/chatwoot/accounts', { baseUrl: p.cw.url, accountId: p.cw.accountId, apiAccessToken: p.cw.token });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const relinked = ChatwootAccount.parse(again.body);
    expect(relinked).toMatchObject({ id: p.account.id, relinked: true, webhookUrl: p.account.webhookUrl, status: 'active', lastSyncedAt: null });
    expect((await admin().get('/chatwoot/accounts')).body.accounts).toHaveLength(1);

    await sync();
    const after = await conversations();
    // The same conversation, still open, with its history and the message from the gap; nothing set aside.
    expect(after.map((c) => [c.id, c.status, c.closeReason])).toEqual([[mirror!.id, 'open', null]]);
    expect((await detail(mirror!.id)).messages.map((m) => m.text)).toEqual(['Where is my parcel?', 'Hello?']);
    expect((await detail(mirror!.id)).inbox).toMatchObject({ name: 'Website', account: 'Acme Support' });
    expect((await detail(mirror!.id)).inbox?.disconnected).toBeUndefined();
    expect((await admin().get('/contacts')).body).toEqual(contactsBefore);
    expect(await runsOf(p.server, welcome.id)).toHaveLength(1);
    // Chatwoot's webhook, still set to the old URL, reaches it again.
    conv.status = 'resolved';
    p.cw.touch(conv);
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null))).status).toBe(200);
    expect((await conversations())[0]).toMatchObject({ id: mirror!.id, status: 'closed' });
  });

  it('closes a conversation Chatwoot deleted, firing nothing, and says so; later syncs are quiet', async () => {
    p = await startChatwootPair({ databaseUrl: databaseUrl(), workers: true });
    const closedFlow = await createWorkflow(p.server, { name: 'Survey', trigger: { type: 'conversation_closed' }, steps: [{ id: 'w', type: 'wait', config: { seconds: 3600 } }] });
    const jane = p.cw.addContact({ name: 'Jane Doe' });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Spam spam', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    p.cw.conversations.delete(conv.id);

    const outcome = await sync();
    expect(outcome.account).toMatchObject({ status: 'active', lastError: null });
    const [mirror] = await conversations();
    expect(mirror).toMatchObject({ status: 'closed', closeReason: 'deleted_in_chatwoot', closedBySource: 'user' });
    expect(outcome.notes).toEqual([`Conversation ${conv.id} was deleted in Chatwoot; closed here (${mirror!.id})`]);
    const second = await sync();
    expect(second.notes).toEqual([]);
    expect(p.cw.requests.filter((r) => r.path.endsWith(`/conversations/${conv.id}`))).toHaveLength(1);
    // No survey for a conversation nobody resolved.
    await new Promise((r) => setTimeout(r, 300));
    expect(await runsOf(p.server, closedFlow.id)).toHaveLength(0);
  });

  it('a conversation Chatwoot created in the second of a reconnect, before it, is imported by the next sync: no Conversation Opened', async () => {
    p = await startChatwootPair({ databaseUrl: databaseUrl() });
    const welcome = await createWorkflow(p.server, { name: 'Welcome', trigger: { type: 'conversation_opened' }, steps: [{ id: 'w', type: 'wait', config: { seconds: 3600 } }] });
    expect((await admin().del(`/chatwoot/accounts/${p.account.id}`)).status).toBe(200);
    const again = await admin().post('/chatwoot/accounts', { baseUrl: p.cw.url, accountId: p.cw.accountId, apiAccessToken: p.cw.token });
    const relinked = ChatwootAccount.parse(again.body);
    const reconnectedMs = Date.parse(relinked.createdAt);
    // Chatwoot stamps whole seconds: created within that second, before the reconnect's moment.
    if (reconnectedMs % 1000 === 0) return; // (the reconnect fell on a whole second: no such moment)
    const conv = p.cw.addConversation({ contactId: p.cw.addContact({ name: 'Jane Doe' }).id, firstMessage: { content: 'Hello?', incoming: true } });
    conv.created_at = Math.floor(reconnectedMs / 1000);
    await sync();
    expect((await conversations()).map((c) => [c.status, c.externalId])).toEqual([['open', String(conv.id)]]);
    expect(await runsOf(p.server, welcome.id)).toEqual([]);
  });

  // A run waiting on a conversation that a sync then closes as deleted in Chatwoot used to go on
  // and post to it: Chatwoot's 404 failed the step with "Chatwoot answered 404 for POST …".
  it.each([
    ['Add comment', { type: 'add_comment', config: { text: 'Checked in' } }, 'Cannot act on it: the conversation was deleted in Chatwoot (a sync closed it here); Chatwoot was not asked'],
    ['Send message', { type: 'send_message', config: { text: 'Still there?' } }, 'Cannot send a message: the conversation was deleted in Chatwoot (a sync closed it here)'],
    ['Open conversation', { type: 'open_conversation', config: {} }, 'Cannot act on it: the conversation was deleted in Chatwoot (a sync closed it here); Chatwoot was not asked'],
  ])('a run waiting on a conversation deleted in Chatwoot meanwhile: %s fails saying so, without asking Chatwoot', async (_name, step, error) => {
    p = await startChatwootPair({ databaseUrl: databaseUrl(), workers: true });
    const flow = await createWorkflow(p.server, { name: 'Check in', trigger: { type: 'conversation_opened' }, steps: [{ id: 'w', type: 'wait', config: { seconds: 2 } }, { id: 'then', ...step }] as never });
    const jane = p.cw.addContact({ name: 'Jane Doe' });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Spam spam', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    await waitFor('the waiting run', async () => ((await runsOf(p.server, flow.id))[0]?.status === 'waiting' ? true : undefined));
    p.cw.conversations.delete(conv.id);
    await sync();
    expect((await conversations())[0]).toMatchObject({ status: 'closed', closeReason: 'deleted_in_chatwoot' });
    p.cw.requests.length = 0;

    const [run] = await waitFor('the run to end', async () => {
      const runs = await runsOf(p.server, flow.id);
      return runs[0]?.status === 'failed' || runs[0]?.status === 'completed' ? runs : undefined;
    });
    expect(run).toMatchObject({ status: 'failed', error });
    expect(p.cw.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('an imported conversation opened when Chatwoot created it: Conversation Closed counts its resolution time from there', async () => {
    p = await startChatwootPair({ databaseUrl: databaseUrl(), workers: true });
    const closedFlow = await createWorkflow(p.server, { name: 'Closed', trigger: { type: 'conversation_closed' }, steps: [{ id: 'w', type: 'wait', config: { seconds: 3600 } }] });
    const jane = p.cw.addContact({ name: 'Jane Doe' });
    const conv = before(p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Still waiting', incoming: true } }), 2);
    await sync();
    const [mirror] = await conversations();
    expect(mirror!.openedAt).toBe(new Date(conv.created_at * 1000).toISOString());
    conv.status = 'resolved';
    p.cw.touch(conv);
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null));
    const [run] = await waitFor('the Closed run', async () => {
      const runs = await runsOf(p.server, closedFlow.id);
      return runs.length ? runs : undefined;
    });
    const seconds = (run!.variables.trigger as { resolutionTimeSeconds: number }).resolutionTimeSeconds;
    expect(seconds).toBeGreaterThanOrEqual(2 * 86_400);
    expect(seconds).toBeLessThan(2 * 86_400 + 120);
  });

  it('says which Chatwoot attribute a sync could not copy to its field (a value that is not one of a list\'s options)', async () => {
    p = await startChatwootPair({ databaseUrl: databaseUrl() });
    expect((await admin().put('/fields/plan', { label: 'Plan', type: 'list', options: ['basic', 'pro'] })).status).toBe(200);
    const jane = p.cw.addContact({ name: 'Jane Doe', custom_attributes: { plan: 'enterprise' } });
    const conv = before(p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Hi', incoming: true } }));
    const outcome = await sync();
    expect(outcome.notes).toEqual([expect.stringMatching(new RegExp(`^Conversation ${conv.id}: Chatwoot attribute "plan" not copied to the field: .*enterprise`))]);
  });

  it('a conversation the extension resolves before any sync shows the customer\'s message', async () => {
    p = await startChatwootPair({ databaseUrl: databaseUrl() });
    const jane = p.cw.addContact({ name: 'Jane Doe' });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'My order is late', incoming: true } });
    const { token } = await p.server.createUser('agent');
    const res = await p.server.api(token).get(`/chatwoot/conversations/resolve?origin=${encodeURIComponent(p.cw.url)}&accountId=1&conversationId=${conv.id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const shown = await detail(res.body.conversationId);
    expect(shown.messages.map((m) => [m.direction, m.text])).toEqual([['incoming', 'My order is late']]);
    expect(shown.firstIncomingMessage).toBe('My order is late');
  });
}
