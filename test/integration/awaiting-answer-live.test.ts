import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { waitForRun } from '../support/builders';
import { openSse, type SseClient } from '../support/sse';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, runsOf } from './engine-support';

// "Workflow … is waiting for the customer's answer" goes for every agent the moment it stops being
// true: a question that stops waiting, whichever way, tells the conversation's watchers
// (conversation.changed on the event stream), as a new message does. Before, a take over or a
// cancel published only run.updated, which the inbox ignores, and a timeout nothing the inbox read.
let server: TestServer;
let streams: SseClient[] = [];
beforeEach(async () => { server = await startTestServer(); });
afterEach(async () => {
  for (const s of streams) s.close();
  streams = [];
  await server.close();
});

/** A question waiting on Maria's conversation; the workflow has nothing after it to write. */
async function waitingQuestion() {
  const admin = server.api(server.adminToken);
  const wf = await createWorkflow(server, {
    name: 'Order number', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
    steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text', timeoutSeconds: 3600 } }],
  });
  const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Maria' })).body);
  const conversation = (await admin.post('/conversations', { contactId: contact.id })).body as { id: string };
  await admin.post(`/contacts/${contact.id}/tags`, { tags: ['go'] });
  const [run] = await runsOf(server, wf.id);
  await waitForRun(server.app.services.db, run!.id, ['waiting']);
  expect((await admin.get(`/conversations/${conversation.id}`)).body.awaitingAnswer).toMatchObject({ runId: run!.id });
  return { conversation, contact, runId: run!.id };
}

/** Ava's open inbox: her event stream, from now on. */
async function avaWatches() {
  const ava = await server.createUser('agent', { name: 'Ava' });
  const sse = await openSse(`${server.url}/api/v1/events/stream?token=${ava.token}`);
  streams.push(sse);
  await sse.waitFor(/: connected/);
  return { sse, api: server.api(ava.token) };
}

describe('the end of a question is news for every inbox showing it', () => {
  it.each([
    ['Ben takes over', async (conversationId: string) => {
      const ben = await server.createUser('agent', { name: 'Ben' });
      const res = await server.api(ben.token).post(`/conversations/${conversationId}/awaiting-answer/take-over`, {});
      expect(res.body.stoppedRunId).not.toBeNull();
    }],
    ['an admin cancels the run', async (_conversationId: string, runId: string) => {
      expect((await server.api(server.adminToken).post(`/runs/${runId}/cancel`)).status).toBe(200);
    }],
    ['the question times out', async (_conversationId: string, runId: string) => {
      // The timeout is at least a minute: move it (and the run's wake time) into the past.
      const past = new Date(Date.now() - 1000).toISOString();
      const db = server.app.services.db;
      await db.updateTable('question_waits').set({ expires_at: past }).where('run_id', '=', runId).execute();
      await db.updateTable('runs').set({ wake_at: past }).where('id', '=', runId).execute();
      server.app.services.runSignal.notify();
    }],
  ])('%s: conversation.changed reaches another agent at once, and the conversation waits on nothing', async (_how, end) => {
    const { conversation, contact, runId } = await waitingQuestion();
    const { sse, api } = await avaWatches();
    const started = Date.now();
    await end(conversation.id, runId);
    expect(await sse.next('conversation.changed', 3000)).toEqual({ type: 'conversation.changed', conversationId: conversation.id, contactId: contact.id });
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await api.get(`/conversations/${conversation.id}`)).body.awaitingAnswer).toBeNull();
  });
});
