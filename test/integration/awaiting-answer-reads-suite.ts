import { expect, it } from 'vitest';
import { AwaitingAnswerState, ConversationDetail } from '../../lib/contracts/conversations';
import { type Api, type TestServer } from '../support/server';
import { eachAdminAndAgentServer } from '../support/each-server';
import { shortcutAskingAfterOpeningWorkflow } from '../e2e/support/two-questions-waiting';

/**
 * Registered by awaiting-answer-reads.test.ts (SQLite) and .pg.test.ts (PostgreSQL). What waits
 * on the customer's answer (`awaitingAnswer`, and `awaitingAnswers` listing every question, that
 * one first) is one list read once (server/domain/question-replies.ts, questionsWaitingOn). It
 * was two queries with two rules for a run's status, so the two could disagree, and
 * GET /conversations/:id/awaiting-answer, which the Dashboard App polls, cost both.
 */
export function awaitingAnswerReadsSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let ava: Api;
  eachAdminAndAgentServer(databaseUrl, 'Ava', (s, a, agent) => { server = s; admin = a; ava = agent; });

  /** The statements one GET cost the server: the fewest of five tries (the engine's own reads may land in one). */
  async function statementsOf(path: string): Promise<number> {
    const counters = server.store.counters!;
    let fewest = Infinity;
    for (let i = 0; i < 5; i++) {
      const before = counters.statements;
      const res = await ava.get(path);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      fewest = Math.min(fewest, counters.statements - before);
    }
    return fewest;
  }

  it('the polled /awaiting-answer names both questions, the last asked first, for one statement more than a closed conversation\'s', async () => {
    const { conversation, openingRunId, shortcutRunId } = await shortcutAskingAfterOpeningWorkflow(server, { name: 'Rating', question: 'How would you rate us, 1 to 5?' });
    const state = AwaitingAnswerState.parse((await ava.get(`/conversations/${conversation}/awaiting-answer`)).body);
    expect(state.awaitingAnswer?.runId).toBe(shortcutRunId);
    expect(state.awaitingAnswers?.map((a) => a.runId)).toEqual([shortcutRunId, openingRunId]);
    expect(state.awaitingAnswers?.[0]).toEqual(state.awaitingAnswer);
    const detail = ConversationDetail.parse((await ava.get(`/conversations/${conversation}`)).body);
    expect({ awaitingAnswer: detail.awaitingAnswer, awaitingAnswers: detail.awaitingAnswers }).toEqual(state);

    // The same request on a closed conversation reads the conversation and stops: the difference is the list.
    const other = (await admin.post('/contacts', { firstName: 'Tom' })).body.id as string;
    const closed = (await admin.post('/conversations', { contactId: other })).body.id as string;
    expect((await admin.post(`/conversations/${closed}/close`, {})).status).toBe(200);
    const open = await statementsOf(`/conversations/${conversation}/awaiting-answer`);
    const none = await statementsOf(`/conversations/${closed}/awaiting-answer`);
    expect(open - none).toBe(1);
  });
}
