import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import type { CwStandinConversation } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow } from '../engine-support';
import { janeWritesIn, startChatwootPair, type ChatwootPair } from './harness';

/**
 * Chatwoot sends its webhooks from a queue, in no set order: a customer's message written before
 * a workflow's question went out may reach the companion after it. Such a message is no answer
 * (the customer had not seen the question); the first written after it is. Over HTTP against the
 * app and the Chatwoot stand-in; registered by ask-written-order.test.ts (SQLite) and .pg.test.ts.
 */
export function askWrittenOrderSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  let conv: CwStandinConversation;
  let contactId: string;
  beforeEach(async () => {
    p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() });
    ({ conv, contactId } = await janeWritesIn(p));
  });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const runOf = async (id: string) => Run.parse((await admin().get(`/runs/${id}`)).body);
  let nextId = 78_000;
  /** The customer writes `content` in Chatwoot at `at` (Unix seconds, Chatwoot's clock); delivered later. */
  const wrote = (content: string, at: number) => {
    const m = { id: ++nextId, content, message_type: 0 as const, private: false, created_at: at, sender_type: 'Contact' as const };
    conv.messages.push(m);
    p.cw.touch(conv);
    return m;
  };
  const deliver = async (m: { id: number }) => expect((await p.hook(p.cw.messagePayload(conv.id, m.id))).status).toBe(200);
  const asked = () => conv.messages.filter((m) => m.message_type === 1).map((m) => m.content);

  /** "Which size? 1. S 2. M 3. L" asked of the customer in Chatwoot; the run's id once it waits. */
  async function askSize(retries: number) {
    const flow = await createWorkflow(p.server, {
      name: 'Ask size', trigger: { type: 'manual' },
      steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Which size?', answerType: 'choice', choices: ['S', 'M', 'L'], presentation: 'text', retries, saveToVariable: 'size', timeoutSeconds: 3600 } }],
    });
    const res = await admin().post(`/workflows/${flow.id}/start`, { contact: { id: contactId } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const runId = res.body.runIds[0] as string;
    await waitFor('the question to wait', async () => ((await runOf(runId)).status === 'waiting' ? true : undefined));
    return runId;
  }
  const ended = (runId: string) => waitFor('the run to end', async () => {
    const r = await runOf(runId);
    return ['completed', 'failed'].includes(r.status) ? r : undefined;
  });

  it('messages written before the question, delivered after it (newest first), answer nothing; the first written after it answers', async () => {
    const runId = await askSize(1);
    const t = Date.now() / 1000;
    expect(asked()).toHaveLength(1);

    // Written 20 s and 10 s before the question went out; Chatwoot's queue delivers the newer first.
    const earlier = wrote('2', Math.floor(t) - 20);
    const later = wrote('and please hurry', Math.floor(t) - 10);
    await deliver(later);
    await deliver(earlier);
    // Neither answered (no "not a valid answer", no re-ask, no "M"): the run still waits.
    await new Promise((r) => setTimeout(r, 300));
    const still = await runOf(runId);
    expect(still.status).toBe('waiting');
    expect(asked()).toHaveLength(1);

    await deliver(wrote('3', Math.floor(t) + 1));
    const done = await ended(runId);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.stepLog.at(-1)!.output).toMatchObject({ outcome: 'answered', answer: 'L' });
    expect(asked()).toHaveLength(1);
  });

  it('two replies written after the question, delivered newest first: the first written answers, and no "not a valid answer" is sent', async () => {
    const runId = await askSize(0);
    await new Promise((r) => setTimeout(r, 400));
    const now = Date.now() / 1000;
    const three = wrote('3', now - 0.2);
    const thanks = wrote('thanks!', now - 0.1);
    await deliver(thanks);
    await deliver(three);
    const done = await ended(runId);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.stepLog.at(-1)!.output).toMatchObject({ outcome: 'answered', answer: 'L' });
    expect(asked()).toHaveLength(1);
  });
}
