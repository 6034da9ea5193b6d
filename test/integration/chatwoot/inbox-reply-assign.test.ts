import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationDetail } from '../../../lib/contracts/conversations';
import { startChatwootPair, type ChatwootPair } from './harness';

// The built-in inbox's composer and Assign on a conversation that lives in Chatwoot: the reply is
// sent through Chatwoot (the customer gets it), a note is a private note there, the assignment is
// Chatwoot's; Chatwoot's echo of each is not stored twice.

const posts = (p: ChatwootPair, suffix: string) => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix)).map((r) => r.body);

describe('replies, notes and assignment on a Chatwoot conversation act in Chatwoot', () => {
  let p: ChatwootPair;
  let agent: { id: string; token: string };
  beforeEach(async () => {
    p = await startChatwootPair();
    const created = await p.server.createUser('agent', { name: 'Bea', email: 'bea@example.com' });
    agent = { id: created.user.id, token: created.token };
  });
  afterEach(async () => { await p.close(); });

  async function mirrored() {
    const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Refund please', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const [row] = (await p.server.api(agent.token).get('/conversations?status=open')).body.conversations;
    p.cw.requests.length = 0;
    return { conv, id: row.id as string };
  }
  const messagesOf = async (id: string) => ConversationDetail.parse((await p.server.api(agent.token).get(`/conversations/${id}`)).body).messages;

  it('a reply goes out through Chatwoot and a note as a private note; their echoes are stored once', async () => {
    const { conv, id } = await mirrored();
    const reply = await p.server.api(agent.token).post(`/conversations/${id}/messages`, { text: 'Refunded today', kind: 'message', direction: 'outgoing' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toMatchObject({ text: 'Refunded today', direction: 'outgoing', kind: 'message', author: { type: 'user', id: agent.id } });
    const note = await p.server.api(agent.token).post(`/conversations/${id}/messages`, { text: 'Checked with billing', kind: 'comment' });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    expect(posts(p, '/messages')).toEqual([
      { content: 'Refunded today', message_type: 'outgoing', private: false },
      { content: 'Checked with billing', message_type: 'outgoing', private: true },
    ]);

    const echoes = conv.messages.slice(1);
    expect(echoes).toHaveLength(2);
    for (const m of echoes) expect((await p.hook(p.cw.messagePayload(conv.id, m.id))).body).toMatchObject({ handled: true });
    const stored = await messagesOf(id);
    expect(stored.map((m) => [m.kind, m.text, m.author.id])).toEqual([
      ['message', 'Refunded today', agent.id], ['comment', 'Checked with billing', agent.id],
    ]);
    const detail = (await p.server.api(agent.token).get(`/conversations/${id}`)).body;
    expect(detail.firstResponseAt).not.toBeNull();
  });

  it('a reply whose echo arrives before Chatwoot\'s answer is stored once, as the agent\'s', async () => {
    const { conv, id } = await mirrored();
    let echoed: { status: number; body: any } | undefined;
    p.cw.beforeNextMessageAnswer = async (convId, messageId) => { echoed = await p.hook(p.cw.messagePayload(convId, messageId)); };
    const reply = await p.server.api(agent.token).post(`/conversations/${id}/messages`, { text: 'On its way' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(echoed?.body).toMatchObject({ handled: true });
    expect(conv.messages.at(-1)?.content).toBe('On its way');
    expect((await messagesOf(id)).map((m) => [m.id, m.text, m.author])).toEqual([[reply.body.id, 'On its way', { type: 'user', id: agent.id }]]);
  });

  it('the same Idempotency-Key sends once; a customer\'s message cannot be added here', async () => {
    const { id } = await mirrored();
    const send = () => p.server.api(agent.token).post(`/conversations/${id}/messages`, { text: 'Once only' }, { headers: { 'idempotency-key': 'k-1' } });
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    expect(posts(p, '/messages')).toHaveLength(1);

    const incoming = await p.server.api(agent.token).post(`/conversations/${id}/messages`, { text: 'I am the customer', direction: 'incoming' });
    expect(incoming.status).toBe(409);
    expect(incoming.body.error).toMatchObject({ code: 'conversation_elsewhere', message: expect.stringMatching(/lives in Chatwoot .*arrive from Chatwoot/) });
    expect((await messagesOf(id)).map((m) => m.text)).toEqual(['Once only']);
  });

  it('Assign and Unassign are Chatwoot\'s assignment; a user with no Chatwoot agent is refused, naming the email', async () => {
    const { conv, id } = await mirrored();
    const assigned = await p.server.api(agent.token).post(`/conversations/${id}/assign`, { userId: agent.id });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body.assigneeId).toBe(agent.id);
    expect(conv.assigneeId).toBe(8);
    // Chatwoot's echo names the agent without an email: it is looked up, and matches what is there.
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { assignee_id: { previous_value: null, current_value: 8 } }));
    const unassigned = await p.server.api(agent.token).post(`/conversations/${id}/assign`, { userId: null });
    expect(unassigned.body.assigneeId).toBeNull();
    expect(conv.assigneeId).toBeNull();
    expect(posts(p, '/assignments')).toEqual([{ assignee_id: 8 }, { assignee_id: null }]);

    const { user: stranger } = await p.server.createUser('agent', { name: 'Sam', email: 'sam@example.com' });
    // Assigning someone else is a supervisor's or an admin's (an agent gets 403 first, assign-roles-suite).
    const refused = await p.server.api(p.server.adminToken).post(`/conversations/${id}/assign`, { userId: stranger.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/No Chatwoot agent has the email sam@example\.com/);
    const unknown = await p.server.api(agent.token).post(`/conversations/${id}/assign`, { userId: 'usr_nobody' });
    expect(unknown.status).toBe(422);
    expect(posts(p, '/assignments')).toHaveLength(2);
  });
});
