import { expect, it } from 'vitest';
import { ConversationDetail, ConversationList } from '../../../lib/contracts/conversations';
import { Contact } from '../../../lib/contracts/contacts';
import { UserChanged } from '../../../lib/contracts/users';
import type { ChatwootStandin } from '../../support/chatwoot-standin';
import { startChatwootPair, type ChatwootPair } from './harness';

/**
 * Registered by team-assignee.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A Chatwoot team's
 * day (review r-team): who has a conversation must be the same here and in Chatwoot.
 * - Deactivating an agent unassigned their Chatwoot conversations here only: Chatwoot kept them in
 *   the departed agent's queue while the companion listed them as Unassigned. Now Chatwoot is asked
 *   too (as POST /conversations/:id/assign asks it), after the deactivation and best effort: the
 *   admin's answer lists what Chatwoot did not take.
 * - Chatwoot assigning a conversation to an agent with no active user here left the previous
 *   assignee in the mirror (their Mine, their unassign, a colleague's "take it?"): now it is
 *   unassigned here, the sync note saying whom Chatwoot gave it to.
 */
export function teamAssigneeSuite(databaseUrl: () => string | undefined) {
  const ASSIGN = /^POST \/api\/v1\/accounts\/1\/conversations\/\d+\/assignments$/;

  /** Bea (Chatwoot's agent 8) has two Chatwoot conversations and a built-in one, all assigned here by the admin. */
  async function beasDay() {
    const p = await startChatwootPair({ databaseUrl: databaseUrl() });
    const admin = p.server.api(p.server.adminToken);
    const bea = await p.server.createUser('agent', { name: 'Bea', email: 'bea@example.com' });
    const inChatwoot: { id: string; displayId: number }[] = [];
    for (const name of ['Maria', 'Juan']) {
      const contact = p.cw.addContact({ name });
      const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: `Hi, ${name} here`, incoming: true } });
      expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
      const mirror = ConversationList.parse((await admin.get('/conversations?status=open')).body).conversations.find((c) => c.externalId === String(conv.id))!;
      const assigned = await admin.post(`/conversations/${mirror.id}/assign`, { userId: bea.user.id });
      expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
      expect(conv.assigneeId).toBe(8);
      inChatwoot.push({ id: mirror.id, displayId: conv.id });
    }
    const olga = Contact.parse((await admin.post('/contacts', { firstName: 'Olga' })).body);
    const builtIn = (await admin.post('/conversations', { contactId: olga.id })).body.id as string;
    expect((await admin.post(`/conversations/${builtIn}/assign`, { userId: bea.user.id })).status).toBe(200);
    p.cw.requests.length = 0;
    const deactivate = async () => {
      const res = await admin.patch(`/users/${bea.user.id}`, { active: false });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return UserChanged.parse(res.body);
    };
    const assignee = async (id: string) => ConversationDetail.parse((await admin.get(`/conversations/${id}`)).body).assigneeId;
    return { p, inChatwoot, builtIn, deactivate, assignee };
  }
  const unassignsSent = (cw: ChatwootStandin) => cw.requests.filter((r) => ASSIGN.test(`${r.method} ${r.path}`)).map((r) => [r.path, r.body]);
  const assignmentsPath = (displayId: number) => `/api/v1/accounts/1/conversations/${displayId}/assignments`;

  it('deactivating an agent unassigns their open Chatwoot conversations in Chatwoot too, each once', async () => {
    const { p, inChatwoot, builtIn, deactivate, assignee } = await beasDay();
    try {
      const changed = await deactivate();
      expect(changed).toMatchObject({ active: false, unassigned: 3, chatwootUnassignFailed: [] });
      expect(unassignsSent(p.cw).sort()).toEqual(inChatwoot.map((c) => [assignmentsPath(c.displayId), { assignee_id: null }]).sort());
      for (const c of inChatwoot) expect(p.cw.conversations.get(c.displayId)?.assigneeId).toBeNull();
      for (const id of [...inChatwoot.map((c) => c.id), builtIn]) expect(await assignee(id)).toBeNull();
      // Chatwoot's echo (its conversation_updated) finds nothing new: nobody's there and here.
      const [first] = inChatwoot;
      await p.hook(p.cw.conversationPayload(first!.displayId, 'conversation_updated', { assignee_id: { previous_value: 8, current_value: null } }));
      expect(await assignee(first!.id)).toBeNull();
    } finally {
      await p.close();
    }
  });

  it('Chatwoot down: the deactivation still succeeds at once, and says which conversations Chatwoot still gives them', async () => {
    const { p, inChatwoot, builtIn, deactivate, assignee } = await beasDay();
    try {
      await p.cw.down();
      const started = Date.now();
      const changed = await deactivate();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(changed).toMatchObject({ active: false, unassigned: 3 });
      expect(changed.chatwootUnassignFailed?.map((f) => [f.conversationId, f.chatwootConversationId]).sort())
        .toEqual(inChatwoot.map((c) => [c.id, String(c.displayId)]).sort());
      for (const f of changed.chatwootUnassignFailed ?? []) expect(f.reason).toMatch(/Chatwoot did not take this for now \(Cannot reach Chatwoot/);
      // The deactivation itself stands: unassigned here, the agent cut off.
      for (const id of [...inChatwoot.map((c) => c.id), builtIn]) expect(await assignee(id)).toBeNull();
      expect((await p.server.api(p.server.adminToken).get('/teammates')).body.users).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'Bea', active: false })]));
    } finally {
      await p.cw.up();
      await p.close();
    }
  });

  it('Chatwoot refusing one: that one is listed with Chatwoot\'s answer, the other is unassigned there', async () => {
    const { p, inChatwoot, deactivate } = await beasDay();
    try {
      // RequestExceptionHandler#render_not_found_error (app/controllers/concerns/request_exception_handler.rb): 404 `{ error }`.
      p.cw.failNext(ASSIGN, { status: 404, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error: 'Resource could not be found' }) });
      const changed = await deactivate();
      expect(changed.chatwootUnassignFailed).toHaveLength(1);
      const [failed] = changed.chatwootUnassignFailed!;
      expect(failed!.reason).toMatch(/^Chatwoot did not do it: .*404/);
      const refused = inChatwoot.find((c) => c.id === failed!.conversationId)!;
      const done = inChatwoot.find((c) => c !== refused)!;
      expect(failed!.chatwootConversationId).toBe(String(refused.displayId));
      expect(p.cw.conversations.get(refused.displayId)?.assigneeId).toBe(8);
      expect(p.cw.conversations.get(done.displayId)?.assigneeId).toBeNull();
    } finally {
      await p.close();
    }
  });

  /** Maria's Chatwoot conversation, Alex's (Chatwoot's agent 7) here and there. */
  async function alexHasMaria(p: ChatwootPair) {
    const admin = p.server.api(p.server.adminToken);
    const alex = await p.server.createUser('agent', { name: 'Alex', email: 'alex@example.com' });
    const contact = p.cw.addContact({ name: 'Maria' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Where is my order?', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    conv.assigneeId = 7; p.cw.touch(conv);
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { assignee_id: { previous_value: null, current_value: 7 } }));
    const [mirror] = ConversationList.parse((await admin.get('/conversations?status=open')).body).conversations;
    expect(mirror?.assigneeId).toBe(alex.user.id);
    return { alex, conv, mirror: mirror! };
  }

  it.each([
    ['a deactivated user here', 'bea@example.com', 'is a deactivated companion user'],
    ['no user here', 'zed@example.com', 'has no companion user'],
  ])('Chatwoot assigning it to an agent who is %s: no longer the previous assignee\'s here (unassigned, the note says whom)', async (_who, email, why) => {
    const p = await startChatwootPair({ databaseUrl: databaseUrl() });
    try {
      const admin = p.server.api(p.server.adminToken);
      const bea = await p.server.createUser('agent', { name: 'Bea', email: 'bea@example.com' });
      expect((await admin.patch(`/users/${bea.user.id}`, { active: false })).status).toBe(200);
      p.cw.agents.push({ id: 11, name: 'Zed', email: 'zed@example.com' });
      const { alex, conv, mirror } = await alexHasMaria(p);
      const agentId = email === 'bea@example.com' ? 8 : 11;
      conv.assigneeId = agentId; p.cw.touch(conv);
      const hooked = await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { assignee_id: { previous_value: 7, current_value: agentId } }));
      expect(hooked.status).toBe(200);
      expect(hooked.body.note).toBe(`Chatwoot assigned it to agent ${email}, who ${why}; it shows as unassigned here`);
      expect(ConversationDetail.parse((await admin.get(`/conversations/${mirror.id}`)).body).assigneeId).toBeNull();
      // Not under Alex's Mine any more; his "unassign my own" would unassign someone else's in Chatwoot.
      expect(ConversationList.parse((await p.server.api(alex.token).get('/conversations?status=open&assigneeId=me')).body).conversations).toEqual([]);
      p.cw.requests.length = 0;
      const unassign = await p.server.api(alex.token).post(`/conversations/${mirror.id}/assign`, { userId: null });
      expect(unassign.status, JSON.stringify(unassign.body)).toBe(200);
      expect(unassignsSent(p.cw)).toEqual([]);
      expect(conv.assigneeId).toBe(agentId);
    } finally {
      await p.close();
    }
  });
}
