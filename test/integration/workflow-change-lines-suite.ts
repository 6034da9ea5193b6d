import { afterEach, beforeEach, expect, it } from 'vitest';
import { AwaitingAnswerState, ConversationDetail, ConversationList } from '../../lib/contracts/conversations';
import { Contact } from '../../lib/contracts/contacts';
import type { StepInput } from '../../lib/contracts/steps';
import { waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow, runsOf, shortcutWorkflow } from './engine-support';

/**
 * Registered by workflow-change-lines.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A workflow's
 * own assignments and closes say so in the thread, as Chatwoot's "Assigned to Ava by Automation
 * System" and "Conversation was marked resolved by …": an agent finding the conversation theirs,
 * someone else's or closed can tell which workflow did it. Nothing when nothing changed.
 */
export function workflowChangeLinesSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let ava: { api: Api; id: string };
  let ben: { id: string };
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl() });
    admin = server.api(server.adminToken);
    const a = await server.createUser('agent', { name: 'Ava' });
    const b = await server.createUser('agent', { name: 'Ben' });
    ava = { api: server.api(a.token), id: a.user.id };
    ben = { id: b.user.id };
  });
  afterEach(async () => { await server.close(); });

  const step = (id: string, type: string, config: object) => ({ id, type, config }) as StepInput;
  const detail = async (id: string) => ConversationDetail.parse((await ava.api.get(`/conversations/${id}`)).body);
  const lines = async (id: string) => (await detail(id)).messages.filter((m) => m.kind === 'activity').map((m) => [m.text, m.author.type, m.author.name ?? null]);

  it('a workflow assigning, assigning again, unassigning and closing: a line per change, naming the workflow; nobody\'s turn', async () => {
    expect((await admin.put('/settings/closing-categories', { categories: ['Sale'] })).status).toBe(200);
    const welcome = await createWorkflow(server, {
      name: 'Welcome', trigger: { type: 'conversation_opened' },
      steps: [step('ava', 'assign_to', { userId: ava.id }), step('again', 'assign_to', { userId: ava.id })],
    });
    const wrapUp = await createWorkflow(server, shortcutWorkflow({
      name: 'Wrap up', trigger: { type: 'shortcut', name: 'Wrap up' },
      steps: [step('ben', 'assign_to', { userId: ben.id }), step('none', 'assign_to', { userId: 'unassign' }), step('close', 'close_conversation', { category: 'Sale' })],
    }));
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Lena' })).body);
    const conversation = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
    const [opened] = await waitFor('the Welcome run', async () => ((await runsOf(server, welcome.id)).length ? runsOf(server, welcome.id) : undefined));
    expect((await waitForRun(server.app.services.db, opened!.id)).status).toBe('completed');
    // Assigned once: the second Assign step changed nothing, and says nothing.
    expect(await lines(conversation)).toEqual([['Assigned to Ava by workflow “Welcome”', 'workflow', 'Welcome']]);
    expect((await detail(conversation)).assigneeId).toBe(ava.id);
    // The list's latest message is not a line, and no Message Created was recorded for it.
    const row = ConversationList.parse((await ava.api.get('/conversations?status=open')).body).conversations.find((c) => c.id === conversation);
    expect(row?.lastMessage).toBeNull();

    const launched = await ava.api.post(`/shortcuts/${wrapUp.id}/launch`, { conversationId: conversation, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    expect((await waitForRun(server.app.services.db, launched.body.runId)).status).toBe('completed');
    const closed = await detail(conversation);
    expect(closed).toMatchObject({ status: 'closed', assigneeId: null, category: 'Sale' });
    expect(await lines(conversation)).toEqual([
      ['Assigned to Ava by workflow “Welcome”', 'workflow', 'Welcome'],
      ['Ava launched “Wrap up”', 'user', null],
      ['Assigned to Ben by workflow “Wrap up”', 'workflow', 'Wrap up'],
      ['Conversation unassigned by workflow “Wrap up”', 'workflow', 'Wrap up'],
      ['Conversation was closed by workflow “Wrap up” (Sale)', 'workflow', 'Wrap up'],
    ]);
    expect(await server.events('message.created')).toEqual([]);
    expect(closed.firstResponseAt).toBeNull();
  });

  /** Lena's conversation where Ava launched the shortcut "Ask the order" (workflow "Order number v2"): its question waits. */
  const labelledShortcutWaiting = async () => {
    const ask = await createWorkflow(server, shortcutWorkflow({
      name: 'Order number v2', trigger: { type: 'shortcut', name: 'Ask the order' },
      steps: [step('ask', 'ask_question', { question: 'Your order number?', answerType: 'text', timeoutSeconds: 600 })],
    }));
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Lena' })).body);
    const conversation = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
    const launched = await ava.api.post(`/shortcuts/${ask.id}/launch`, { conversationId: conversation, values: {} });
    await waitForRun(server.app.services.db, launched.body.runId, ['waiting']);
    return { conversation, runId: launched.body.runId as string, workflowId: ask.id };
  };

  it('a shortcut labelled otherwise than its workflow: the launch line and the waiting notice name the label the agent clicked', async () => {
    const { conversation, runId } = await labelledShortcutWaiting();
    expect((await lines(conversation)).map(([text]) => text)).toEqual(['Ava launched “Ask the order” (workflow “Order number v2”)']);
    const named = { runId, workflowName: 'Order number v2', shortcutName: 'Ask the order' };
    expect((await detail(conversation)).awaitingAnswer).toMatchObject(named);
    expect(AwaitingAnswerState.parse((await ava.api.get(`/conversations/${conversation}/awaiting-answer`)).body).awaitingAnswer).toMatchObject(named);
  });

  // However it stops, the line names the run as its launch line did: by the label the agent clicked
  // (the waiting notice and the Close dialog say "Shortcut “Ask the order”"), not only its workflow.
  const LABELLED = '“Ask the order” (workflow “Order number v2”)';
  it.each<[string, (p: { conversation: string; runId: string; workflowId: string }) => Promise<{ status: number }>, string | RegExp]>([
    ['an agent takes over', ({ conversation, runId }) => ava.api.post(`/conversations/${conversation}/awaiting-answer/take-over`, { runId }),
      `Ava took over: shortcut ${LABELLED} stopped; the conversation is assigned to Ava`],
    ['an agent closes the conversation', ({ conversation }) => ava.api.post(`/conversations/${conversation}/close`, {}),
      `Conversation was closed by Ava: shortcut ${LABELLED} stopped waiting for the customer’s answer`],
    ['an admin deletes the workflow', ({ workflowId }) => admin.del(`/workflows/${workflowId}`),
      `Shortcut ${LABELLED} stopped: the workflow was deleted`],
    ['an admin cancels the run', ({ runId }) => admin.post(`/runs/${runId}/cancel`), /^Shortcut “Ask the order” \(workflow “Order number v2”\) stopped: cancelled by \S/],
  ])('a shortcut labelled otherwise than its workflow, stopped when %s: the line names the label, as the launch line did', async (_how, stop, line) => {
    const waiting = await labelledShortcutWaiting();
    const stopped = await stop(waiting);
    expect(stopped.status, JSON.stringify(stopped)).toBeLessThan(300);
    expect((await lines(waiting.conversation)).map(([text]) => text)).toEqual([`Ava launched ${LABELLED}`, typeof line === 'string' ? line : expect.stringMatching(line)]);
  });

  it('a workflow closing a conversation where another workflow\'s question waits: the stopped question\'s line says it, once', async () => {
    const ask = await createWorkflow(server, shortcutWorkflow({
      name: 'Ask order', trigger: { type: 'shortcut', name: 'Ask order' },
      steps: [step('ask', 'ask_question', { question: 'Your order number?', answerType: 'text', timeoutSeconds: 600 })],
    }));
    const close = await createWorkflow(server, shortcutWorkflow({ name: 'Close it', trigger: { type: 'shortcut', name: 'Close it' }, steps: [step('close', 'close_conversation', {})] }));
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Lena' })).body);
    const conversation = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
    const asked = await ava.api.post(`/shortcuts/${ask.id}/launch`, { conversationId: conversation, values: {} });
    await waitForRun(server.app.services.db, asked.body.runId, ['waiting']);
    const closing = await ava.api.post(`/shortcuts/${close.id}/launch`, { conversationId: conversation, values: {} });
    expect((await waitForRun(server.app.services.db, closing.body.runId)).status).toBe('completed');
    expect((await lines(conversation)).map(([text]) => text)).toEqual([
      'Ava launched “Ask order”',
      'Ava launched “Close it”',
      'Conversation was closed by workflow “Close it”: shortcut “Ask order” stopped waiting for the customer’s answer',
    ]);
  });
}
