import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import type { StepInput } from '../../../lib/contracts/steps';
import { cwFaults } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { janeLabelled, startChatwootPair, type ChatwootPair } from './harness';

// Assign to and Ask a Question after the conversation was closed, for a contact whose
// conversations live in Chatwoot: as Send message does (send-after-close.test.ts), the step
// reopens the conversation there first (toggle_status open), then assigns or posts the question
// once. A retry (Chatwoot down for the assignment) reopens nothing twice.

let p: ChatwootPair;
beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
afterEach(async () => { await p.close(); });
const posts = (suffix: string) => p.cw.requests.filter((r) => r.method !== 'GET' && r.path.endsWith(suffix));
const runOf = async (id: string) => Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${id}`)).body);

/** A "close then …" workflow started by a label the agent adds in Chatwoot. */
async function closeThen(step: StepInput) {
  const flow = await createWorkflow(p.server, {
    name: 'close then act', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
    steps: [{ id: 'close', type: 'close_conversation', config: { summary: 'done' } }, step],
  });
  const { conv } = await janeLabelled(p);
  const [started] = await waitFor('the run', async () => { const r = await runsOf(p.server, flow.id); return r.length ? r : undefined; });
  return { conv, runId: started!.id };
}

it('Assign to reopens the conversation in Chatwoot once and assigns it there, also when the assignment is tried again after a 503', async () => {
  const { user: bea } = await p.server.createUser('agent', { name: 'Bea', email: 'BEA@example.com' });
  p.cw.failNext(/^POST .*\/assignments$/, cwFaults.unavailable());
  const { conv, runId } = await closeThen({ id: 'assign', type: 'assign_to', config: { userId: bea.id } });
  const retrying = await waitFor('the assignment to be put off', async () => {
    const r = await runOf(runId);
    return r.status === 'waiting' || r.status === 'failed' ? r : undefined;
  });
  expect(retrying.stepLog.at(-1), retrying.error ?? '').toMatchObject({ stepId: 'assign', status: 'retrying' });
  // The retry's time comes.
  await p.server.store.db.updateTable('runs').set({ wake_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', runId).execute();
  p.server.app.services.runSignal.notify();
  const run = await waitFor('the run to end', async () => {
    const r = await runOf(runId);
    return ['completed', 'failed'].includes(r.status) ? r : undefined;
  });
  expect(run.status, run.error ?? '').toBe('completed');
  expect(posts('/toggle_status').map((r) => r.body)).toEqual([{ status: 'resolved' }, { status: 'open' }]);
  expect(posts('/assignments').map((r) => r.body)).toEqual([{ assignee_id: 8 }, { assignee_id: 8 }]);
  expect(conv.status).toBe('open');
  const open = (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations;
  expect(open).toMatchObject([{ externalId: String(conv.id), connectionId: p.account.id, assigneeId: bea.id }]);
  const opened = (await p.server.events('conversation.opened')).map((e) => e.source);
  expect(opened).toEqual(['contact', 'workflow']);
});

it('Ask a Question reopens the conversation in Chatwoot and posts the question once; the reply there answers it', async () => {
  const { conv, runId } = await closeThen({ id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'number', saveToVariable: 'order' } } as StepInput);
  await waitFor('the question to be posted', async () => ((await runOf(runId)).status === 'waiting' ? true : undefined));
  expect(posts('/toggle_status').map((r) => r.body)).toEqual([{ status: 'resolved' }, { status: 'open' }]);
  expect(posts('/messages').map((r) => r.body)).toEqual([{ content: 'Your order number?', message_type: 'outgoing', private: false }]);

  const reply = { id: 77001, content: '4711', message_type: 0, private: false, created_at: Math.floor(Date.now() / 1000) + 1, sender_type: 'Contact' };
  conv.messages.push(reply as (typeof conv.messages)[number]);
  expect((await p.hook(p.cw.messagePayload(conv.id, reply.id))).status).toBeLessThan(300);
  const run = await waitFor('the run to end', async () => {
    const r = await runOf(runId);
    return ['completed', 'failed'].includes(r.status) ? r : undefined;
  });
  expect(run.status, run.error ?? '').toBe('completed');
  expect(run.stepLog.at(-1)!.output).toMatchObject({ outcome: 'answered', answer: 4711 });
  expect(posts('/messages')).toHaveLength(1);
});
