import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationDetail } from '../../../lib/contracts/conversations';
import { cwFaults } from '../../support/chatwoot-standin';
import { eventsOf, startChatwootPair, type ChatwootPair } from './harness';

// The built-in inbox (and any API client) closing or reopening a conversation that lives in
// Chatwoot: it is resolved / reopened in Chatwoot, so the next webhook or sync does not undo it.

const toggles = (p: ChatwootPair) => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/toggle_status')).map((r) => r.body);

describe('Close and Reopen on a Chatwoot conversation act in Chatwoot', () => {
  let p: ChatwootPair;
  let token: string;
  beforeEach(async () => {
    p = await startChatwootPair();
    token = (await p.server.createUser('agent')).token;
    expect((await p.server.api(p.server.adminToken).put('/settings/closing-categories', { categories: ['Resolved', 'Spam'] })).status).toBe(200);
  });
  afterEach(async () => { await p.close(); });

  async function mirrored() {
    const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Refund please', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const [row] = (await p.server.api(token).get('/conversations?status=open')).body.conversations;
    p.cw.requests.length = 0;
    return { conv, id: row.id as string, contactId: row.contactId as string };
  }
  const sync = () => p.server.api(p.server.adminToken).post(`/chatwoot/accounts/${p.account.id}/sync`);

  it('Close resolves it in Chatwoot; the echo and the next sync leave it closed, Closed fires once', async () => {
    const { conv, id } = await mirrored();
    const res = await p.server.api(token).post(`/conversations/${id}/close`, { category: 'Resolved', summary: 'refunded' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'closed', category: 'Resolved', summary: 'refunded', closedBySource: 'user' });
    expect(toggles(p)).toEqual([{ status: 'resolved' }]);
    expect(conv.status).toBe('resolved');

    // Chatwoot's webhooks for its own resolve, then a sync: nothing opens again, nothing fires twice.
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null));
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { status: { previous_value: 'open', current_value: 'resolved' } }));
    expect((await sync()).status).toBe(200);
    expect(await eventsOf(p.server, 'conversation.closed')).toMatchObject([{ source: 'user', payload: { conversationId: id, category: 'Resolved' } }]);
    expect(await eventsOf(p.server, 'conversation.opened')).toHaveLength(1);
    expect((await p.server.api(token).get('/conversations?status=open')).body.conversations).toEqual([]);
  });

  it('refuses what the built-in close refuses before asking Chatwoot, and says when Chatwoot did not do it', async () => {
    const { conv, id } = await mirrored();
    const unknown = await p.server.api(token).post(`/conversations/${id}/close`, { category: 'Happy' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toMatch(/Unknown closing category "Happy"; use one of: Resolved, Spam/);

    p.cw.failNext(/POST .*\/toggle_status$/, cwFaults.unavailable());
    const down = await p.server.api(token).post(`/conversations/${id}/close`, {});
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(down.body.error).toMatchObject({ code: 'chatwoot_unavailable', message: expect.stringMatching(/^Chatwoot did not take this for now .*503.*try again in a moment$/) });

    p.cw.token = 'revoked';
    const refused = await p.server.api(token).post(`/conversations/${id}/close`, {});
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatchObject({ code: 'chatwoot_refused', message: expect.stringMatching(/^Chatwoot did not do it: Chatwoot refused the API access token/) });
    expect(conv.status).toBe('open');
    expect((await p.server.api(token).get(`/conversations/${id}`)).body.status).toBe('open');
    expect(await eventsOf(p.server, 'conversation.closed')).toEqual([]);

    p.cw.token = 'cw_token_valid_1234';
    expect((await p.server.api(token).post(`/conversations/${id}/close`, {})).status).toBe(200);
    const again = await p.server.api(token).post(`/conversations/${id}/close`, {});
    expect(again.status).toBe(409);
    expect(toggles(p)).toEqual([{ status: 'resolved' }, { status: 'resolved' }, { status: 'resolved' }]);
  });

  it('Reopen (POST /conversations) reopens the Chatwoot conversation there, and its echo opens nothing more', async () => {
    const { conv, id, contactId } = await mirrored();
    expect((await p.server.api(token).post(`/conversations/${id}/close`, {})).status).toBe(200);
    const reopened = await p.server.api(token).post('/conversations', { contactId });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(201);
    expect(reopened.body).toMatchObject({ status: 'open', openedBySource: 'user', connectionId: p.account.id, externalId: String(conv.id) });
    expect(conv.status).toBe('open');
    expect(toggles(p)).toEqual([{ status: 'resolved' }, { status: 'open' }]);

    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null));
    expect((await sync()).status).toBe(200);
    expect((await eventsOf(p.server, 'conversation.opened')).map((e) => e.source)).toEqual(['contact', 'user']);
    expect((await p.server.api(token).post('/conversations', { contactId })).status).toBe(409);

    // The detail says where it lives (the Chatwoot inbox, kept by the reopened period), with its link in Chatwoot's dashboard.
    const detail = ConversationDetail.parse((await p.server.api(token).get(`/conversations/${reopened.body.id}`)).body);
    expect(detail.inbox).toEqual({
      kind: 'chatwoot', name: 'Website', account: 'Acme Support', inboxId: '3', channel: 'web',
      externalId: String(conv.id), url: `${p.cw.url}/app/accounts/1/conversations/${conv.id}`,
    });
  });
});
