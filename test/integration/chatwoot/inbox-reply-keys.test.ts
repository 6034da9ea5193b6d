import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChatwootPair, type ChatwootPair } from './harness';

// The inbox's Idempotency-Key on a reply or note in a Chatwoot conversation is the caller's own,
// for one conversation and one body (as on WhatsApp / Messenger, reply-keys-suite.ts): it was one
// key for everybody, and a second agent's post with the same key was answered the first agent's
// message on another conversation, never posted to Chatwoot.

const posted = (p: ChatwootPair) => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).map((r) => [r.path.split('/').at(-2), r.body.content]);

describe('an Idempotency-Key on a post in a Chatwoot conversation', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair(); });
  afterEach(async () => { await p.close(); });

  async function conversation(name: string, email: string) {
    const contact = p.cw.addContact({ name, email });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const list = (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations as { id: string; externalId: string }[];
    return { cwId: String(conv.id), id: list.find((c) => c.externalId === String(conv.id))!.id };
  }
  const post = (token: string, id: string, body: object, key: string) => p.server.api(token).post(`/conversations/${id}/messages`, body, { headers: { 'idempotency-key': key } });

  it('another agent’s same key posts that agent’s message; the same agent’s key on another conversation or body is a 409', async () => {
    const alice = await conversation('Alice', 'alice@example.com');
    const bob = await conversation('Bob', 'bob@example.com');
    const a = await p.server.createUser('agent', { name: 'Agent A' });
    const b = await p.server.createUser('agent', { name: 'Agent B' });
    p.cw.requests.length = 0;

    const first = await post(a.token, alice.id, { text: 'Alice, refunded' }, 'reply-1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await post(b.token, bob.id, { text: 'Bob, shipped' }, 'reply-1');
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body).toMatchObject({ conversationId: bob.id, text: 'Bob, shipped', author: { type: 'user', id: b.user.id } });

    expect((await post(a.token, alice.id, { text: 'Alice, refunded' }, 'reply-1')).body.id).toBe(first.body.id);
    const elsewhere = await post(a.token, bob.id, { text: 'Alice, refunded' }, 'reply-1');
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error.code).toBe('idempotency_key_reused');
    const otherText = await post(a.token, alice.id, { text: 'Alice, not refunded' }, 'reply-1');
    expect(otherText.status).toBe(409);
    const asNote = await post(a.token, alice.id, { text: 'Alice, refunded', kind: 'comment' }, 'reply-1');
    expect(asNote.status).toBe(409);
    expect(posted(p)).toEqual([[alice.cwId, 'Alice, refunded'], [bob.cwId, 'Bob, shipped']]);
  });
});
