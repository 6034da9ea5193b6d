import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { waitFor } from '../../support/wait';
import { createWorkflow, defineField, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

const posts = (p: ChatwootPair, suffix: string) => p.cw.requests.filter((r) => r.method !== 'GET' && r.path.endsWith(suffix));
const runOf = async (p: ChatwootPair, id: string) => Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${id}`)).body);

describe('Ask a Question on a Chatwoot conversation', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
  afterEach(async () => { await p.close(); });

  it('posts the question once as an outgoing message (not again after a crash-resume); the contact\'s incoming message answers it', async () => {
    await defineField(p.server, 'plan');
    const flow = await createWorkflow(p.server, {
      name: 'ask', trigger: { type: 'conversation_opened' },
      steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Which plan?', answerType: 'choice', choices: ['Basic', 'Pro'], presentation: 'buttons', saveToField: 'plan' } }],
    });
    const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const [started] = await runsOf(p.server, flow.id);
    await waitFor('the question to be posted', async () => ((await runOf(p, started!.id)).status === 'waiting' ? true : undefined));
    expect(posts(p, `/conversations/${conv.id}/messages`).map((r) => r.body)).toEqual([{ content: 'Which plan?\n1. Basic\n2. Pro', message_type: 'outgoing', private: false }]);

    // A crash between the POST and the checkpoint, then the run resumed: nothing is posted again.
    await p.server.store.db.updateTable('runs').set({ status: 'queued', cursor: 0, step_log: '[]', wake_at: null }).where('id', '=', started!.id).execute();
    p.server.app.services.runSignal.notify();
    await waitFor('the resumed run to wait again', async () => {
      const r = await runOf(p, started!.id);
      return r.status === 'waiting' && r.stepLog.length === 1 ? r : undefined;
    });
    expect(posts(p, '/messages')).toHaveLength(1);

    // The contact answers "2" in Chatwoot: its message_created webhook (Message#webhook_data).
    const reply = { id: 77001, content: '2', message_type: 0, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'Contact' };
    conv.messages.push(reply as (typeof conv.messages)[number]);
    expect((await p.hook(p.cw.messagePayload(conv.id, reply.id))).status).toBeLessThan(300);
    const run = await waitFor('the run to end', async () => {
      const r = await runOf(p, started!.id);
      return ['completed', 'failed'].includes(r.status) ? r : undefined;
    });
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog.at(-1)!.output).toMatchObject({ outcome: 'answered', answer: 'Pro', savedToField: 'plan' });
    const local = (await p.server.api(p.server.adminToken).get(`/contacts?email=jane%40example.com`)).body.contacts[0];
    expect(local.fields).toMatchObject({ plan: 'Pro' });
    expect(posts(p, '/messages')).toHaveLength(1);
  });
});
