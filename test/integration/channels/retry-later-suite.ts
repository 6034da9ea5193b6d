import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphTiming } from '../../../server/channels/graph';
import { STEP_RETRY_DELAYS_S } from '../../../server/engine/executor/step-retry';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { graphErrors } from '../../support/graph-standin';
import { waitFor } from '../../support/wait';
import { runById, runSettled, startRunOnAnasConversation, wakeTimeComes } from './retrying-run';
import { startChannelWorld, type ChannelWorld } from './support';

// Meta throttling (130429, code 4) or down (5xx) past the three quick attempts: the run waits and
// sends the same message later, under the same key; the inbox shows it as not sent yet meanwhile.

const QUICK_ATTEMPTS = 3;

/** On SQLite (`databaseUrl` undefined) or PostgreSQL. */
export function retryLaterChannelSuite(databaseUrl: () => string | undefined) {
let w: ChannelWorld;
beforeEach(async () => { graphTiming.baseDelayMs = 5; const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
afterEach(async () => { await w.close(); graphTiming.baseDelayMs = 500; });

const admin = () => w.server.api(w.server.adminToken);
const runOf = (id: string) => runById(w, id);
const outgoing = async (conversationId: string) => ((await admin().get(`/conversations/${conversationId}`)).body.messages as { direction: string; kind: string; text: string; delivery: { status: string; error: string | null; externalId: string | null } }[])
  // What was sent (or meant to be): not the thread's activity lines ("waiting to try again").
  .filter((m) => m.direction === 'outgoing' && m.kind === 'message');

const started = () => startRunOnAnasConversation(w, [{ id: 'say', type: 'send_message', config: { text: 'Your order ships today' } }]);
const settled = (id: string, retries: number) => runSettled(w, id, retries);
const timePasses = (runId: string) => wakeTimeComes(w, runId);
const throttledTry = () => Array.from({ length: QUICK_ATTEMPTS }, () => graphErrors.waThroughput());
/** Meta refuses every quick attempt of every try; the run after the last one. */
async function refusedOnEveryTry(refusal: () => Parameters<ChannelWorld['graph']['failNext']>[0], start: () => Promise<{ conversation: { id: string }; runId: string }>) {
  const tries = STEP_RETRY_DELAYS_S.length + 1;
  w.graph.failNext(...Array.from({ length: tries * QUICK_ATTEMPTS }, refusal));
  const { conversation, runId } = await start();
  for (let i = 1; i <= STEP_RETRY_DELAYS_S.length; i++) {
    expect((await settled(runId, i)).status).toBe('waiting');
    await timePasses(runId);
  }
  return { tries, conversation, run: await settled(runId, STEP_RETRY_DELAYS_S.length) };
}
/** Throttled once, then the conversation closes while the run waits to try again; the run after that try. */
async function closedWhileItWaits(start: () => Promise<{ conversation: { id: string }; runId: string }>) {
  w.graph.failNext(...throttledTry());
  const { conversation, runId } = await start();
  await settled(runId, 1);
  expect((await admin().post(`/conversations/${conversation.id}/close`, {})).status).toBe(200);
  await timePasses(runId);
  return { conversation, run: await settled(runId, 1) };
}

describe('a WhatsApp send Meta refuses for now is sent again later', () => {
  it('waits a minute after three throttled attempts, then sends that same message once', async () => {
    w.graph.failNext(...throttledTry());
    const { conversation, runId } = await started();
    const waiting = await settled(runId, 1);
    expect(waiting.status).toBe('waiting');
    expect(waiting.stepLog.at(-1)).toMatchObject({ stepId: 'say', status: 'retrying', output: { retry: 1, of: STEP_RETRY_DELAYS_S.length } });
    expect(waiting.stepLog.at(-1)!.error).toMatch(/^Meta did not take the message for now: Meta error 130429/);
    expect(Date.parse(waiting.wakeAt!) - Date.now()).toBeGreaterThan((STEP_RETRY_DELAYS_S[0] - 5) * 1000);
    expect(w.graph.sent).toHaveLength(0);
    // The agent sees it as not sent yet, with Meta's reason.
    const [pending] = await outgoing(conversation.id);
    expect(pending).toMatchObject({ text: 'Your order ships today', delivery: { status: 'retrying', externalId: null } });
    expect(pending!.delivery.error).toMatch(/130429/);

    await timePasses(runId);
    const done = await settled(runId, 1);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(w.graph.sent.map((s) => s.body.text.body)).toEqual(['Your order ships today']);
    // One message in the conversation, now accepted with Meta's id.
    expect(await outgoing(conversation.id)).toMatchObject([{ text: 'Your order ships today', delivery: { status: 'accepted', externalId: w.graph.sent[0]!.id, error: null } }]);
  });

  it('a 5xx outage outlasting every retry fails the run and the message, saying how long it tried', async () => {
    const { tries, conversation, run } = await refusedOnEveryTry(graphErrors.serverError, started);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(new RegExp(`^Meta did not take the message for now: .*unexpected error.* \\(tried ${tries} times over \\d+ minutes?; not tried again\\)$`));
    expect(w.graph.sent).toHaveLength(0);
    expect(await outgoing(conversation.id)).toMatchObject([{ delivery: { status: 'failed' } }]);
  });

  it('cancelling a run that waits to send again fails its message: it will not be sent', async () => {
    w.graph.failNext(...throttledTry());
    const { conversation, runId } = await started();
    await settled(runId, 1);
    const cancelled = await admin().post(`/runs/${runId}/cancel`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const [message] = await outgoing(conversation.id);
    expect(message!.delivery.status).toBe('failed');
    expect(message!.delivery.error).toMatch(/^Not sent: the run was cancelled by /);
    await timePasses(runId);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.graph.sent).toHaveLength(0);
  });

  it('the conversation closed while the send waited: the run fails and so does its message, saying why', async () => {
    const { conversation, run } = await closedWhileItWaits(started);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/no open conversation/);
    const [message] = await outgoing(conversation.id);
    expect(message!.delivery).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Not sent: the run failed \(Cannot send a message: the contact has no open conversation/) });
    expect(w.graph.sent).toHaveLength(0);
  });

  it('a refusal that is not throttling (re-engagement, 131047) fails at once, as before', async () => {
    w.graph.failNext(graphErrors.reEngagement());
    const { runId } = await started();
    const run = await settled(runId, 0);
    expect(run.status).toBe('failed');
    expect(run.stepLog.filter((e) => e.status === 'retrying')).toHaveLength(0);
  });
});
describe('an Ask a Question Meta refuses for now is asked later', () => {
  const asking = () => startRunOnAnasConversation(w, [
    { id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text', saveToVariable: 'order', timeoutSeconds: 3600 } },
    { id: 'thanks', type: 'send_message', config: { text: 'Thanks, order {{$step.order}}' } },
  ]);
  const askedOnce = (runId: string) => waitFor(`run ${runId} to wait on the reply`, async () => {
    const r = await runOf(runId);
    return r.status === 'waiting' && r.stepLog.at(-1)?.status === 'completed' && r.stepLog.at(-1)?.stepId === 'ask' ? r : undefined;
  });

  it('a throttled question is asked once a minute later; a message meanwhile is not taken as its answer', async () => {
    w.graph.failNext(...throttledTry());
    const { conversation, runId } = await asking();
    const put = await settled(runId, 1);
    expect(put.status).toBe('waiting');
    expect(put.stepLog.at(-1)).toMatchObject({ stepId: 'ask', status: 'retrying' });
    expect(put.stepLog.at(-1)!.error).toMatch(/^Not asked for now|^Meta did not take the question for now: Meta error 130429/);
    expect(w.graph.sent).toHaveLength(0);
    const [pending] = await outgoing(conversation.id);
    expect(pending).toMatchObject({ text: 'Your order number?', delivery: { status: 'retrying' } });

    // The customer writes before the question went out: that is not its answer.
    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'hello?' }))).status).toBe(200);
    const still = await runOf(runId);
    expect(still.status).toBe('waiting');
    expect(still.stepLog.filter((e) => e.stepId === 'ask')).toHaveLength(1);

    await timePasses(runId);
    const asked = await askedOnce(runId);
    expect(w.graph.sent.map((s) => s.body.text?.body)).toEqual(['Your order number?']);
    // One question in the conversation (the retried row, now accepted); the customer gets the
    // whole hour to answer from the send.
    const questions = (await outgoing(conversation.id)).filter((m) => m.text === 'Your order number?');
    expect(questions).toMatchObject([{ delivery: { status: 'accepted', externalId: w.graph.sent[0]!.id } }]);
    expect(Date.parse(asked.wakeAt!) - Date.now()).toBeGreaterThan(3500 * 1000);

    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'A-1042' }))).status).toBe(200);
    const done = await waitFor('the answered run', async () => { const r = await runOf(runId); return r.status === 'completed' || r.status === 'failed' ? r : undefined; });
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.stepLog.find((e) => e.output && (e.output as { outcome?: string }).outcome === 'answered')!.output).toMatchObject({ answer: 'A-1042' });
    expect(w.graph.sent.map((s) => s.body.text?.body)).toEqual(['Your order number?', 'Thanks, order A-1042']);
  });

  it('throttled on every try: the run fails saying how long it tried, the question is failed, and no reply is held for it', async () => {
    const { tries, conversation, run } = await refusedOnEveryTry(graphErrors.waThroughput, asking);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(new RegExp(`130429.* \\(tried ${tries} times over \\d+ minutes?; not tried again\\)$`));
    expect(await outgoing(conversation.id)).toMatchObject([{ text: 'Your order number?', delivery: { status: 'failed' } }]);
    expect(await w.server.store.db.selectFrom('question_waits').selectAll().execute()).toEqual([]);
    expect(w.graph.sent).toHaveLength(0);
  });

  it('the conversation closed while the question waited to go: the run fails, nothing is sent', async () => {
    const { conversation, run } = await closedWhileItWaits(asking);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('Not asked: the conversation closed before the question could be sent');
    const [message] = await outgoing(conversation.id);
    expect(message!.delivery).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Not sent: the run failed \(Not asked: the conversation closed/) });
    expect(await w.server.store.db.selectFrom('question_waits').selectAll().execute()).toEqual([]);
    expect(w.graph.sent).toHaveLength(0);
  });
});
}
