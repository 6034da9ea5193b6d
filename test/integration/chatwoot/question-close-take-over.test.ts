import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationDetail, TakeOverResult } from '../../../lib/contracts/conversations';
import { Run } from '../../../lib/contracts/runs';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

// A workflow's question on a conversation that lives in Chatwoot: resolving it in Chatwoot ends
// the wait as a close in the inbox does (the run stops, the thread says so), and Take over assigns
// the conversation in Chatwoot to the agent who clicks it. Activity lines stay here: Chatwoot gets
// neither a message nor a note for them.

const messagePosts = (p: ChatwootPair) => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).map((r) => r.body);
const assignments = (p: ChatwootPair) => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/assignments')).map((r) => r.body);

describe('a question waiting on a Chatwoot conversation', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
  afterEach(async () => { await p.close(); });

  async function asked() {
    const flow = await createWorkflow(p.server, {
      name: 'Ask plan', trigger: { type: 'conversation_opened' },
      steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Which plan?', answerType: 'text', timeoutSeconds: 600 } }],
    });
    const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const [run] = await runsOf(p.server, flow.id);
    await waitFor('the question to be asked', async () => (Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${run!.id}`)).body).status === 'waiting' ? true : undefined));
    const id = (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations[0].id as string;
    return { conv, id, runId: run!.id };
  }
  const runOf = async (id: string) => Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${id}`)).body);
  const lines = async (id: string) => ConversationDetail.parse((await p.server.api(p.server.adminToken).get(`/conversations/${id}`)).body).messages.filter((m) => m.kind === 'activity');

  it('resolved in Chatwoot: the run stops, saying so in its history and in the thread', async () => {
    const { conv, id, runId } = await asked();
    conv.status = 'resolved';
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { status: { previous_value: 'open', current_value: 'resolved' } }));
    expect(await runOf(runId)).toMatchObject({ status: 'cancelled', error: 'Stopped: the conversation was resolved in Chatwoot' });
    expect((await lines(id)).map((m) => m.text)).toEqual(['The conversation was resolved in Chatwoot: workflow “Ask plan” stopped waiting for the customer’s answer']);
    expect(messagePosts(p)).toEqual([{ content: 'Which plan?', message_type: 'outgoing', private: false }]);
  });

  it('Take over assigns it in Chatwoot to the agent; Chatwoot not knowing the agent does not stop the take over', async () => {
    const { conv, id, runId } = await asked();
    const bea = await p.server.createUser('agent', { name: 'Bea', email: 'bea@example.com' });
    const res = await p.server.api(bea.token).post(`/conversations/${id}/awaiting-answer/take-over`, { runId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(TakeOverResult.parse(res.body)).toMatchObject({ stoppedRunId: runId, assignment: { outcome: 'assigned', assigneeId: bea.user.id } });
    expect(assignments(p)).toEqual([{ assignee_id: 8 }]);
    expect(conv.assigneeId).toBe(8);
    expect((await p.server.api(bea.token).get(`/conversations/${id}`)).body.assigneeId).toBe(bea.user.id);
    expect((await lines(id)).map((m) => m.text)).toEqual(['Bea took over: workflow “Ask plan” stopped; the conversation is assigned to Bea']);
    expect(messagePosts(p)).toHaveLength(1);
  });

  it('an agent Chatwoot does not know: the workflow still stops, and the answer and the thread say why it is not theirs', async () => {
    const { id, runId } = await asked();
    const sam = await p.server.createUser('agent', { name: 'Sam', email: 'sam@example.com' });
    const res = await p.server.api(sam.token).post(`/conversations/${id}/awaiting-answer/take-over`, { runId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(TakeOverResult.parse(res.body)).toMatchObject({
      stoppedRunId: runId, assignment: { outcome: 'failed', assigneeId: null, message: expect.stringMatching(/No Chatwoot agent has the email sam@example\.com/) },
    });
    expect((await runOf(runId)).status).toBe('cancelled');
    expect((await lines(id))[0]?.text).toMatch(/^Sam took over: workflow “Ask plan” stopped; it could not be assigned to Sam \(.*No Chatwoot agent has the email sam@example\.com/);
  });
});
