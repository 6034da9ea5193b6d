import { expect, it } from 'vitest';
import { ConversationDetail, ConversationList } from '../../lib/contracts/conversations';
import { Contact } from '../../lib/contracts/contacts';
import type { Api } from '../support/server';
import { startChatwootPair } from './chatwoot/harness';

/**
 * Registered by deactivation-lines.test.ts (SQLite) and .pg.test.ts (PostgreSQL). An admin
 * deactivates an agent: their open conversations are unassigned (Chatwoot's way), and each thread
 * now says why ("Conversation unassigned: Bea was deactivated"), as a person's own unassign says
 * who did it. Before, the conversation was simply nobody's, with nothing in its thread. None on a
 * conversation that lives in Chatwoot (which writes its own lines), nor on a closed one, which
 * keeps its assignee as history.
 */
export function deactivationLinesSuite(databaseUrl: () => string | undefined) {
  it('each of their open conversations here gets the line, by the admin; none in Chatwoot\'s, their closed one or a colleague\'s', async () => {
    const p = await startChatwootPair({ databaseUrl: databaseUrl() });
    try {
      const admin = p.server.api(p.server.adminToken);
      const { id: adminId, name: adminName } = (await admin.get('/me')).body.user as { id: string; name: string };
      // Bea is Chatwoot's agent 8 too (the same email): Chatwoot's conversation can be hers.
      const bea = await p.server.createUser('agent', { name: 'Bea', email: 'bea@example.com' });
      const ava = await p.server.createUser('agent', { name: 'Ava' });
      const api = p.server.api(bea.token);
      const ok = async (res: Promise<{ status: number; body: unknown }>) => {
        const done = await res;
        expect(done.status, JSON.stringify(done.body)).toBe(200);
      };
      const activity = async (id: string) => ConversationDetail.parse((await admin.get(`/conversations/${id}`)).body).messages
        .filter((m) => m.kind === 'activity').map((m) => [m.text, m.author.type, m.author.id]);
      async function builtIn(name: string, by: Api, assignee: string) {
        const contact = Contact.parse((await admin.post('/contacts', { firstName: name })).body);
        const id = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
        await ok(by.post(`/conversations/${id}/assign`, { userId: assignee }));
        return id;
      }

      const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
      const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
      await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
      const [inChatwoot] = ConversationList.parse((await api.get('/conversations?status=open')).body).conversations;
      await ok(api.post(`/conversations/${inChatwoot!.id}/assign`, { userId: bea.user.id }));
      await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { assignee_id: { previous_value: null, current_value: 8 } }));
      const lena = await builtIn('Lena', api, bea.user.id);
      const tom = await builtIn('Tom', admin, bea.user.id);
      const closed = await builtIn('Una', api, bea.user.id);
      await ok(api.post(`/conversations/${closed}/close`, {}));
      const avas = await builtIn('Max', p.server.api(ava.token), ava.user.id);
      const before = { closed: await activity(closed), avas: await activity(avas) };

      const res = await admin.patch(`/users/${bea.user.id}`, { active: false });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ active: false, unassigned: 3 });

      const line = ['Conversation unassigned: Bea was deactivated', 'user', adminId];
      expect(await activity(lena)).toEqual([['Bea self-assigned this conversation', 'user', bea.user.id], line]);
      expect(await activity(tom)).toEqual([[`Assigned to Bea by ${adminName}`, 'user', adminId], line]);
      expect(await activity(inChatwoot!.id)).toEqual([]);
      expect(await activity(closed)).toEqual(before.closed);
      expect(await activity(avas)).toEqual(before.avas);
      for (const id of [lena, tom, inChatwoot!.id]) expect(ConversationDetail.parse((await admin.get(`/conversations/${id}`)).body).assigneeId).toBeNull();
    } finally {
      await p.close();
    }
  });
}
