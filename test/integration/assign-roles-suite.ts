import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConversationDetail, ConversationList } from '../../lib/contracts/conversations';
import { Contact } from '../../lib/contracts/contacts';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { startChatwootPair } from './chatwoot/harness';

/**
 * Registered by assign-roles.test.ts (SQLite) and .pg.test.ts (PostgreSQL). Who may assign a
 * conversation to whom over HTTP (POST /conversations/:id/assign), as the README's inbox has it:
 * supervisors and admins anyone (the Assign-to menu), agents themselves (Assign to me, also a
 * colleague's after the inbox's "take it?") and Unassign on their own. Before, the rule was only
 * the inbox's: an agent's token handed a colleague's conversation to a third person, or dropped it.
 */
export function assignRolesSuite(databaseUrl: () => string | undefined) {
  type Person = { api: Api; id: string };
  let server: TestServer;
  let admin: Api;
  let ava: Person;
  let ben: Person;
  let cara: Person;
  let sue: Person;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    admin = server.api(server.adminToken);
    const person = async (role: 'agent' | 'supervisor', name: string) => {
      const made = await server.createUser(role, { name });
      return { api: server.api(made.token), id: made.user.id };
    };
    ava = await person('agent', 'Ava');
    ben = await person('agent', 'Ben');
    cara = await person('agent', 'Cara');
    sue = await person('supervisor', 'Sue');
  });
  afterEach(async () => { await server.close(); });

  const who = (name: string) => ({ ava, ben, cara, sue, admin: { api: admin, id: '' } } as Record<string, Person>)[name]!;
  const assigneeOf = async (id: string) => ConversationDetail.parse((await admin.get(`/conversations/${id}`)).body).assigneeId;
  async function conversationHeldBy(holder: string | null) {
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Lena' })).body);
    const id = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
    if (holder) expect((await admin.post(`/conversations/${id}/assign`, { userId: who(holder).id })).status).toBe(200);
    return id;
  }

  it.each([
    // An agent: themselves, on an unassigned conversation, their own, or a colleague's (the inbox asks "take it?" first).
    { as: 'ava', holder: null, to: 'ava', status: 200 },
    { as: 'ava', holder: 'ava', to: 'ava', status: 200 },
    { as: 'ava', holder: 'ben', to: 'ava', status: 200 },
    // …and unassigning their own (or what nobody has: nothing changes).
    { as: 'ava', holder: 'ava', to: null, status: 200 },
    { as: 'ava', holder: null, to: null, status: 200 },
    // Anything else is a supervisor's.
    { as: 'ava', holder: null, to: 'ben', status: 403 },
    { as: 'ava', holder: 'ben', to: 'cara', status: 403 },
    { as: 'ava', holder: 'ben', to: null, status: 403 },
    { as: 'ava', holder: 'ava', to: 'ben', status: 403 },
    { as: 'ava', holder: 'ben', to: 'sue', status: 403 },
    // Supervisors and admins: anyone, or nobody.
    { as: 'sue', holder: 'ben', to: 'cara', status: 200 },
    { as: 'sue', holder: 'ben', to: null, status: 200 },
    { as: 'admin', holder: 'ben', to: 'ava', status: 200 },
    { as: 'admin', holder: 'ava', to: null, status: 200 },
  ])('$as assigning a conversation $holder has to $to: $status', async ({ as, holder, to, status }) => {
    const id = await conversationHeldBy(holder);
    const res = await who(as).api.post(`/conversations/${id}/assign`, { userId: to && who(to).id });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status === 200) {
      expect(await assigneeOf(id)).toBe(to && who(to).id);
      return;
    }
    expect(res.body).toEqual({ error: {
      code: 'forbidden',
      message: 'Agents may assign a conversation to themselves (Assign to me) or unassign one assigned to them; assigning it to someone else or unassigning a colleague\'s needs a supervisor or admin',
    } });
    // Nothing changed: the assignee, no event, no line in the thread.
    expect(await assigneeOf(id)).toBe(holder && who(holder).id);
    expect((await server.events('conversation.assigned')).filter((e) => e.payload.conversationId === id && e.source === 'user' && e.payload.assigneeId !== (holder && who(holder).id))).toEqual([]);
    expect(ConversationDetail.parse((await admin.get(`/conversations/${id}`)).body).messages.filter((m) => m.author.id === who(as).id)).toEqual([]);
  });

  it('an unknown or deactivated user is said first (422), for an agent too', async () => {
    const id = await conversationHeldBy(null);
    expect((await ava.api.post(`/conversations/${id}/assign`, { userId: 'usr_nobody' })).status).toBe(422);
    expect((await admin.patch(`/users/${cara.id}`, { active: false })).status).toBe(200);
    const res = await ava.api.post(`/conversations/${id}/assign`, { userId: cara.id });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('is deactivated and cannot be assigned');
  });

  it('an app key keeps its scope\'s rule: conversations.write assigns anyone', async () => {
    const sink = await startAppSink(server);
    const appId = (await admin.post('/apps', { key: 'router', name: 'Router', scopes: ['conversations.write'], subscribeUrl: sink.urls.subscribeUrl })).body.app.id;
    expect((await admin.post(`/apps/${appId}/install`, { authValues: {} })).status).toBe(201);
    const app = server.api(lastKey(sink));
    const id = await conversationHeldBy('ben');
    expect((await app.post(`/conversations/${id}/assign`, { userId: cara.id })).status).toBe(200);
    expect((await app.post(`/conversations/${id}/assign`, { userId: null })).status).toBe(200);
    expect(await assigneeOf(id)).toBeNull();
  });

  it('a conversation that lives in Chatwoot: the same rule, refused before Chatwoot is asked', async () => {
    const p = await startChatwootPair({ databaseUrl: databaseUrl() });
    try {
      const alex = await p.server.createUser('agent', { name: 'Alex', email: 'alex@example.com' });
      const bea = await p.server.createUser('agent', { name: 'Bea', email: 'bea@example.com' });
      const api = p.server.api(alex.token);
      const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
      const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
      await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
      const [row] = ConversationList.parse((await api.get('/conversations?status=open')).body).conversations;
      p.cw.requests.length = 0;
      const refused = await api.post(`/conversations/${row!.id}/assign`, { userId: bea.user.id });
      expect(refused.status, JSON.stringify(refused.body)).toBe(403);
      expect(p.cw.requests.filter((r) => r.method !== 'GET')).toEqual([]);
      expect(conv.assigneeId ?? null).toBeNull();
      // Themselves: assigned there, to the Chatwoot agent with their email.
      const taken = await api.post(`/conversations/${row!.id}/assign`, { userId: alex.user.id });
      expect(taken.status, JSON.stringify(taken.body)).toBe(200);
      expect(conv.assigneeId).toBe(7);
    } finally {
      await p.close();
    }
  });
}
