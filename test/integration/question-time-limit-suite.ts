import { afterEach, beforeEach, expect, it } from 'vitest';
import { AwaitingAnswerState, ConversationDetail } from '../../lib/contracts/conversations';
import { Run } from '../../lib/contracts/runs';
import { waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { askStep, shortcutAskingAfterOpeningWorkflow } from '../e2e/support/two-questions-waiting';
import { createWorkflow, shortcutWorkflow } from './engine-support';

/**
 * Registered by question-time-limit.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A question
 * whose time limit has passed, its run not woken yet (the engine gets to it when it can): the
 * notices hid it at its time (lib/workflow/waiting-on.ts questionsWaiting) while the server still
 * took the customer's next message as its answer. One rule now, the server's: a question waits
 * until its time and no longer. Its reply is a message to the agent, a close does not stop it,
 * and its run takes the timed-out exit when it wakes.
 */
export function questionTimeLimitSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let ava: { api: Api; id: string };
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl() });
    admin = server.api(server.adminToken);
    const a = await server.createUser('agent', { name: 'Ava' });
    ava = { api: server.api(a.token), id: a.user.id };
  });
  afterEach(async () => { await server.close(); });

  const db = () => server.app.services.db;
  /** The question's time passes; its run's wake-up (an hour away) does not come. */
  const pastItsTime = (runId: string) => db().updateTable('question_waits').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('run_id', '=', runId).execute();
  /** The engine gets to the run now. */
  async function wake(runId: string) {
    await db().updateTable('runs').set({ wake_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', runId).execute();
    server.app.services.runSignal.notify();
    return waitForRun(db(), runId);
  }
  const askOutcome = (run: Run) => run.stepLog.filter((s) => s.stepId === 'ask').at(-1)?.output;
  const reply = async (conversation: string, text: string) => {
    const res = await admin.post(`/conversations/${conversation}/messages`, { text, direction: 'incoming' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const shown = async (conversation: string) => {
    const detail = ConversationDetail.parse((await ava.api.get(`/conversations/${conversation}`)).body);
    const state = AwaitingAnswerState.parse((await ava.api.get(`/conversations/${conversation}/awaiting-answer`)).body);
    expect(state).toEqual({ awaitingAnswer: detail.awaitingAnswer, awaitingAnswers: detail.awaitingAnswers });
    return { first: detail.awaitingAnswer?.runId ?? null, all: (detail.awaitingAnswers ?? []).map((a) => a.runId) };
  };

  async function oneQuestion() {
    const ask = await createWorkflow(server, shortcutWorkflow({ name: 'Ask order', trigger: { type: 'shortcut', name: 'Ask order' }, steps: [askStep('Your order number?')] }));
    const contact = await admin.post('/contacts', { firstName: 'Lena' });
    const conversation = (await admin.post('/conversations', { contactId: contact.body.id })).body.id as string;
    const launched = await ava.api.post(`/shortcuts/${ask.id}/launch`, { conversationId: conversation, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    await waitForRun(db(), launched.body.runId, ['waiting']);
    return { conversation, runId: launched.body.runId as string };
  }

  it('past its time: no longer shown as waiting, the customer\'s message is theirs to the agent, and the run times out when woken', async () => {
    const { conversation, runId } = await oneQuestion();
    expect(await shown(conversation)).toEqual({ first: runId, all: [runId] });
    await pastItsTime(runId);
    expect(await shown(conversation)).toEqual({ first: null, all: [] });

    await reply(conversation, '4711');
    const wait = await db().selectFrom('question_waits').select(['answer']).where('run_id', '=', runId).executeTakeFirstOrThrow();
    expect(wait.answer).toBeNull();
    const run = await wake(runId);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(askOutcome(run)).toMatchObject({ outcome: 'timed_out' });
    // Take over has nothing to stop: the conversation is simply the agent's.
    const took = await ava.api.post(`/conversations/${conversation}/awaiting-answer/take-over`, {});
    expect(took.body).toMatchObject({ stoppedRunId: null, awaitingAnswer: null, awaitingAnswers: [], assignment: { outcome: 'assigned', assigneeId: ava.id } });
    // Only an assignment happened: the thread says that, as an Assign would, not "Ava took over" (review r-team).
    const lines = ConversationDetail.parse((await ava.api.get(`/conversations/${conversation}`)).body).messages.filter((m) => m.kind === 'activity').map((m) => m.text);
    expect(lines).toEqual(['Ava launched “Ask order”', 'Ava self-assigned this conversation']);
  });

  it('two questions, the one asked last past its time: the other is shown first and a typed reply answers it', async () => {
    const { conversation, openingRunId, shortcutRunId } = await shortcutAskingAfterOpeningWorkflow(server, { name: 'Rating', question: 'How would you rate us, 1 to 5?' });
    expect(await shown(conversation)).toEqual({ first: shortcutRunId, all: [shortcutRunId, openingRunId] });
    await pastItsTime(shortcutRunId);
    expect(await shown(conversation)).toEqual({ first: openingRunId, all: [openingRunId] });

    await reply(conversation, '5');
    const rated = await waitForRun(db(), openingRunId);
    expect(rated.status, rated.error ?? '').toBe('completed');
    expect(askOutcome(rated)).toMatchObject({ answer: '5' });
    const ordered = await wake(shortcutRunId);
    expect(askOutcome(ordered)).toMatchObject({ outcome: 'timed_out' });
  });

  it('a close after its time does not stop it: the run takes its timed-out exit, and the thread says only who closed', async () => {
    const { conversation, runId } = await oneQuestion();
    await pastItsTime(runId);
    const closing = await ava.api.get(`/conversations/${conversation}`);
    expect(closing.body.awaitingAnswers).toEqual([]);
    expect((await ava.api.post(`/conversations/${conversation}/close`, {})).status).toBe(200);
    expect((await admin.get(`/runs/${runId}`)).body).toMatchObject({ status: 'waiting' });
    const run = await wake(runId);
    expect(askOutcome(run)).toMatchObject({ outcome: 'timed_out' });
    const lines = ConversationDetail.parse((await ava.api.get(`/conversations/${conversation}`)).body).messages.filter((m) => m.kind === 'activity').map((m) => m.text);
    expect(lines).toEqual(['Ava launched “Ask order”', 'Conversation was closed by Ava']);
  });
}
