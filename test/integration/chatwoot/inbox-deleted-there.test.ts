import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationDetail, ConversationList } from '../../../lib/contracts/conversations';
import { mirrorDeletedInChatwoot, startChatwootPair, type ChatwootPair } from './harness';

/**
 * The built-in inbox on a conversation Chatwoot deleted (a sync closed it here as
 * `deleted_in_chatwoot`): nothing is asked of Chatwoot, which would answer 404. A note is kept
 * here, the conversation's only copy; reopening, replying, assigning and resolving are a 409
 * saying the conversation was deleted in Chatwoot (were a 502 "Chatwoot did not do it: 404").
 */
describe('the inbox on a conversation deleted in Chatwoot', () => {
  let p: ChatwootPair;
  let mirrorId: string;
  let contactId: string;
  let displayId: number;
  beforeEach(async () => {
    p = await startChatwootPair();
    const deleted = await mirrorDeletedInChatwoot(p);
    ({ id: mirrorId, contactId } = deleted.mirror);
    displayId = deleted.displayId;
    p.cw.requests.length = 0;
  });
  afterEach(async () => { await p.close(); });
  const admin = () => p.server.api(p.server.adminToken);
  const deleted = (what: string) => ({
    code: 'deleted_in_chatwoot',
    message: `Conversation ${mirrorId} was deleted in Chatwoot (Chatwoot conversation ${displayId}; a sync closed it here), so it cannot be ${what}. Chatwoot was not asked`,
  });

  it('the conversation says so (inbox.deleted), by the rule the refusals use: the inbox page offers only notes by it', async () => {
    const detail = ConversationDetail.parse((await admin().get(`/conversations/${mirrorId}`)).body);
    expect(detail.inbox).toMatchObject({ kind: 'chatwoot', externalId: String(displayId), deleted: true });
    // One Chatwoot still has: not marked.
    const bob = p.cw.addContact({ name: 'Bob Roe' });
    const kept = p.cw.addConversation({ contactId: bob.id, firstMessage: { content: 'Hi', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(kept.id, 'conversation_created'))).status).toBe(200);
    const other = ConversationList.parse((await admin().get('/conversations')).body).conversations.find((c) => c.id !== mirrorId)!;
    const live = ConversationDetail.parse((await admin().get(`/conversations/${other.id}`)).body);
    expect(live.inbox).toMatchObject({ kind: 'chatwoot', externalId: String(kept.id) });
    expect(live.inbox?.deleted).toBeUndefined();
  });

  it('a note is kept here, without asking Chatwoot', async () => {
    const res = await admin().post(`/conversations/${mirrorId}/messages`, { text: 'Spam, deleted by Bea', direction: 'outgoing', kind: 'comment' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ text: 'Spam, deleted by Bea', kind: 'comment' });
    const detail = ConversationDetail.parse((await admin().get(`/conversations/${mirrorId}`)).body);
    expect(detail.messages.map((m) => [m.kind, m.text])).toEqual([['comment', 'Spam, deleted by Bea']]);
    expect(p.cw.requests).toEqual([]);
  });

  it.each([
    ['reopen (open a conversation for the contact)', () => admin().post('/conversations', { contactId }), 'reopened there; a new conversation opens when the customer writes in Chatwoot, or when an agent starts one there'],
    ['reply', () => admin().post(`/conversations/${mirrorId}/messages`, { text: 'Hello?', direction: 'outgoing', kind: 'message' }), 'replied to there'],
    ['assign', async () => admin().post(`/conversations/${mirrorId}/assign`, { userId: (await p.server.createUser('agent', { email: 'alex@example.com' })).user.id }), 'assigned there'],
    ['close', () => admin().post(`/conversations/${mirrorId}/close`, {}), 'resolved there'],
  ])('%s is a 409 saying it was deleted in Chatwoot, and Chatwoot is not asked', async (_name, act, what) => {
    const res = await act();
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error).toMatchObject(deleted(what));
    expect(p.cw.requests).toEqual([]);
    expect(ConversationList.parse((await admin().get('/conversations')).body).conversations.map((c) => [c.id, c.status])).toEqual([[mirrorId, 'closed']]);
  });
});
