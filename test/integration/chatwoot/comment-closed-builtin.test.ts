import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationDetail, ConversationList } from '../../../lib/contracts/conversations';
import { Run } from '../../../lib/contracts/runs';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

// Add comment outside a transaction: when its step comes, the contact has no open conversation and
// has one in Chatwoot, so the step may not hold a transaction while it decides where the note goes;
// it goes on the built-in conversation the run started from (Conversation Closed), written once
// (the step's effect is kept by its key), and nothing reaches Chatwoot.
describe('a comment after a wait, on a closed built-in conversation of a contact who now talks in Chatwoot', () => {
  let p: ChatwootPair;
  let builtIn: string;
  let workflowId: string;
  const WAIT_S = 2;
  beforeEach(async () => {
    // Built-in first: once Chatwoot holds the contact's latest conversation, opening one reopens that.
    p = await startChatwootPair({ workers: true, beforeConnect: async (server) => {
      const admin = server.api(server.adminToken);
      // Only this close starts the workflow (Chatwoot's resolve has no category).
      expect((await admin.put('/settings/closing-categories', { categories: ['Resolved'] })).status).toBe(200);
      workflowId = (await createWorkflow(server, {
        name: 'After close', trigger: { type: 'conversation_closed', conditions: { logic: 'and', rules: [{ field: 'category', operator: 'is', value: 'Resolved' }] } },
        steps: [{ id: 'wait', type: 'wait', config: { seconds: WAIT_S } }, { id: 'note', type: 'add_comment', config: { text: 'Closed as {{$trigger.category}}' } }],
      })).id;
      const contact = await admin.post('/contacts', { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' });
      expect(contact.status, JSON.stringify(contact.body)).toBe(201);
      const opened = await admin.post('/conversations', { contactId: contact.body.id });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      builtIn = opened.body.id;
      expect((await admin.post(`/conversations/${builtIn}/close`, { category: 'Resolved' })).status).toBe(200);
    } });
  });
  afterEach(async () => { await p.close(); });

  it('lands once in that conversation\'s thread, not in Chatwoot', async () => {
    const admin = p.server.api(p.server.adminToken);
    const cwContact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const cwConv = p.cw.addConversation({ contactId: cwContact.id, firstMessage: { content: 'Hi', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(cwConv.id, 'conversation_created'))).status).toBe(200);
    cwConv.status = 'resolved'; p.cw.touch(cwConv);
    expect((await p.hook(p.cw.conversationPayload(cwConv.id, 'conversation_updated', { status: { previous_value: 'open', current_value: 'resolved' } }))).status).toBe(200);
    const resolvedAt = await waitFor('the Chatwoot conversation on Jane, resolved', async () => {
      const all = ConversationList.parse((await admin.get('/conversations?status=closed')).body).conversations;
      return all.find((c) => c.connectionId && c.contactId === all.find((b) => b.id === builtIn)?.contactId)?.closedAt ?? undefined;
    });

    const [queued] = await runsOf(p.server, workflowId);
    const run = await waitFor('the run to end', async () => {
      const one = Run.parse((await admin.get(`/runs/${queued!.id}`)).body);
      return ['completed', 'failed'].includes(one.status) ? one : undefined;
    });
    expect(run.status, run.error ?? '').toBe('completed');
    // The comment's step came after Chatwoot held the contact's (resolved) conversation.
    const note = run.stepLog.find((e) => e.stepId === 'note')!;
    expect(Date.parse(note.startedAt)).toBeGreaterThan(Date.parse(resolvedAt));
    const { messages } = ConversationDetail.parse((await admin.get(`/conversations/${builtIn}`)).body);
    expect(messages.filter((m) => m.kind === 'comment').map((m) => m.text)).toEqual(['Closed as Resolved']);
    expect(p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toEqual([]);
  });
});
