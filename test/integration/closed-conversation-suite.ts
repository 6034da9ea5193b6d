import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { Conversation, ConversationDetail, HISTORY_MESSAGES, PostedMessage } from '../../lib/contracts/conversations';
import type { Run } from '../../lib/contracts/runs';
import { newId } from '../../server/ids';
import { waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { createWorkflow, runsOf } from './engine-support';

/**
 * A conversation after it was closed, over real HTTP: a customer who writes again opens the
 * contact's conversation again (Conversation Opened, source `contact`), an agent's reply is
 * refused until it is reopened, and the contact's earlier conversations come with the detail.
 * Registered by closed-conversation.test.ts (SQLite) and closed-conversation.pg.test.ts.
 */
export function closedConversationSuite(databaseUrl: () => string | undefined) {
  let s: TestServer;
  let admin: Api;
  let agent: Api;
  let agentId: string;

  beforeEach(async () => {
    s = await startTestServer({ databaseUrl: databaseUrl() });
    admin = s.api(s.adminToken);
    const a = await s.createUser('agent');
    agent = s.api(a.token);
    agentId = a.user.id;
    expect((await admin.put('/settings/closing-categories', { categories: ['Resolved', 'Spam'] })).status).toBe(200);
  });
  afterEach(async () => { await s.close(); });

  const newContact = async () => {
    const res = await agent.post('/contacts', { firstName: 'Maria', lastName: 'Garcia' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Contact.parse(res.body);
  };
  const open = async (contactId: string) => {
    const res = await agent.post('/conversations', { contactId });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Conversation.parse(res.body);
  };
  const post = (id: string, body: Record<string, unknown>) => agent.post(`/conversations/${id}/messages`, body);
  const close = async (id: string) => expect((await agent.post(`/conversations/${id}/close`, { category: 'Resolved' })).status).toBe(200);
  const detail = async (id: string, query = '') => {
    const res = await agent.get(`/conversations/${id}${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ConversationDetail.parse(res.body);
  };
  // What was said: the activity lines (who closed, who reopened) are people-change-lines-suite.ts's.
  const texts = (d: { messages: { text: string; kind: string }[] }) => d.messages.filter((m) => m.kind !== 'activity').map((m) => m.text);
  /** A conversation with a customer's message and a reply, closed as Resolved. */
  const closedConversation = async () => {
    const contact = await newContact();
    const conv = await open(contact.id);
    const asked = await post(conv.id, { text: 'Where is my order?', direction: 'incoming' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect((await post(conv.id, { text: 'It left today.' })).status).toBe(201);
    await close(conv.id);
    return { contact, conv };
  };
  const runOf = async (workflowId: string): Promise<Run> => {
    let runs: Run[] = [];
    for (let i = 0; i < 200 && runs.length === 0; i++) {
      runs = await runsOf(s, workflowId);
      if (runs.length === 0) await new Promise((r) => setTimeout(r, 25));
    }
    expect(runs).toHaveLength(1);
    return waitForRun(s.app.services.db, runs[0]!.id);
  };

  describe("a customer's message on a closed conversation", () => {
    it('opens the contact\'s conversation again with source "contact"; the message lands there and the answer says so', async () => {
      const { contact, conv } = await closedConversation();
      const res = await post(conv.id, { text: 'one more thing', direction: 'incoming' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const posted = PostedMessage.parse(res.body);
      expect(posted.conversationId).not.toBe(conv.id);
      expect(posted).toMatchObject({ closedConversationId: conv.id, openedConversation: true, direction: 'incoming', kind: 'message', text: 'one more thing', author: { type: 'contact' } });

      const reopened = await detail(posted.conversationId);
      expect(reopened).toMatchObject({ contactId: contact.id, status: 'open', openedBySource: 'contact', firstIncomingMessage: 'one more thing', connectionId: null });
      expect(texts(reopened)).toEqual(['one more thing']);
      expect(reopened.contactOpenConversationId).toBe(reopened.id);
      const closed = await detail(conv.id);
      expect(closed).toMatchObject({ status: 'closed', category: 'Resolved' });
      expect(texts(closed)).toEqual(['Where is my order?', 'It left today.']);
      // Where the conversation goes on, for a client showing the closed one.
      expect(closed.contactOpenConversationId).toBe(reopened.id);

      const opened = (await s.events('conversation.opened')).filter((e) => e.payload.conversationId === reopened.id);
      expect(opened).toHaveLength(1);
      expect(opened[0]).toMatchObject({ source: 'contact', contactId: contact.id, payload: { firstIncomingMessage: 'one more thing', channel: 'built_in', by: null } });
      const created = (await s.events('message.created')).at(-1)!;
      expect(created.payload).toMatchObject({ conversationId: reopened.id, direction: 'incoming', kind: 'message' });

      // The customer's next message joins that conversation: nothing opens again.
      const next = PostedMessage.parse((await post(conv.id, { text: 'and another', direction: 'incoming' })).body);
      expect(next).toMatchObject({ conversationId: reopened.id, closedConversationId: conv.id, openedConversation: false });
      expect(texts(await detail(reopened.id))).toEqual(['one more thing', 'and another']);
      expect((await s.events('conversation.opened')).filter((e) => e.contactId === contact.id)).toHaveLength(2);
      expect((await agent.get(`/conversations?contactId=${contact.id}&status=open`)).body.conversations.map((c: { id: string }) => c.id)).toEqual([reopened.id]);
    });

    it('fires Conversation Opened for a trigger on source "contact" (not "user"), with the first incoming message', async () => {
      const { conv } = await closedConversation();
      const byContact = await createWorkflow(s, {
        name: 'Customer came back', trigger: { type: 'conversation_opened', conditions: { logic: 'and', rules: [{ field: 'source', operator: 'is', value: 'contact' }] } },
        steps: [{ id: 'note', type: 'add_comment', config: { text: 'source={{$trigger.source}} first={{$trigger.firstIncomingMessage}}' } }],
      });
      const byUser = await createWorkflow(s, {
        name: 'Agent opened', trigger: { type: 'conversation_opened', conditions: { logic: 'and', rules: [{ field: 'source', operator: 'is', value: 'user' }] } },
        steps: [{ id: 'note', type: 'add_comment', config: { text: 'by user' } }],
      });
      const posted = PostedMessage.parse((await post(conv.id, { text: 'Hello again', direction: 'incoming' })).body);
      const run = await runOf(byContact.id);
      expect(run).toMatchObject({ status: 'completed', conversationId: posted.conversationId });
      expect(run.variables.trigger).toMatchObject({ source: 'contact', conversationId: posted.conversationId, firstIncomingMessage: 'Hello again' });
      const notes = (await detail(posted.conversationId)).messages.filter((m) => m.kind === 'comment').map((m) => m.text);
      expect(notes).toEqual(['source=contact first=Hello again']);
      await new Promise((r) => setTimeout(r, 200));
      expect(await runsOf(s, byUser.id)).toEqual([]);
    });

    it('of many at once, one opens the conversation and all land in it', async () => {
      const { contact, conv } = await closedConversation();
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => post(conv.id, { text: `m${i}`, direction: 'incoming' })));
      expect(results.map((r) => r.status), JSON.stringify(results.map((r) => r.body))).toEqual([201, 201, 201, 201, 201, 201]);
      const posted = results.map((r) => PostedMessage.parse(r.body));
      const target = posted[0]!.conversationId;
      expect(posted.every((p) => p.conversationId === target && p.closedConversationId === conv.id)).toBe(true);
      expect(posted.filter((p) => p.openedConversation)).toHaveLength(1);
      expect((await detail(target)).messages.map((m) => m.text).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
      const opened = (await s.events('conversation.opened')).filter((e) => e.contactId === contact.id);
      expect(opened.map((e) => e.source)).toEqual(['user', 'contact']);
    });

    it('goes to the conversation an agent reopened meanwhile, opening nothing', async () => {
      const { contact, conv } = await closedConversation();
      const reopened = await open(contact.id);
      const posted = PostedMessage.parse((await post(conv.id, { text: 'still there?', direction: 'incoming' })).body);
      expect(posted).toMatchObject({ conversationId: reopened.id, closedConversationId: conv.id, openedConversation: false });
      const opened = (await s.events('conversation.opened')).filter((e) => e.contactId === contact.id);
      expect(opened.map((e) => e.source)).toEqual(['user', 'user']);
      expect(await detail(reopened.id)).toMatchObject({ firstIncomingMessage: 'still there?' });
    });
  });

  describe("an agent's reply on a closed conversation", () => {
    it('is refused with 409 saying to reopen first; nothing is stored; an internal note still goes there', async () => {
      const { contact, conv } = await closedConversation();
      const before = (await s.events('message.created')).length;
      const refused = await post(conv.id, { text: 'Anything else?' });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'conversation_closed' });
      expect(refused.body.error.message).toBe(`Conversation ${conv.id} is closed: reopen it to reply (POST /api/v1/conversations {"contactId":"${contact.id}"})`);
      expect(texts(await detail(conv.id))).toEqual(['Where is my order?', 'It left today.']);
      expect(await s.events('message.created')).toHaveLength(before);
      expect((await agent.get(`/conversations?contactId=${contact.id}&status=open`)).body.conversations).toEqual([]);

      const note = await post(conv.id, { text: 'Customer was happy', kind: 'comment' });
      expect(note.status).toBe(201);
      expect(note.body).toMatchObject({ conversationId: conv.id, kind: 'comment', author: { type: 'user', id: agentId } });
      expect(note.body.closedConversationId).toBeUndefined();
      expect((await detail(conv.id)).status).toBe('closed');
    });

    it('once the customer wrote again, points to the open conversation', async () => {
      const { conv } = await closedConversation();
      const posted = PostedMessage.parse((await post(conv.id, { text: 'Hi again', direction: 'incoming' })).body);
      const refused = await post(conv.id, { text: 'Replying on the old one' });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(`Conversation ${conv.id} is closed; the contact's conversation goes on in ${posted.conversationId}: reply there`);
      expect((await post(posted.conversationId, { text: 'Replying on the open one' })).status).toBe(201);
      expect(texts(await detail(posted.conversationId))).toEqual(['Hi again', 'Replying on the open one']);
    });
  });

  describe('the contact history', () => {
    it('comes with ?history=true: the earlier conversations, oldest first, with their messages', async () => {
      const { contact, conv } = await closedConversation();
      const second = PostedMessage.parse((await post(conv.id, { text: 'Wrong size', direction: 'incoming' })).body).conversationId;
      expect((await agent.post(`/conversations/${second}/close`, { category: 'Spam', summary: 'Exchanged' })).status).toBe(200);
      const third = await open(contact.id); // the inbox's Reopen

      const plain = await detail(third.id);
      expect(plain.history).toBeUndefined();
      expect(texts(plain)).toEqual([]);
      const withHistory = await detail(third.id, '?history=true');
      expect(withHistory.history).toEqual({
        truncated: false,
        conversations: [
          expect.objectContaining({ id: conv.id, status: 'closed', category: 'Resolved', openedBySource: 'user', closedBySource: 'user' }),
          expect.objectContaining({ id: second, status: 'closed', category: 'Spam', summary: 'Exchanged', openedBySource: 'contact' }),
        ],
      });
      expect(withHistory.history!.conversations.map(texts)).toEqual([['Where is my order?', 'It left today.'], ['Wrong size']]);
      // A conversation's history is what came before it, not after.
      expect((await detail(conv.id, '?history=true')).history).toEqual({ conversations: [], truncated: false });
      expect((await detail(second, '?history=true')).history!.conversations.map((c) => c.id)).toEqual([conv.id]);
      // Another contact's conversations are not in it.
      const other = await newContact();
      expect((await detail((await open(other.id)).id, '?history=true')).history!.conversations).toEqual([]);
      expect((await agent.get(`/conversations/${third.id}?history=maybe`)).status).toBe(422);
    });

    it(`keeps the latest ${HISTORY_MESSAGES} earlier messages and says older ones were left out`, async () => {
      const { contact, conv } = await closedConversation();
      const rows = Array.from({ length: HISTORY_MESSAGES }, (_, i) => ({
        id: newId('msg'), conversation_id: conv.id, direction: 'incoming', kind: 'message', author_type: 'contact', author_id: null,
        text: `bulk ${i}`, created_at: new Date().toISOString(),
      }));
      await s.store.db.insertInto('messages').values(rows).execute();
      const next = await open(contact.id);
      const history = (await detail(next.id, '?history=true')).history!;
      expect(history.truncated).toBe(true);
      expect(history.conversations).toHaveLength(1);
      const kept = history.conversations[0]!.messages;
      expect(kept).toHaveLength(HISTORY_MESSAGES);
      expect(kept[0]!.text).toBe('bulk 0');
      expect(kept.at(-1)!.text).toBe(`bulk ${HISTORY_MESSAGES - 1}`);
    });
  });

  describe('the add_comment step of a run that did not start from a conversation', () => {
    it('says the contact has only a closed conversation (not "no conversation")', async () => {
      const wf = await createWorkflow(s, {
        name: 'Note on tag', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['note-me'] },
        steps: [{ id: 'note', type: 'add_comment', config: { text: 'hello' } }],
      });
      const { contact, conv } = await closedConversation();
      const closedAt = (await detail(conv.id)).closedAt;
      expect((await agent.post(`/contacts/${contact.id}/tags`, { tags: ['note-me'] })).status).toBe(200);
      const run = await runOf(wf.id);
      expect(run.status).toBe('failed');
      expect(run.error).toBe(`Cannot add a comment: the contact has no open conversation (their last one, ${conv.id}, was closed at ${closedAt}) `
        + 'and the run did not start from a conversation; add an "Open the conversation" step before this one');
    });

    it('still says "no conversation" for a contact that never had one', async () => {
      const wf = await createWorkflow(s, {
        name: 'Note on tag', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['note-me'] },
        steps: [{ id: 'note', type: 'add_comment', config: { text: 'hello' } }],
      });
      const contact = await newContact();
      expect((await agent.post(`/contacts/${contact.id}/tags`, { tags: ['note-me'] })).status).toBe(200);
      const run = await runOf(wf.id);
      expect(run).toMatchObject({ status: 'failed', error: 'Cannot add a comment: the contact has no conversation' });
    });
  });
}
