import { afterEach, beforeEach, expect, it } from 'vitest';
import { describePg, pgUrl } from '../../support/postgres';
import { eventsOf, startChatwootPair, type ChatwootPair } from './harness';

// The inbox's actions on a Chatwoot conversation on PostgreSQL: a reply whose echo comes first
// is stored once, Close and Reopen act in Chatwoot and fire once each.
describePg('inbox actions on a Chatwoot conversation, PostgreSQL', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ databaseUrl: pgUrl() }); });
  afterEach(async () => { await p.close(); });

  it('reply (echo first), close and reopen act in Chatwoot once', async () => {
    const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hi', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const { token } = await p.server.createUser('agent');
    const api = p.server.api(token);
    const [row] = (await api.get('/conversations?status=open')).body.conversations;

    p.cw.beforeNextMessageAnswer = async (convId, messageId) => { await p.hook(p.cw.messagePayload(convId, messageId)); };
    const reply = await api.post(`/conversations/${row.id}/messages`, { text: 'Hello Jane' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect((await api.get(`/conversations/${row.id}`)).body.messages.map((m: { text: string }) => m.text)).toEqual(['Hello Jane']);

    expect((await api.post(`/conversations/${row.id}/close`, {})).status).toBe(200);
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null));
    const reopened = await api.post('/conversations', { contactId: row.contactId });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(201);
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null));
    expect(conv.status).toBe('open');
    expect((await eventsOf(p.server, 'conversation.closed')).map((e) => e.source)).toEqual(['user']);
    expect((await eventsOf(p.server, 'conversation.opened')).map((e) => e.source)).toEqual(['contact', 'user']);
  });
});
