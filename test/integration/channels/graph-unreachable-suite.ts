import { afterEach, beforeEach, expect, it } from 'vitest';
import { graphTiming } from '../../../server/channels/graph';
import { graphErrors } from '../../support/graph-standin';
import { runById, runSettled, startRunOnAnasConversation, wakeTimeComes } from './retrying-run';
import { startChannelWorld, type ChannelWorld } from './support';

// Meta out of reach before the request left (connection refused) or asking to wait (Retry-After):
// the send step waits its turn to try again later, shown as such, and sends the message once.

/** On SQLite (`databaseUrl` undefined) or PostgreSQL. */
export function graphUnreachableSuite(databaseUrl: () => string | undefined) {
let w: ChannelWorld;
beforeEach(async () => { graphTiming.baseDelayMs = 5; const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
afterEach(async () => { await w.close(); graphTiming.baseDelayMs = 500; });

const admin = () => w.server.api(w.server.adminToken);
const runOf = (id: string) => runById(w, id);
type Line = { direction: string; kind: string; text: string; delivery?: { status: string; error: string | null; externalId: string | null } };
const thread = async (conversationId: string) => (await admin().get(`/conversations/${conversationId}`)).body.messages as Line[];
const outgoing = async (conversationId: string) => (await thread(conversationId)).filter((m) => m.direction === 'outgoing' && m.kind === 'message');
const sendsToMeta = () => w.graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).length;

const started = () => startRunOnAnasConversation(w, [{ id: 'say', type: 'send_message', config: { text: 'Your order ships today' } }]);
const settled = (id: string, retries: number) => runSettled(w, id, retries);
const timePasses = (runId: string) => wakeTimeComes(w, runId);
/** What the run history, the engine's summary and the conversation's thread show of the wait. */
async function shownAsWaiting(runId: string, conversationId: string) {
  const summary = await admin().get('/runs/summary');
  expect(summary.status).toBe(200);
  expect(summary.body.retrying).toBe(1);
  const line = (await thread(conversationId)).find((m) => m.kind === 'activity');
  expect(line?.text).toMatch(new RegExp(`is waiting to try step “say” again at ${(await runOf(runId)).wakeAt}`));
}

it('Meta refusing connections: the send waits to try again (not "unknown"), then goes out once when Meta is back', async () => {
  await w.graph.refuseConnections();
  const { conversation, runId } = await started();
  const waiting = await settled(runId, 1);
  expect(waiting.status).toBe('waiting');
  expect(waiting.stepLog.at(-1)).toMatchObject({ stepId: 'say', status: 'retrying', output: { retry: 1 } });
  expect(waiting.stepLog.at(-1)!.error).toMatch(/^Meta did not take the message for now: .*Graph API unreachable \(ECONNREFUSED\): the request was not sent/);
  expect(Date.parse(waiting.wakeAt!) - Date.now()).toBeGreaterThan(55_000);
  // Not sent, and known not to be: the agent sees it waiting, not "may or may not have reached".
  const [pending] = await outgoing(conversation.id);
  expect(pending).toMatchObject({ text: 'Your order ships today', delivery: { status: 'retrying', externalId: null } });
  expect(pending!.delivery!.error).toMatch(/ECONNREFUSED/);
  await shownAsWaiting(runId, conversation.id);

  await w.graph.acceptConnections();
  await timePasses(runId);
  const done = await settled(runId, 1);
  expect(done.status, done.error ?? '').toBe('completed');
  expect(w.graph.sent.map((s) => s.body.text.body)).toEqual(['Your order ships today']);
  expect(await outgoing(conversation.id)).toMatchObject([{ delivery: { status: 'accepted', externalId: w.graph.sent[0]!.id } }]);
});

it.each([
  { retryAfterS: 300, waitS: 300 },
  // Meta's rate limits count over a rolling hour: a longer wait is cut to the documented hour.
  { retryAfterS: 7200, waitS: 3600 },
])('Meta asking to wait $retryAfterS s (429 Retry-After): the run waits $waitS s to try again, without holding a round or sending early', async ({ retryAfterS, waitS }) => {
  w.graph.failNext(graphErrors.throttled(retryAfterS));
  const began = Date.now();
  const { conversation, runId } = await started();
  const waiting = await settled(runId, 1);
  // Straight to the later try: no quick attempt slept on in process before Meta's time.
  expect(Date.now() - began).toBeLessThan(10_000);
  expect(sendsToMeta()).toBe(1);
  expect(waiting.stepLog.at(-1)).toMatchObject({ stepId: 'say', status: 'retrying' });
  expect(waiting.stepLog.at(-1)!.notes).toContain(`Meta asked to wait ${retryAfterS} s before trying again (Retry-After)`);
  const wait = Date.parse(waiting.wakeAt!) - Date.parse(waiting.stepLog.at(-1)!.endedAt!);
  expect(wait).toBeGreaterThan((waitS - 5) * 1000);
  expect(wait).toBeLessThan((waitS + 5) * 1000);
  expect((await outgoing(conversation.id))[0]!.delivery!.status).toBe('retrying');
  await shownAsWaiting(runId, conversation.id);

  await timePasses(runId);
  const done = await settled(runId, 1);
  expect(done.status, done.error ?? '').toBe('completed');
  expect(w.graph.sent.map((s) => s.body.text.body)).toEqual(['Your order ships today']);
});

it('a short Retry-After (1 s) is waited out between the quick attempts, as before', async () => {
  w.graph.failNext(graphErrors.throttled(1));
  const { runId } = await started();
  const done = await settled(runId, 0);
  expect(done.status, done.error ?? '').toBe('completed');
  expect(sendsToMeta()).toBe(2);
  expect(w.graph.sent).toHaveLength(1);
});
}
