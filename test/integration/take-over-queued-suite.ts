import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TakeOverResult } from '../../lib/contracts/conversations';
import { Contact } from '../../lib/contracts/contacts';
import { Run } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { createWorkflow, shortcutWorkflow } from './engine-support';

/**
 * Registered by take-over-queued.test.ts (SQLite) and take-over-queued.pg.test.ts (PostgreSQL).
 * An agent launched a shortcut that asks a question twice on one conversation: the second run
 * waits behind the first (one at a time per workflow and contact). Taking over must hand the
 * customer to the agent: the waiting run stops and the one queued behind it never asks.
 */
export function takeOverQueuedSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let agent: Api;
  let agentId: string;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl() });
    admin = server.api(server.adminToken);
    const alex = await server.createUser('agent', { name: 'Alex Agent' });
    agent = server.api(alex.token);
    agentId = alex.user.id;
  });
  afterEach(async () => { await server.close(); });

  const ask = (name: string, question: string) => createWorkflow(server, shortcutWorkflow({
    name, trigger: { type: 'shortcut', name },
    steps: [
      { id: 'ask', type: 'ask_question', config: { question, answerType: 'text', saveToVariable: 'answer', answeredGoTo: 'got' } } as StepInput,
      { id: 'got', type: 'add_comment', config: { text: 'got {{$step.answer}}' } },
    ],
  }));
  async function conversation() {
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Maria' })).body);
    return (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
  }
  const launch = async (workflowId: string, conversationId: string) => {
    const res = await agent.post(`/shortcuts/${workflowId}/launch`, { conversationId, values: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.runId as string;
  };
  const run = async (id: string) => Run.parse((await admin.get(`/runs/${id}`)).body);
  const messages = async (id: string) => ((await admin.get(`/conversations/${id}`)).body.messages as { text: string; kind: string; direction: string }[]);
  const takeOver = async (conversationId: string, body: object = {}) => {
    const res = await agent.post(`/conversations/${conversationId}/awaiting-answer/take-over`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return TakeOverResult.parse(res.body);
  };

  describe('taking over a question with runs of its workflow queued behind it', () => {
    it('stops the waiting run and cancels those queued behind it: the customer\'s next message is the agent\'s', async () => {
      const order = await ask('Ask order', 'Your order number?');
      const hold = await createWorkflow(server, shortcutWorkflow({ name: 'Hold', trigger: { type: 'shortcut', name: 'Hold' }, steps: [{ id: 'pause', type: 'wait', config: { seconds: 3600 } }] }));
      const cnv = await conversation();
      const first = await launch(order.id, cnv);
      const second = await launch(order.id, cnv);
      const other = await launch(hold.id, cnv);
      const db = server.app.services.db;
      await waitForRun(db, first, ['waiting']);
      await waitForRun(db, other, ['waiting']);
      expect((await run(second)).status).toBe('queued');

      // A take over of a run the agent was not shown cancels nothing.
      const notShown = await takeOver(cnv, { runId: 'run_other' });
      expect(notShown).toMatchObject({ stoppedRunId: null, awaitingAnswer: { runId: first } });
      expect((await run(second)).status).toBe('queued');

      const taken = await takeOver(cnv);
      // The queued run never starts: one question on the conversation, and no one waits for the reply.
      await new Promise((r) => setTimeout(r, 300));
      expect((await run(second)).stepLog).toEqual([]);
      expect((await messages(cnv)).filter((m) => m.text === 'Your order number?')).toHaveLength(1);
      expect((await admin.get(`/conversations/${cnv}/awaiting-answer`)).body).toEqual({ awaitingAnswer: null, awaitingAnswers: [] });
      for (const id of [first, second]) {
        expect(await run(id)).toMatchObject({ status: 'cancelled', error: 'Stopped by Alex Agent, who took over the conversation' });
      }
      // The first click (nothing of its to stop) assigned the conversation to the agent already.
      expect(notShown.assignment).toEqual({ outcome: 'assigned', assigneeId: agentId });
      expect(taken).toEqual({ stoppedRunId: first, cancelledRunIds: [second], awaitingAnswer: null, awaitingAnswers: [], assignment: { outcome: 'yours', assigneeId: agentId } });
      expect((await admin.post(`/conversations/${cnv}/messages`, { text: 'I want to talk to a human', direction: 'incoming' })).status).toBe(201);
      await new Promise((r) => setTimeout(r, 300));
      expect((await messages(cnv)).filter((m) => m.kind === 'comment')).toEqual([]);
      // Another workflow's run is left alone.
      expect((await run(other)).status).toBe('waiting');
      expect(notShown.cancelledRunIds).toEqual([]);
    });

    it('leaves other workflows free to ask afterwards: a new question is a new decision, shown again', async () => {
      const order = await ask('Ask order', 'Your order number?');
      const survey = await ask('Survey', 'How did we do?');
      const cnv = await conversation();
      const first = await launch(order.id, cnv);
      await waitForRun(server.app.services.db, first, ['waiting']);
      expect(await takeOver(cnv, { runId: first })).toEqual({ stoppedRunId: first, cancelledRunIds: [], awaitingAnswer: null, awaitingAnswers: [], assignment: { outcome: 'assigned', assigneeId: agentId } });

      const later = await launch(survey.id, cnv);
      await waitForRun(server.app.services.db, later, ['waiting']);
      expect((await admin.get(`/conversations/${cnv}/awaiting-answer`)).body.awaitingAnswer).toMatchObject({ runId: later, workflowName: 'Survey' });
      // And the same workflow launched again after the take over asks again too; a typed reply goes
      // to the question asked last (ask-two-workflows-suite.ts), the survey keeps waiting.
      const again = await launch(order.id, cnv);
      expect((await waitForRun(server.app.services.db, again, ['waiting'])).stepLog.map((e) => e.stepId)).toEqual(['ask']);
      const great = await admin.post(`/conversations/${cnv}/messages`, { text: 'great', direction: 'incoming' });
      expect(great.status, JSON.stringify(great.body)).toBe(201);
      expect((await waitForRun(server.app.services.db, again)).status).toBe('completed');
      expect((await run(later)).status).toBe('waiting');
    });
  });
}
