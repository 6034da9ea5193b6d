import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { STEP_RETRY_DELAYS_S } from '../../../server/engine/executor/step-retry';
import { cwFaults } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

// Chatwoot busy (Rack::Attack's 429), restarting (nginx's 502/503) or down (connection refused):
// a step that did nothing there waits and runs again; one that may have arrived is never repeated.

const runOf = async (p: ChatwootPair, id: string) => Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${id}`)).body);
const posts = (p: ChatwootPair, suffix: string) => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix));

/** Waits until the run is waiting on a retry (or ended), then returns it. */
const settled = (p: ChatwootPair, id: string, retries: number) => waitFor(`run ${id} to settle after ${retries} retries`, async () => {
  const r = await runOf(p, id);
  if (['completed', 'failed', 'cancelled'].includes(r.status)) return r;
  // A wake time still ahead: the retry is scheduled (not the one `timePasses` just made due).
  return r.status === 'waiting' && r.stepLog.filter((e) => e.status === 'retrying').length === retries && Date.parse(r.wakeAt!) > Date.now() ? r : undefined;
});

/** The minutes pass: the waiting run is due now, and the worker is told. */
async function timePasses(p: ChatwootPair, runId: string) {
  await p.server.store.db.updateTable('runs').set({ wake_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', runId).execute();
  p.server.app.services.runSignal.notify();
}

describe('a step Chatwoot could not take is tried again later', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
  afterEach(async () => { await p.close(); });

  async function started(steps: unknown[]) {
    const flow = await createWorkflow(p.server, { name: 'on open', trigger: { type: 'conversation_opened' }, steps } as never);
    const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: contact.id, labels: ['shipping'], firstMessage: { content: 'Hello', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBeLessThan(300);
    const [run] = await waitFor('the run', async () => { const r = await runsOf(p.server, flow.id); return r.length ? r : undefined; });
    return { conv, runId: run!.id };
  }

  it('a message refused by the rate limit (429) is posted once, a minute later, by the same step', async () => {
    p.cw.failNext(/^POST .*\/messages$/, cwFaults.throttled());
    const t0 = Date.now();
    const { conv, runId } = await started([{ id: 'hi', type: 'send_message', config: { text: 'Welcome!' } }]);

    const waiting = await settled(p, runId, 1);
    expect(waiting.status).toBe('waiting');
    const entry = waiting.stepLog.at(-1)!;
    expect(entry).toMatchObject({ stepId: 'hi', status: 'retrying', output: { retry: 1, of: STEP_RETRY_DELAYS_S.length } });
    expect(entry.error).toBe(`Chatwoot answered HTTP 429 to POST /api/v1/accounts/1/conversations/${conv.id}/messages: Retry later`);
    expect(Date.parse(waiting.wakeAt!) - t0).toBeGreaterThanOrEqual(STEP_RETRY_DELAYS_S[0] * 1000);
    expect(conv.messages.filter((m) => m.message_type === 1)).toHaveLength(0);

    await timePasses(p, runId);
    const done = await settled(p, runId, 1);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(conv.messages.filter((m) => m.message_type === 1).map((m) => m.content)).toEqual(['Welcome!']);
    expect(posts(p, '/messages')).toHaveLength(2);
    expect(done.stepLog.map((e) => `${e.stepId}:${e.status}`)).toEqual(['hi:retrying', 'hi:completed']);
    // The companion's own copy of the message: one.
    expect(done.conversationId).not.toBeNull();
    const mine = (await p.server.api(p.server.adminToken).get(`/conversations/${done.conversationId}`)).body;
    expect(mine.messages.filter((m: { text: string }) => m.text === 'Welcome!')).toHaveLength(1);
  });

  it('a question refused by the rate limit is asked once, a minute later; only a reply after it answers', async () => {
    p.cw.failNext(/^POST .*\/messages$/, cwFaults.throttled());
    const { conv, runId } = await started([{ id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text', saveToVariable: 'order' } }]);
    const waiting = await settled(p, runId, 1);
    expect(waiting.status).toBe('waiting');
    expect(waiting.stepLog.at(-1)).toMatchObject({ stepId: 'ask', status: 'retrying' });
    expect(waiting.stepLog.at(-1)!.error).toMatch(/^Not asked for now: Chatwoot answered HTTP 429 to POST .*\/messages: Retry later$/);
    expect(conv.messages.filter((m) => m.message_type === 1)).toHaveLength(0);

    // The contact writes before the question was posted: not its answer.
    const early = { id: 77001, content: 'anyone there?', message_type: 0, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'Contact' };
    conv.messages.push(early as (typeof conv.messages)[number]);
    expect((await p.hook(p.cw.messagePayload(conv.id, early.id))).status).toBeLessThan(300);
    expect((await runOf(p, runId)).stepLog).toHaveLength(1);

    await timePasses(p, runId);
    await waitFor('the question to be posted', async () => {
      const r = await runOf(p, runId);
      return r.status === 'waiting' && r.stepLog.at(-1)?.status === 'completed' ? r : undefined;
    });
    expect(conv.messages.filter((m) => m.message_type === 1).map((m) => m.content)).toEqual(['Your order number?']);

    const reply = { id: 77002, content: 'A-1042', message_type: 0, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'Contact' };
    conv.messages.push(reply as (typeof conv.messages)[number]);
    expect((await p.hook(p.cw.messagePayload(conv.id, reply.id))).status).toBeLessThan(300);
    // Taken a moment after it was written (a late webhook of an earlier reply may come: late-replies.ts).
    const done = await waitFor('the answer to be taken', async () => {
      const r = await runOf(p, runId);
      return r.status === 'waiting' ? undefined : r;
    });
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.stepLog.at(-1)!.output).toMatchObject({ outcome: 'answered', answer: 'A-1042' });
    expect(posts(p, '/messages')).toHaveLength(2);
  });

  it('labels go on once Chatwoot is back: a 503, then refused connections, then it answers', async () => {
    p.cw.failNext(/^GET .*\/labels$/, cwFaults.unavailable(), cwFaults.unavailable());
    const { conv, runId } = await started([{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } }]);
    const first = await settled(p, runId, 1);
    expect(first.stepLog.at(-1)!.error).toMatch(/Chatwoot answered HTTP 503 to GET .*\/labels: 503 Service Temporarily Unavailable$/);

    await p.cw.down();
    await timePasses(p, runId);
    const second = await settled(p, runId, 2);
    expect(second.status).toBe('waiting');
    expect(second.stepLog.at(-1)!.error).toMatch(/Cannot reach Chatwoot at .*ECONNREFUSED/);
    expect(second.stepLog.at(-1)!.output).toMatchObject({ retry: 2 });

    await p.cw.up();
    await timePasses(p, runId);
    const done = await settled(p, runId, 2);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(conv.labels.sort()).toEqual(['shipping', 'vip']);
  });

  it('Try now runs the waiting step at once; any other run answers 409', async () => {
    p.cw.failNext(/^POST .*\/messages$/, cwFaults.unavailable());
    const { conv, runId } = await started([{ id: 'hi', type: 'send_message', config: { text: 'Welcome!' } }]);
    const waiting = await settled(p, runId, 1);
    expect(Date.parse(waiting.wakeAt!)).toBeGreaterThan(Date.now() + 30_000);
    const admin = p.server.api(p.server.adminToken);
    const tried = await admin.post(`/runs/${runId}/retry-now`);
    expect(tried.status, JSON.stringify(tried.body)).toBe(200);
    const done = await settled(p, runId, 1);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(conv.messages.filter((m) => m.message_type === 1).map((m) => m.content)).toEqual(['Welcome!']);

    const again = await admin.post(`/runs/${runId}/retry-now`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'not_retrying', message: expect.stringMatching(/is not waiting to try a step again \(it is completed\)/) });
    expect((await admin.post('/runs/run_missing/retry-now')).status).toBe(404);
    const { token } = await p.server.createUser('agent');
    expect((await p.server.api(token).post(`/runs/${runId}/retry-now`)).status).toBe(403);
  });

  it('a message whose answer was a 502 may have arrived: not posted again, the run fails saying so', async () => {
    p.cw.failNext(/^POST .*\/messages$/, cwFaults.badGateway());
    const { runId } = await started([{ id: 'hi', type: 'send_message', config: { text: 'Welcome!' } }]);
    const run = await settled(p, runId, 0);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/Chatwoot answered HTTP 502 to POST .*\/messages: 502 Bad Gateway$/);
    expect(posts(p, '/messages')).toHaveLength(1);

    // Run again (a crash before the checkpoint, say): the attempt is on record, nothing is posted.
    await p.server.store.db.updateTable('runs').set({ status: 'queued', cursor: 0, step_log: '[]', error: null, ended_at: null }).where('id', '=', runId).execute();
    p.server.app.services.runSignal.notify();
    const again = await waitFor('the run to fail again', async () => { const r = await runOf(p, runId); return r.status === 'failed' ? r : undefined; });
    expect(again.error).toMatch(/may have arrived .* not posted again/);
    expect(posts(p, '/messages')).toHaveLength(1);
  });

  it('a 401 is not retried: the run fails at once, and the account says its token needs replacing until it is', async () => {
    // Both tokens refused: the agent bot's first (agent-bot.ts falls back), then the administrator's.
    p.cw.failNext(/^POST .*\/messages$/, cwFaults.invalidToken(), cwFaults.invalidToken());
    const { runId } = await started([{ id: 'hi', type: 'send_message', config: { text: 'Welcome!' } }]);
    const run = await settled(p, runId, 0);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/refused the API access token/);
    expect(run.stepLog.filter((e) => e.status === 'retrying')).toHaveLength(0);
    const admin = p.server.api(p.server.adminToken);
    expect((await admin.get(`/chatwoot/accounts/${p.account.id}`)).body).toMatchObject({ status: 'error', lastError: expect.stringMatching(/refused the API access token .*Access Token/) });
    // The admin pastes the token again (a new one, in real life): the mark goes.
    expect((await admin.patch(`/chatwoot/accounts/${p.account.id}`, { apiAccessToken: p.cw.token })).status).toBe(200);
    expect((await admin.get(`/chatwoot/accounts/${p.account.id}`)).body).toMatchObject({ status: 'active', lastError: null });
  });

  it('after the last retry the run fails with the reason and how long it tried', async () => {
    const tries = STEP_RETRY_DELAYS_S.length + 1;
    p.cw.failNext(/^POST .*\/messages$/, ...Array.from({ length: tries }, () => cwFaults.throttled()));
    const { conv, runId } = await started([{ id: 'hi', type: 'send_message', config: { text: 'Welcome!' } }]);
    for (let i = 1; i <= STEP_RETRY_DELAYS_S.length; i++) {
      const r = await settled(p, runId, i);
      expect(r.status).toBe('waiting');
      await timePasses(p, runId);
    }
    const run = await settled(p, runId, STEP_RETRY_DELAYS_S.length);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(new RegExp(`HTTP 429 .*Retry later \\(tried ${tries} times over \\d+ minutes?; not tried again\\)$`));
    expect(posts(p, '/messages')).toHaveLength(tries);
    expect(conv.messages.filter((m) => m.message_type === 1)).toHaveLength(0);
  });
});
