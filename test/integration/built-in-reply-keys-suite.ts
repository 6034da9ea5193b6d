import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { Conversation, ConversationDetail, PostedMessage } from '../../lib/contracts/conversations';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * An Idempotency-Key on POST /conversations/:id/messages of a built-in conversation follows the
 * rule of WhatsApp / Messenger / Chatwoot replies (channels/reply-keys-suite.ts): the caller's own,
 * and the same request on the same conversation is answered the first message; another body or
 * another conversation under the key is a 409. It was ignored: a retried reply or note was stored
 * (and shown to the agents) twice. Registered by built-in-reply-keys.test.ts (SQLite) and
 * built-in-reply-keys.pg.test.ts (PostgreSQL).
 */
export function builtInReplyKeysSuite(databaseUrl: () => string | undefined) {
  let s: TestServer;
  let admin: Api;

  beforeEach(async () => {
    s = await startTestServer({ databaseUrl: databaseUrl() });
    admin = s.api(s.adminToken);
    expect((await admin.put('/settings/closing-categories', { categories: ['Resolved'] })).status).toBe(200);
  });
  afterEach(async () => { await s.close(); });

  const agent = async (name: string) => {
    const { user, token } = await s.createUser('agent', { name });
    return { id: user.id, api: s.api(token) };
  };
  const conversation = async (firstName: string) => {
    const contact = Contact.parse((await admin.post('/contacts', { firstName })).body);
    const res = await admin.post('/conversations', { contactId: contact.id });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Conversation.parse(res.body).id;
  };
  const post = (api: Api, id: string, body: object, key: string) => api.post(`/conversations/${id}/messages`, body, { headers: { 'idempotency-key': key } });
  const stored = async (id: string) => ConversationDetail.parse((await admin.get(`/conversations/${id}`)).body).messages.map((m) => [m.kind, m.text]);

  describe('an Idempotency-Key on a built-in conversation\'s message', () => {
    it.each([
      ['a reply', { text: 'Your refund is approved' }, 'message'],
      ['a note', { text: 'Refund approved by finance', kind: 'comment' }, 'comment'],
    ])('%s sent again with the same key is the first message, stored once', async (_what, body, kind) => {
      const alice = await conversation('Alice');
      const a = await agent('Agent A');
      const first = await post(a.api, alice, body, 'reply-1');
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const again = await post(a.api, alice, body, 'reply-1');
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect(PostedMessage.parse(again.body)).toEqual(PostedMessage.parse(first.body));
      expect(await stored(alice)).toEqual([[kind, body.text]]);
    });

    it('another body or another conversation under the key is a 409, and nothing is stored', async () => {
      const alice = await conversation('Alice');
      const bob = await conversation('Bob');
      const a = await agent('Agent A');
      const first = await post(a.api, alice, { text: 'Your refund is approved' }, 'reply-1');
      expect(first.status).toBe(201);
      const otherText = await post(a.api, alice, { text: 'Your refund was refused' }, 'reply-1');
      expect(otherText.status).toBe(409);
      expect(otherText.body.error).toMatchObject({ code: 'idempotency_key_reused', message: expect.stringMatching(/already used for another reply/) });
      const asNote = await post(a.api, alice, { text: 'Your refund is approved', kind: 'comment' }, 'reply-1');
      expect(asNote.status).toBe(409);
      const otherConversation = await post(a.api, bob, { text: 'Your refund is approved' }, 'reply-1');
      expect(otherConversation.status).toBe(409);
      expect(otherConversation.body.error).toMatchObject({ code: 'idempotency_key_reused', message: expect.stringMatching(/on another conversation/) });
      expect(JSON.stringify(otherConversation.body)).not.toContain(first.body.id);
      expect(await stored(alice)).toEqual([['message', 'Your refund is approved']]);
      expect(await stored(bob)).toEqual([]);
    });

    it('is the caller\'s own: another agent\'s same key stores that agent\'s message', async () => {
      const alice = await conversation('Alice');
      const bob = await conversation('Bob');
      const a = await agent('Agent A');
      const b = await agent('Agent B');
      expect((await post(a.api, alice, { text: 'For Alice' }, 'k')).status).toBe(201);
      const second = await post(b.api, bob, { text: 'For Bob' }, 'k');
      expect(second.status, JSON.stringify(second.body)).toBe(201);
      expect(second.body).toMatchObject({ conversationId: bob, text: 'For Bob', author: { type: 'user', id: b.id } });
      const onAlice = await post(b.api, alice, { text: 'For Alice' }, 'k');
      expect(onAlice.status).toBe(409);
      expect(await stored(alice)).toEqual([['message', 'For Alice']]);
      expect(await stored(bob)).toEqual([['message', 'For Bob']]);
    });

    it('the same request twice at once stores one message, and both are answered it', async () => {
      const alice = await conversation('Alice');
      const a = await agent('Agent A');
      const answers = await Promise.all(Array.from({ length: 12 }, () => post(a.api, alice, { text: 'On its way' }, 'double-click')));
      expect(answers.map((r) => r.status)).toEqual(answers.map(() => 201));
      expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
      expect(await stored(alice)).toEqual([['message', 'On its way']]);
    });

    it('a retry after the conversation closed is answered the first reply; a note on the closed conversation is stored once', async () => {
      const alice = await conversation('Alice');
      const a = await agent('Agent A');
      const first = await post(a.api, alice, { text: 'Your refund is approved' }, 'reply-1');
      expect((await a.api.post(`/conversations/${alice}/close`, { category: 'Resolved' })).status).toBe(200);
      const again = await post(a.api, alice, { text: 'Your refund is approved' }, 'reply-1');
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      const note = { text: 'Customer happy', kind: 'comment' };
      const noted = await post(a.api, alice, note, 'note-1');
      expect(noted.status).toBe(201);
      expect((await post(a.api, alice, note, 'note-1')).body.id).toBe(noted.body.id);
      expect(await stored(alice)).toEqual([['message', 'Your refund is approved'], ['activity', 'Conversation was closed by Agent A (Resolved)'], ['comment', 'Customer happy']]);
    });

    it('a keyed built-in reply is not one Resend can send (no channel), as an unkeyed one', async () => {
      const alice = await conversation('Alice');
      const a = await agent('Agent A');
      const first = await post(a.api, alice, { text: 'Your refund is approved' }, 'reply-1');
      const resend = await a.api.post(`/conversations/${alice}/messages/${first.body.id}/resend`, {});
      expect(resend.status).toBe(409);
      expect(resend.body.error.code).toBe('not_resendable');
    });
  });
}
