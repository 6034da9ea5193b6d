import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { whatsappPlainMessage, whatsappStatus } from '../../fixtures/meta/payloads';
import { lateFallbackHooks } from '../../../server/channels/late-fallback';
import { LateFallbacks, wakeLateFallbacks } from '../../../server/channels/late-fallbacks';
import { waitForRun } from '../webhooks/support';
import { APP_SECRET, conversationOf, startChannelWorld, type ChannelWorld } from './support';

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
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });

  const refuseLater = (beforeAnswer = false) => w.graph.refuseLater({ webhookUrl: `${w.server.url}/meta/webhook`, appSecret: APP_SECRET, recipients: [CUSTOMER], beforeAnswer });
  const customer = async () => {
    expect((await w.deliver(whatsappPlainMessage({ waId: CUSTOMER, text: 'Hi, where is my order?', name: 'Ana Lima' }))).status).toBe(200);
    return conversationOf(w.server, 'phone=%2B14155550123');
  };
  const admin = () => w.server.api(w.server.adminToken);
  const outgoing = async (conversationId: string): Promise<Msg[]> =>
    (await admin().get(`/conversations/${conversationId}`)).body.messages.filter((m: Msg) => m.direction === 'outgoing' && m.kind !== 'activity');
  const notesOf = async (runId: string) => ((await admin().get(`/runs/${runId}`)).body.stepLog.find((s: { stepId: string }) => s.stepId === 'say').notes ?? []) as string[];
  const until = async <T>(what: string, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
    const end = Date.now() + 10_000;
    for (;;) {
      const v = await read();
      if (done(v)) return v;
      if (Date.now() > end) throw new Error(`${what}: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
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
    expect(await w.server.store.db.selectFrom('late_fallbacks').selectAll().execute()).toEqual([]);
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
