import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { whatsappPlainMessage, whatsappStatus } from '../../fixtures/meta/payloads';
import { lateFallbackHooks } from '../../../server/channels/late-fallback';
import { LateFallbacks, wakeLateFallbacks } from '../../../server/channels/late-fallbacks';
import { waitForRun } from '../webhooks/support';
import { APP_SECRET, conversationOf, startChannelWorld, type ChannelWorld } from './support';
import { graphErrors, type GraphErrorAnswer } from '../../support/graph-standin';
import { graphTiming } from '../../../server/channels/graph';

type Msg = { id: string; direction: string; kind: string; text: string; delivery: { status: string; error: string | null; externalId: string | null } };

const CUSTOMER = '14155550123';
const fallback = { name: 'we_miss_you', language: 'en_US', parameters: ['{{$contact.firstName}}'] };
const LATE = /^WhatsApp refused the message later \(Meta error 131047 in a status webhook: more than 24 hours since the customer last wrote, by WhatsApp's own record\); sent the fallback template we_miss_you instead/;

/**
 * WhatsApp takes a free-form message sent after its 24-hour window closed (a wamid) and refuses
 * it later by a status webhook with 131047: a workflow step's fallback template goes then, once,
 * and its log says so; on SQLite or PostgreSQL, against the Graph stand-in.
 */
export function lateRefusalSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); graphTiming.baseDelayMs = 5; });
  afterEach(async () => { await w.close(); graphTiming.baseDelayMs = 500; });

  const refuseLater = (beforeAnswer = false) => w.graph.refuseLater({ webhookUrl: `${w.server.url}/meta/webhook`, appSecret: APP_SECRET, recipients: [CUSTOMER], beforeAnswer });
  const customer = async () => {
    expect((await w.deliver(whatsappPlainMessage({ waId: CUSTOMER, text: 'Hi, where is my order?', name: 'Ana Lima' }))).status).toBe(200);
    return conversationOf(w.server, 'phone=%2B14155550123');
  };
  const admin = () => w.server.api(w.server.adminToken);
  const outgoing = async (conversationId: string): Promise<Msg[]> =>
    (await admin().get(`/conversations/${conversationId}`)).body.messages.filter((m: Msg) => m.direction === 'outgoing' && m.kind !== 'activity');
  const stepOf = async (runId: string) => (await admin().get(`/runs/${runId}`)).body.stepLog.find((s: { stepId: string }) => s.stepId === 'say');
  const notesOf = async (runId: string) => ((await stepOf(runId)).notes ?? []) as string[];
  const until = async <T>(what: string, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
    const end = Date.now() + 10_000;
    for (;;) {
      const v = await read();
      if (done(v)) return v;
      if (Date.now() > end) throw new Error(`${what}: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  // A fallback's row goes just after its note is written: waited for, not raced.
  const noneWaiting = () => until('no fallback waiting', () => w.server.store.db.selectFrom('late_fallbacks').selectAll().execute(), (rows) => rows.length === 0);
  const sends = (n: number) => until(`${n} sends`, async () => w.graph.sent.map((m) => m.body.type), (t) => t.length >= n);
  const sayWorkflow = () => w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Your order shipped', fallbackTemplate: fallback } }]);

  it.each([
    ['after the send\'s answer', false],
    ['before the send\'s answer reached us', true],
  ])('refused %s: the fallback template goes once, into the same conversation; the step log says so; the window stays closed; a redelivery sends nothing more', async (_when, beforeAnswer) => {
    const { contact, conversation } = await customer();
    refuseLater(beforeAnswer);
    const run = await w.fire(await sayWorkflow(), contact.id);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    await sends(2);
    const [text, template] = w.graph.sent;
    expect(text!.body).toMatchObject({ to: CUSTOMER, type: 'text' });
    expect(template!.body).toMatchObject({ to: CUSTOMER, type: 'template', template: { name: 'we_miss_you', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }] } });
    const notes = await until('the late note', () => notesOf(run.id), (n) => n.some((x) => LATE.test(x)));
    // A one-step run has ended by then (its log is not written while it runs): the history says so.
    expect(notes.filter((x) => LATE.test(x))).toEqual([expect.stringMatching(/, after the run had ended$/)]);
    const [refused, sentInstead] = await outgoing(conversation.id);
    expect(refused).toMatchObject({ text: 'Your order shipped', delivery: { status: 'failed', externalId: text!.id } });
    expect(refused!.delivery.error).toMatch(/\(Meta error 131047: Re-engagement message/);
    expect(sentInstead!.delivery).toMatchObject({ status: 'accepted', externalId: template!.id });
    const channel = (await admin().get(`/conversations/${conversation.id}`)).body.channel;
    expect(channel).toMatchObject({ open: false, refusedAt: expect.any(String) });

    expect(await w.graph.redeliverRefusal(text!.id)).toBe(200);
    wakeLateFallbacks(w.server.app.services);
    await noneWaiting();
    expect(w.graph.sent).toHaveLength(2);
    expect(await outgoing(conversation.id)).toHaveLength(2);
  });

  it('the fallback carries the values as the step rendered them, though the contact changed before the refusal came', async () => {
    const { contact } = await customer();
    const run = await w.fire(await sayWorkflow(), contact.id);
    expect(run.status).toBe('completed');
    expect((await admin().patch(`/contacts/${contact.id}`, { firstName: 'Bea' })).status).toBe(200);
    expect((await w.deliver(whatsappStatus({ wamid: w.graph.sent[0]!.id, status: 'failed', recipient: CUSTOMER }))).status).toBe(200);
    await sends(2);
    expect(w.graph.sent[1]!.body.template.components).toEqual([{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }]);
  });

  it('a crash after the refusal was stored and before the fallback went: the next look sends it, once, and two workers racing send it once', async () => {
    const { contact } = await customer();
    const services = w.server.app.services;
    const run = await w.fire(await sayWorkflow(), contact.id);
    const wake = lateFallbackHooks.due;
    lateFallbackHooks.due = () => {}; // the process died right after the status webhook's commit
    try {
      expect((await w.deliver(whatsappStatus({ wamid: w.graph.sent[0]!.id, status: 'failed', recipient: CUSTOMER }))).status).toBe(200);
    } finally { lateFallbackHooks.due = wake; }
    expect(await services.db.selectFrom('late_fallbacks').select('send_key').where('due_at', 'is not', null).execute()).toEqual([{ send_key: `${run.id}:say` }]);
    expect(w.graph.sent).toHaveLength(1);
    const others = [new LateFallbacks(services), new LateFallbacks(services)];
    others.forEach((o) => o.start());
    wakeLateFallbacks(services);
    await sends(2);
    await until('the late note', () => notesOf(run.id), (n) => n.some((x) => LATE.test(x)));
    await Promise.all(others.map((o) => o.stop()));
    expect(w.graph.sent).toHaveLength(2);
    expect((await notesOf(run.id)).filter((x) => LATE.test(x))).toHaveLength(1);
  });

  it('the run history says the refused message failed and was replaced by the fallback template, not that it was accepted', async () => {
    const { contact } = await customer();
    refuseLater();
    const run = await w.fire(await sayWorkflow(), contact.id);
    await sends(2);
    const step = await until('the step\'s output', () => stepOf(run.id), (s) => s.output?.refusedLater !== undefined);
    expect(step.output.delivery).toMatchObject({ status: 'failed', externalId: w.graph.sent[0]!.id, error: expect.stringMatching(/^WhatsApp says more than 24 hours passed .*\(Meta error 131047: Re-engagement message/) });
    expect(step.output.refusedLater).toEqual({
      error: step.output.delivery.error,
      fallback: { template: 'we_miss_you', status: 'sent', messageId: expect.any(String), externalId: w.graph.sent[1]!.id, tries: 1, of: 6 },
    });
  });

  // Meta throttling or down on the fallback's own send (graph-standin.ts graphErrors cites each): code 4 (HTTP 429)
  // with a Retry-After longer than a quick retry waits (graph.ts), so a try is one request; 130429 and a
  // 5xx without one, so a try is three (the quick retries, used up).
  const FAILURES: [string, () => GraphErrorAnswer[]][] = [
    ['throttles (code 4, Retry-After 90 s)', () => [graphErrors.throttled(90)]],
    ['hits WhatsApp\'s throughput limit (130429)', () => [graphErrors.waThroughput(), graphErrors.waThroughput(), graphErrors.waThroughput()]],
    ['is down (HTTP 500, code 2)', () => [graphErrors.serverError(), graphErrors.serverError(), graphErrors.serverError()]],
  ];
  const throttleFallback = (failure = FAILURES[0]![1]) => w.graph.failNext(...failure().map((f) => ({ ...f, onBody: (b: { type?: string }) => b.type === 'template' })));
  const lateRow = () => w.server.store.db.selectFrom('late_fallbacks').select(['tries', 'due_at']).executeTakeFirst();
  /**
   * The next try's time, come now (the worker waits Meta's Retry-After, 90 s). Try `tries` is done
   * when the row waits for the time the step's log names: a try in flight is already counted.
   */
  const tryNow = async (tries: number, runId: string) => {
    await until(`try ${tries} done`, async () => ({ row: await lateRow(), next: (await stepOf(runId))?.output?.refusedLater?.fallback?.nextTryAt }),
      ({ row, next }) => row?.tries === tries && row.due_at === next);
    await w.server.store.db.updateTable('late_fallbacks').set({ due_at: new Date().toISOString() }).execute();
    wakeLateFallbacks(w.server.app.services);
  };
  const refusedAfterRun = async (failure = FAILURES[0]![1]) => {
    const { contact, conversation } = await customer();
    const run = await w.fire(await sayWorkflow(), contact.id);
    expect(run.status).toBe('completed');
    throttleFallback(failure);
    expect((await w.deliver(whatsappStatus({ wamid: w.graph.sent[0]!.id, status: 'failed', recipient: CUSTOMER }))).status).toBe(200);
    return { run, conversation };
  };

  it.each(FAILURES)('Meta %s on the late fallback: it waits and is tried again later, as a step\'s own send, goes once, and the log says when it went', async (_what, failure) => {
    const { run, conversation } = await refusedAfterRun(failure);
    const waiting = await until('the fallback put off', () => stepOf(run.id), (s) => s.output?.refusedLater?.fallback.status === 'waiting');
    expect(waiting.output.refusedLater.fallback).toMatchObject({ tries: 1, of: 6, nextTryAt: expect.any(String), error: expect.stringMatching(/^Meta error \d+/) });
    expect(waiting.notes.at(-1)).toMatch(/^WhatsApp refused the message later .*; Meta did not take the fallback template we_miss_you for now \(.*\): trying again at .* \(try 2 of 6\)$/);
    expect((await outgoing(conversation.id))[1]!.delivery.status).toBe('retrying');
    expect(w.graph.sent).toHaveLength(1);

    throttleFallback(failure);
    await tryNow(1, run.id);
    await tryNow(2, run.id);
    await sends(2);
    const step = await until('the fallback went', () => stepOf(run.id), (s) => s.output?.refusedLater?.fallback.status === 'sent');
    expect(step.output.refusedLater.fallback).toMatchObject({ tries: 3, externalId: w.graph.sent[1]!.id });
    expect(step.notes.at(-1)).toBe('The fallback template we_miss_you went, on try 3, after the run had ended');
    await noneWaiting();
    const [, sentInstead] = await outgoing(conversation.id);
    expect(sentInstead!.delivery).toMatchObject({ status: 'accepted', externalId: w.graph.sent[1]!.id });
    expect((await w.deliver(whatsappStatus({ wamid: w.graph.sent[0]!.id, status: 'failed', recipient: CUSTOMER }))).status).toBe(200);
    wakeLateFallbacks(w.server.app.services);
    expect(w.graph.sent).toHaveLength(2);
    expect(await outgoing(conversation.id)).toHaveLength(2);
  });

  // Before, the try was counted only once Meta had answered it: a crash while it was in flight lost
  // the count, and each such crash added a try past the step's six (a customer could get more sends
  // than the log says). Now it is counted when claimed; what a crash would leave is read from the
  // store while Meta is still answering.
  it('a late fallback\'s try is counted before Meta answers it, so a crash mid-try leaves it counted', async () => {
    const { run } = await refusedAfterRun();
    await until('the fallback put off', () => stepOf(run.id), (s) => s.output?.refusedLater?.fallback.status === 'waiting');
    const inFlight: number[] = [];
    w.graph.beforeWhatsAppAnswer(async () => { inFlight.push((await lateRow())?.tries ?? -1); });
    await tryNow(1, run.id);
    await sends(2);
    w.graph.beforeWhatsAppAnswer(null);
    expect(inFlight).toEqual([2]);
    const step = await until('the fallback went', () => stepOf(run.id), (s) => s.output?.refusedLater?.fallback.status === 'sent');
    expect(step.output.refusedLater.fallback).toMatchObject({ tries: 2, of: 6 });
  });

  it('Meta throttles the late fallback at every try: it gives up after the step\'s six tries, failed in the inbox, and the log says so', async () => {
    const { run, conversation } = await refusedAfterRun();
    for (let tries = 1; tries < 6; tries++) {
      throttleFallback();
      await tryNow(tries, run.id);
    }
    const step = await until('given up', () => stepOf(run.id), (s) => s.output?.refusedLater?.fallback.status === 'failed');
    expect(step.output.refusedLater.fallback).toMatchObject({ tries: 6, error: expect.stringMatching(/\(tried 6 times over 1 minute; not tried again\)$/) });
    expect(step.notes.at(-1)).toMatch(/^The fallback template we_miss_you was not sent: .*\(tried 6 times over 1 minute; not tried again\)$/);
    expect(w.graph.sent).toHaveLength(1);
    const [, fallbackMessage] = await outgoing(conversation.id);
    expect(fallbackMessage!.delivery).toMatchObject({ status: 'failed', error: expect.stringMatching(/not tried again/) });
    await noneWaiting();
  });

  it.each([
    ['a workflow message refused later for another reason (131026)', true, 131026],
    ['an agent\'s reply refused later with 131047 (no fallback)', false, 131047],
  ])('%s: nothing more is sent', async (_what, byWorkflow, code) => {
    const { contact, conversation } = await customer();
    if (byWorkflow) expect((await w.fire(await sayWorkflow(), contact.id)).status).toBe('completed');
    else expect((await admin().post(`/conversations/${conversation.id}/messages`, { text: 'On its way' })).status).toBeLessThan(300);
    expect((await w.deliver(whatsappStatus({ wamid: w.graph.sent[0]!.id, status: 'failed', recipient: CUSTOMER, errorCode: code, errorTitle: 'Refused' }))).status).toBe(200);
    wakeLateFallbacks(w.server.app.services);
    expect(await w.server.store.db.selectFrom('late_fallbacks').select('send_key').where('due_at', 'is not', null).execute()).toEqual([]);
    expect(w.graph.sent).toHaveLength(1);
    const [message] = await outgoing(conversation.id);
    expect(message!.delivery.status).toBe('failed');
  });
}
