import { describe, expect, it } from 'vitest';
import { ConversationDetail } from '../../lib/contracts/conversations';
import { Contact } from '../../lib/contracts/contacts';
import { Run } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { waitForRun } from '../support/builders';
import { type Api, type TestServer } from '../support/server';
import { eachAdminAndAgentServer } from '../support/each-server';
import { createWorkflow, shortcutWorkflow } from './engine-support';

/**
 * Registered by close-ends-questions.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A support
 * lead's review: Ava launched "Ask order number" on Lena, closed the conversation, and Lena's
 * "4711" opened a new conversation that no workflow waited on; at the timeout the run went on with
 * an empty answer, into the new conversation. A close now ends the wait (respond.io: closing a
 * conversation ends the workflow's wait): the run stops, its history and the thread say why, and
 * the customer's next message is a new conversation's first message, nobody's answer.
 */
export function closeEndsQuestionsSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let ava: Api;
  const restart = eachAdminAndAgentServer(databaseUrl, 'Ava', (s, a, agent) => { server = s; admin = a; ava = agent; });

  const askOrder = () => createWorkflow(server, shortcutWorkflow({
    name: 'Ask order number', trigger: { type: 'shortcut', name: 'Ask order number' },
    steps: [
      { id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text', timeoutSeconds: 600, saveToVariable: 'order' } } as StepInput,
      { id: 'said', type: 'add_comment', config: { text: 'Customer said {{$step.order}}' } },
    ],
  }));
  async function lena() {
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Lena' })).body);
    const conversation = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
    return { contactId: contact.id, conversation };
  }
  async function launchAndWait(workflowId: string, conversationId: string) {
    const res = await ava.post(`/shortcuts/${workflowId}/launch`, { conversationId, values: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await waitForRun(server.app.services.db, res.body.runId, ['waiting']);
    return res.body.runId as string;
  }
  const detail = async (id: string) => ConversationDetail.parse((await ava.get(`/conversations/${id}`)).body);
  const run = async (id: string) => Run.parse((await admin.get(`/runs/${id}`)).body);

  it('closing from the inbox stops the workflow waiting for the answer; the customer\'s next message is a new conversation\'s, nobody\'s answer', async () => {
    const flow = await askOrder();
    const { conversation } = await lena();
    const runId = await launchAndWait(flow.id, conversation);
    expect((await detail(conversation)).awaitingAnswer).toMatchObject({ runId, workflowName: 'Ask order number' });

    const closed = await ava.post(`/conversations/${conversation}/close`, {});
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(await run(runId)).toMatchObject({ status: 'cancelled', error: 'Stopped: the conversation was closed by Ava' });
    expect((await admin.get(`/conversations/${conversation}/awaiting-answer`)).body).toEqual({ awaitingAnswer: null, awaitingAnswers: [] });
    expect((await server.app.services.db.selectFrom('question_waits').select('run_id').execute())).toEqual([]);

    const answer = await admin.post(`/conversations/${conversation}/messages`, { text: '4711', direction: 'incoming' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ closedConversationId: conversation, openedConversation: true });
    await new Promise((r) => setTimeout(r, 300));
    // Nothing went on as if the customer never answered: no "Customer said" anywhere.
    expect((await detail(answer.body.conversationId)).messages.map((m) => [m.kind, m.text])).toEqual([['message', '4711']]);
    const closedThread = (await detail(conversation)).messages;
    expect(closedThread.filter((m) => m.text.startsWith('Customer said'))).toEqual([]);
    // The thread says what happened, in lines that are nobody's turn.
    expect(closedThread.filter((m) => m.kind === 'activity').map((m) => m.text)).toEqual([
      'Ava launched “Ask order number”',
      'Conversation was closed by Ava: shortcut “Ask order number” stopped waiting for the customer’s answer',
    ]);
    expect((await run(runId)).status).toBe('cancelled');
  });

  it('a workflow\'s Close Conversation step ends the other workflow\'s wait the same way, naming the workflow that closed it', async () => {
    const flow = await askOrder();
    const resolve = await createWorkflow(server, shortcutWorkflow({
      name: 'Resolve', trigger: { type: 'shortcut', name: 'Resolve' }, steps: [{ id: 'close', type: 'close_conversation', config: {} }],
    }));
    const { conversation } = await lena();
    const waiting = await launchAndWait(flow.id, conversation);
    const closing = await ava.post(`/shortcuts/${resolve.id}/launch`, { conversationId: conversation, values: {} });
    expect(closing.status).toBe(202);
    expect((await waitForRun(server.app.services.db, closing.body.runId)).status).toBe('completed');
    expect(await run(waiting)).toMatchObject({ status: 'cancelled', error: 'Stopped: the conversation was closed by workflow “Resolve”' });
    const lines = (await detail(conversation)).messages.filter((m) => m.kind === 'activity');
    expect(lines.at(-1)).toMatchObject({
      text: 'Conversation was closed by workflow “Resolve”: shortcut “Ask order number” stopped waiting for the customer’s answer',
      author: { type: 'workflow', id: resolve.id, name: 'Resolve' },
    });
  });

  // A team lead's review: closing "(Resolved)" while a question waited wrote a line without the
  // category, worded otherwise than a close with nothing waiting. One close line either way.
  it.each([
    ['nothing waits', false, 'Conversation was closed by Ava (Resolved)'],
    ['a question waits', true, 'Conversation was closed by Ava (Resolved): shortcut “Ask order number” stopped waiting for the customer’s answer'],
  ])('closing with a category when %s: the thread\'s close line keeps the category, in the same words', async (_when, asking, line) => {
    expect((await admin.put('/settings/closing-categories', { categories: ['Resolved', 'Spam'] })).status).toBe(200);
    const flow = await askOrder();
    const { conversation } = await lena();
    if (asking) await launchAndWait(flow.id, conversation);
    const closed = await ava.post(`/conversations/${conversation}/close`, { category: 'Resolved' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const lines = (await detail(conversation)).messages.filter((m) => m.kind === 'activity').map((m) => m.text);
    expect(lines.filter((t) => !t.startsWith('Ava launched'))).toEqual([line]);
  });

  it('runs of the same workflow queued behind the question stop with it (they would ask on the next conversation); other waits elsewhere are left alone', async () => {
    const flow = await askOrder();
    const { conversation } = await lena();
    const other = await lena();
    const first = await launchAndWait(flow.id, conversation);
    const queued = (await ava.post(`/shortcuts/${flow.id}/launch`, { conversationId: conversation, values: {} })).body.runId as string;
    const elsewhere = await launchAndWait(flow.id, other.conversation);
    expect((await run(queued)).status).toBe('queued');

    expect((await ava.post(`/conversations/${conversation}/close`, {})).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    for (const id of [first, queued]) expect(await run(id)).toMatchObject({ status: 'cancelled', error: 'Stopped: the conversation was closed by Ava' });
    expect((await run(queued)).stepLog).toEqual([]);
    expect((await run(elsewhere)).status).toBe('waiting');
    expect((await detail(conversation)).messages.filter((m) => m.kind === 'activity').at(-1)?.text)
      .toBe('Conversation was closed by Ava: shortcut “Ask order number” stopped waiting for the customer’s answer (with 1 more run of it queued behind)');
  });

  it('with two workflows waiting, the conversation lists both (the Close dialog names them) and closing stops both', async () => {
    const order = await askOrder();
    const rating = await createWorkflow(server, shortcutWorkflow({
      name: 'Rating U', trigger: { type: 'shortcut', name: 'Rating U' },
      steps: [{ id: 'ask', type: 'ask_question', config: { question: 'How did we do (1-5)?', answerType: 'text', timeoutSeconds: 600, saveToVariable: 'rating' } } as StepInput],
    }));
    const { conversation } = await lena();
    const first = await launchAndWait(order.id, conversation);
    const last = await launchAndWait(rating.id, conversation);
    const shown = await detail(conversation);
    // The one asked last first, as awaitingAnswer (the customer's next message goes to it).
    expect(shown.awaitingAnswer).toMatchObject({ runId: last, workflowName: 'Rating U' });
    // With the shortcut each was launched from, by its label: the dialog names them as the agent knows them.
    expect(shown.awaitingAnswers?.map((a) => [a.runId, a.workflowName, a.shortcutName])).toEqual([[last, 'Rating U', 'Rating U'], [first, 'Ask order number', 'Ask order number']]);

    expect((await ava.post(`/conversations/${conversation}/close`, {})).status).toBe(200);
    for (const id of [first, last]) expect(await run(id)).toMatchObject({ status: 'cancelled', error: 'Stopped: the conversation was closed by Ava' });
    const after = await detail(conversation);
    expect([after.awaitingAnswer, after.awaitingAnswers]).toEqual([null, []]);
    expect(after.messages.filter((m) => m.kind === 'activity').map((m) => m.text).filter((t) => t.startsWith('Conversation was closed')).sort()).toEqual([
      'Conversation was closed by Ava: shortcut “Ask order number” stopped waiting for the customer’s answer',
      'Conversation was closed by Ava: shortcut “Rating U” stopped waiting for the customer’s answer',
    ]);
  });

  it('an answer that came before the close is the run\'s: the run goes on with it', async () => {
    // No executor: the answer is stored and the run woken, but nobody has run it yet when the conversation closes.
    await restart({ workers: false });
    const flow = await askOrder();
    const { conversation } = await lena();
    const runId = (await ava.post(`/shortcuts/${flow.id}/launch`, { conversationId: conversation, values: {} })).body.runId as string;
    const now = new Date().toISOString();
    await server.app.services.db.transaction().execute(async (trx) => {
      await trx.updateTable('runs').set({ status: 'waiting', cursor: 0, wake_at: new Date(Date.now() + 600_000).toISOString() }).where('id', '=', runId).execute();
      await trx.insertInto('question_waits').values({
        run_id: runId, step_id: 'ask', conversation_id: conversation, attempts: 0, expires_at: new Date(Date.now() + 600_000).toISOString(),
        answer: null, answer_message_id: null, created_at: now, asked_at: now,
      }).execute();
    });
    expect((await admin.post(`/conversations/${conversation}/messages`, { text: '4711', direction: 'incoming' })).status).toBe(201);
    expect((await ava.post(`/conversations/${conversation}/close`, {})).status).toBe(200);
    expect((await run(runId)).status).toBe('waiting');
    const wait = await server.app.services.db.selectFrom('question_waits').select('answer').where('run_id', '=', runId).executeTakeFirst();
    expect(wait?.answer).toBe('4711');
    // The thread records the launch and the close, and nothing stopped.
    expect((await detail(conversation)).messages.filter((m) => m.kind === 'activity').map((m) => m.text)).toEqual(['Ava launched “Ask order number”', 'Conversation was closed by Ava']);
  });
}
