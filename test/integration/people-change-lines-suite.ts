import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConversationDetail, ConversationList } from '../../lib/contracts/conversations';
import { Contact } from '../../lib/contracts/contacts';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { startChatwootPair } from './chatwoot/harness';

/**
 * Registered by people-change-lines.test.ts (SQLite) and .pg.test.ts (PostgreSQL). What people
 * do to a conversation, in its thread, as Chatwoot's activity messages say it ("Assigned to Bruno
 * by Ana", "Ana self-assigned this conversation", "Conversation unassigned by Ana", "…was marked
 * resolved by Ana", "…was reopened by Ana"): before, only a workflow's own Assign and Close left a
 * line, so an agent finding a conversation someone else's, or closed and open again, could not
 * tell who did it. Nothing when nothing changed; none on a conversation that lives in Chatwoot,
 * which writes its own.
 */
export function peopleChangeLinesSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let ava: { api: Api; id: string };
  let ben: { api: Api; id: string };
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl() });
    admin = server.api(server.adminToken);
    const a = await server.createUser('agent', { name: 'Ava' });
    const b = await server.createUser('supervisor', { name: 'Ben' });
    ava = { api: server.api(a.token), id: a.user.id };
    ben = { api: server.api(b.token), id: b.user.id };
  });
  afterEach(async () => { await server.close(); });

  const detail = async (id: string) => ConversationDetail.parse((await ava.api.get(`/conversations/${id}`)).body);
  const lines = async (id: string) => (await detail(id)).messages.filter((m) => m.kind === 'activity').map((m) => [m.text, m.author.type, m.author.id]);
  async function lena() {
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Lena' })).body);
    const opened = await ava.api.post('/conversations', { contactId: contact.id });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    return { contactId: contact.id, id: opened.body.id as string };
  }
  const ok = async (res: Promise<{ status: number; body: unknown }>) => {
    const done = await res;
    expect(done.status, JSON.stringify(done.body)).toBe(200);
  };

  it('an agent and a supervisor assigning, unassigning, closing and reopening: a line each, naming who; nothing when nothing changed', async () => {
    expect((await admin.put('/settings/closing-categories', { categories: ['Sale'] })).status).toBe(200);
    const { contactId, id } = await lena();
    // A contact's first conversation: nothing to say (Chatwoot writes no line for a new one either).
    expect(await lines(id)).toEqual([]);

    await ok(ava.api.post(`/conversations/${id}/assign`, { userId: ava.id }));
    await ok(ben.api.post(`/conversations/${id}/assign`, { userId: ava.id }));
    await ok(ben.api.post(`/conversations/${id}/assign`, { userId: ben.id }));
    await ok(ben.api.post(`/conversations/${id}/assign`, { userId: ben.id }));
    await ok(ben.api.post(`/conversations/${id}/assign`, { userId: null }));
    await ok(ben.api.post(`/conversations/${id}/assign`, { userId: null }));
    await ok(ava.api.post(`/conversations/${id}/close`, { category: 'Sale' }));
    expect(await lines(id)).toEqual([
      ['Ava self-assigned this conversation', 'user', ava.id],
      ['Ben self-assigned this conversation', 'user', ben.id],
      ['Conversation unassigned by Ben', 'user', ben.id],
      ['Conversation was closed by Ava (Sale)', 'user', ava.id],
    ]);

    const reopened = await ben.api.post('/conversations', { contactId });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(201);
    const again = reopened.body.id as string;
    await ok(ben.api.post(`/conversations/${again}/assign`, { userId: ava.id }));
    expect(await lines(again)).toEqual([
      ['Conversation was reopened by Ben', 'user', ben.id],
      ['Assigned to Ava by Ben', 'user', ben.id],
    ]);

    // Nobody's turn: no Message Created, not the list's latest message, no first response.
    expect(await server.events('message.created')).toEqual([]);
    const row = ConversationList.parse((await ava.api.get('/conversations?status=open')).body).conversations.find((c) => c.id === again);
    expect(row?.lastMessage).toBeNull();
    expect((await detail(again)).firstResponseAt).toBeNull();
    // Who changed what is still in the events, as before.
    expect((await server.events('conversation.assigned')).map((e) => e.payload.assigneeId)).toEqual([ava.id, ben.id, null, ava.id]);
  });

  it('keeps names as they were typed ("<b>" is text in the line); a refused assignment or close writes nothing', async () => {
    expect((await admin.put('/settings/closing-categories', { categories: ['Sale'] })).status).toBe(200);
    const odd = await server.createUser('agent', { name: '<img src=x onerror=alert(1)> Zoë & Co' });
    const { id } = await lena();
    await ok(ben.api.post(`/conversations/${id}/assign`, { userId: odd.user.id }));
    expect((await ben.api.post(`/conversations/${id}/assign`, { userId: 'usr_nobody' })).status).toBe(422);
    expect((await ava.api.post(`/conversations/${id}/close`, { category: 'Nope' })).status).toBe(422);
    await ok(ava.api.post(`/conversations/${id}/close`, {}));
    expect((await ava.api.post(`/conversations/${id}/close`, {})).status).toBe(409);
    expect(await lines(id)).toEqual([
      ['Assigned to <img src=x onerror=alert(1)> Zoë & Co by Ben', 'user', ben.id],
      ['Conversation was closed by Ava', 'user', ava.id],
    ]);
  });

  it('a conversation that lives in Chatwoot gets no line of ours for what Chatwoot already says (assigned, resolved, reopened there)', async () => {
    const p = await startChatwootPair({ databaseUrl: databaseUrl() });
    try {
      const bea = await p.server.createUser('agent', { name: 'Bea', email: 'bea@example.com' });
      const api = p.server.api(bea.token);
      const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
      const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
      await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
      const [row] = ConversationList.parse((await api.get('/conversations?status=open')).body).conversations;
      await ok(api.post(`/conversations/${row!.id}/assign`, { userId: bea.user.id }));
      expect(conv.assigneeId).toBe(8);
      await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { assignee_id: { previous_value: null, current_value: 8 } }));
      await ok(api.post(`/conversations/${row!.id}/close`, {}));
      expect(conv.status).toBe('resolved');
      const reopened = await api.post('/conversations', { contactId: row!.contactId });
      expect(reopened.status, JSON.stringify(reopened.body)).toBe(201);
      expect(conv.status).toBe('open');
      for (const id of new Set([row!.id, reopened.body.id as string])) {
        const thread = ConversationDetail.parse((await api.get(`/conversations/${id}`)).body).messages;
        expect(thread.filter((m) => m.kind === 'activity')).toEqual([]);
      }
      expect((await p.server.events('conversation.assigned')).map((e) => e.payload.assigneeId)).toEqual([bea.user.id]);
      // The same server's built-in conversation, the same agent: the line is written here.
      const local = Contact.parse((await p.server.api(p.server.adminToken).post('/contacts', { firstName: 'Lou' })).body);
      const builtIn = (await api.post('/conversations', { contactId: local.id })).body.id as string;
      await ok(api.post(`/conversations/${builtIn}/assign`, { userId: bea.user.id }));
      expect(ConversationDetail.parse((await api.get(`/conversations/${builtIn}`)).body).messages.map((m) => [m.kind, m.text]))
        .toEqual([['activity', 'Bea self-assigned this conversation']]);
    } finally {
      await p.close();
    }
  });
}
