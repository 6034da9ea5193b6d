import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { messengerText, nextMid, nextWamid, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { waitFor } from '../../support/wait';
import { defineField } from '../engine-support';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from './support';

/**
 * The customer tapping a reply button: WhatsApp Cloud API webhook, message of type `interactive`
 * with `interactive.type = "button_reply"` and the button's id and title, `context` naming the
 * message it answers. https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#reply-button
 */
function whatsappButtonReply(o: { waId: string; buttonId: string; title: string; contextId: string }) {
  const payload = whatsappPlainMessage({ waId: o.waId, text: '' });
  const m = payload.entry[0]!.changes[0]!.value.messages[0] as Record<string, unknown>;
  delete m.text;
  Object.assign(m, {
    context: { from: '15550783881', id: o.contextId },
    id: nextWamid(), type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id: o.buttonId, title: o.title } },
  });
  return payload;
}

/**
 * The customer picking a row of a list message: type `interactive`, `interactive.type = "list_reply"`
 * with the row's id and title. https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#list-messages
 */
function whatsappListReply(o: { waId: string; rowId: string; title: string; contextId: string }) {
  const payload = whatsappButtonReply({ waId: o.waId, buttonId: o.rowId, title: o.title, contextId: o.contextId });
  const m = payload.entry[0]!.changes[0]!.value.messages[0] as Record<string, unknown>;
  m.interactive = { type: 'list_reply', list_reply: { id: o.rowId, title: o.title, description: '' } };
  return payload;
}

/** Ask a Question over WhatsApp / Messenger against the Graph stand-in, on SQLite or PostgreSQL. */
export function askQuestionChannelSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });

  const WA_ID = '14155550123';

  async function askOnWhatsApp(config: Record<string, unknown>) {
    await defineField(w.server, 'size');
    expect((await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Hi' }))).status).toBe(200);
    const { contact, conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
    const wf = await w.tagWorkflow([
      { id: 'ask', type: 'ask_question', config: { question: 'Which size?', answerType: 'choice', choices: ['Small', 'Large'], presentation: 'buttons', saveToField: 'size', saveToVariable: 'size', answeredGoTo: 'yes', invalidGoTo: 'no', ...config } },
      { id: 'no', type: 'add_comment', config: { text: 'no answer' } },
      { id: 'stop', type: 'close_conversation', config: {} },
      { id: 'yes', type: 'add_comment', config: { text: 'size {{$step.size}}' } },
    ]);
    const admin = w.server.api(w.server.adminToken);
    expect((await admin.post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBeLessThan(300);
    const runId = await waitFor('the run', async () => (await admin.get(`/workflows/${wf}/runs`)).body.runs[0]?.id as string | undefined);
    return { contact, conversation, runId, admin };
  }

  const runOf = async (runId: string) => Run.parse((await w.server.api(w.server.adminToken).get(`/runs/${runId}`)).body);
  const untilStatus = (runId: string, statuses: string[]) => waitFor(`run ${runId} to be ${statuses.join('/')}`, async () => {
    const run = await runOf(runId);
    return statuses.includes(run.status) ? run : undefined;
  });
  const waitingAfter = (runId: string, sends: number) => waitFor(`run ${runId} to wait after ${sends} sends`, async () => {
    const run = await runOf(runId);
    return run.status === 'waiting' && w.graph.sent.length >= sends ? run : undefined;
  });

  describe('Ask a Question on a WhatsApp conversation', () => {
    it('sends the question once as reply buttons; the tapped button answers it, saves the field and takes the answered exit', async () => {
      const { contact, conversation, runId, admin } = await askOnWhatsApp({});
      await waitingAfter(runId, 1);
      expect(w.graph.sent).toHaveLength(1);
      const sent = w.graph.sent[0]!;
      expect(sent).toMatchObject({ kind: 'whatsapp', accountId: WA.phoneNumberId });
      expect(sent.body).toMatchObject({
        to: WA_ID, type: 'interactive',
        interactive: { type: 'button', body: { text: 'Which size?' }, action: { buttons: [{ type: 'reply', reply: { id: 'button_1', title: 'Small' } }, { type: 'reply', reply: { id: 'button_2', title: 'Large' } }] } },
      });

      expect((await w.deliver(whatsappButtonReply({ waId: WA_ID, buttonId: 'button_2', title: 'Large', contextId: sent.id }))).status).toBe(200);
      const run = await untilStatus(runId, ['completed', 'failed']);
      expect(run.status, run.error ?? '').toBe('completed');
      expect(run.stepLog.map((e) => e.stepId)).toEqual(['ask', 'ask', 'yes']);
      expect(run.stepLog[1]!.output).toMatchObject({ outcome: 'answered', answer: 'Large', savedToField: 'size' });
      expect((await admin.get(`/contacts/${contact.id}`)).body.fields).toMatchObject({ size: 'Large' });
      const texts = (await admin.get(`/conversations/${conversation.id}`)).body.messages.map((m: { text: string }) => m.text);
      expect(texts).toEqual(['Hi', 'Which size?\n[Small] [Large]', 'Large', 'size Large']);
      expect(w.graph.sent).toHaveLength(1);
    });

    it('re-asks once on an invalid reply (a second, distinct send), then takes the invalid exit', async () => {
      const { runId } = await askOnWhatsApp({ retries: 1, retryMessage: 'Please tap a button. {{question}}' });
      await waitingAfter(runId, 1);
      await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Medium' }));
      await waitingAfter(runId, 2);
      expect(w.graph.sent).toHaveLength(2);
      expect(w.graph.sent[1]!.id).not.toBe(w.graph.sent[0]!.id);
      expect(w.graph.sent[1]!.body.interactive.body.text).toBe('Please tap a button. Which size?');
      const keys = await w.server.store.db.selectFrom('messages').select('send_key').where('send_key', 'is not', null).orderBy('created_at').execute();
      expect(keys.map((k) => k.send_key)).toEqual([expect.stringMatching(/:ask$/), expect.stringMatching(/:reask-1$/)]);

      await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Huge' }));
      const run = await untilStatus(runId, ['completed', 'failed']);
      expect(run.status, run.error ?? '').toBe('completed');
      expect(run.stepLog.map((e) => e.stepId)).toEqual(['ask', 'ask', 'ask', 'no', 'stop', 'yes']);
      expect(run.stepLog[2]!.output).toMatchObject({ outcome: 'invalid', reply: 'Huge', attempts: 2 });
      expect(w.graph.sent).toHaveLength(2);
    });

    it('a run resumed after a crash between the send and the checkpoint does not ask again, and still takes the reply', async () => {
      const { runId } = await askOnWhatsApp({});
      await waitingAfter(runId, 1);
      // What a crash right after Meta answered leaves: the wait row and the sent message with Meta's
      // id, but no checkpoint (the run back at the step, its log empty). Resumed twice over.
      const db = w.server.store.db;
      for (let i = 0; i < 2; i++) {
        await db.updateTable('runs').set({ status: 'queued', cursor: 0, step_log: '[]', wake_at: null }).where('id', '=', runId).execute();
        w.server.app.services.runSignal.notify();
        await waitFor('the resumed run to wait again', async () => {
          const run = await runOf(runId);
          return run.status === 'waiting' && run.stepLog.length === 1 ? run : undefined;
        });
      }
      const resumed = await runOf(runId);
      expect(resumed.stepLog[0]!.notes?.join(' ')).toMatch(/already sent before a restart; it was not sent again/);
      expect(w.graph.sent).toHaveLength(1);
      // Woken early after the checkpoint (the step runs under its next idempotency key): still waits, sends nothing.
      await db.updateTable('runs').set({ wake_at: new Date().toISOString() }).where('id', '=', runId).execute();
      w.server.app.services.runSignal.notify();
      await waitFor('the early-woken run to wait again', async () => {
        const run = await runOf(runId);
        return run.status === 'waiting' && run.stepLog.length === 2 ? run : undefined;
      });
      expect(w.graph.sent).toHaveLength(1);
      await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: '1' }));
      const run = await untilStatus(runId, ['completed', 'failed']);
      expect(run.status, run.error ?? '').toBe('completed');
      expect(run.stepLog.at(-2)!.output).toMatchObject({ outcome: 'answered', answer: 'Small' });
      expect(w.graph.sent).toHaveLength(1);
    });

    it('times out on the timed-out exit without asking again', async () => {
      const { runId } = await askOnWhatsApp({ timeoutGoTo: 'no' });
      await waitingAfter(runId, 1);
      const past = new Date(Date.now() - 1000).toISOString();
      const db = w.server.store.db;
      await db.updateTable('question_waits').set({ expires_at: past }).where('run_id', '=', runId).execute();
      await db.updateTable('runs').set({ wake_at: past }).where('id', '=', runId).execute();
      w.server.app.services.runSignal.notify();
      const run = await untilStatus(runId, ['completed', 'failed']);
      expect(run.status, run.error ?? '').toBe('completed');
      expect(run.stepLog[1]).toMatchObject({ stepId: 'ask', output: { outcome: 'timed_out', attempts: 0, goTo: 'no' } });
      expect(w.graph.sent).toHaveLength(1);
      expect(await db.selectFrom('question_waits').selectAll().execute()).toEqual([]);
    });

    it('outside the 24-hour window the ask fails with the reason and sends nothing', async () => {
      expect((await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Hi' }))).status).toBe(200);
      const { contact } = await conversationOf(w.server, 'phone=%2B14155550123');
      const old = new Date(Date.now() - 25 * 3600_000).toISOString();
      await w.server.store.db.updateTable('messages').set({ created_at: old, sent_at: old }).execute();
      const wf = await w.tagWorkflow([{ id: 'ask', type: 'ask_question', config: { question: 'Still there?', answerType: 'text' } }]);
      const run = await w.fire(wf, contact.id);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/^Not asked: .*24/);
      expect(w.graph.sent).toHaveLength(0);
      expect(await w.server.store.db.selectFrom('question_waits').selectAll().execute()).toEqual([]);
    });
  });

  describe('Ask a Question on WhatsApp: how answers are read and saved', () => {
    it('a date in the wrong order for the workspace\'s country is asked again with the format to use; the email answer becomes the contact\'s', async () => {
      const admin = w.server.api(w.server.adminToken);
      expect((await admin.put('/settings/default-country', { country: 'US' })).status).toBe(200);
      const { contact, runId } = await askOnWhatsApp({ question: 'Delivery date?', answerType: 'date', choices: [], presentation: 'text', saveToField: undefined, retryMessage: 'Sorry. {{question}}' });
      await waitingAfter(runId, 1);
      await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: '24/12/2026' }));
      await waitingAfter(runId, 2);
      expect(w.graph.sent[1]!.body).toMatchObject({ type: 'text', text: { body: 'Sorry. Delivery date?\nPlease write the date as MM/DD/YYYY (e.g. 12/24/2026) or YYYY-MM-DD (2026-12-24).' } });
      await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: '12/24/2026' }));
      expect((await untilStatus(runId, ['completed', 'failed'])).stepLog[2]!.output).toMatchObject({ outcome: 'answered', answer: '2026-12-24' });

      const email = await admin.post('/workflows', { name: 'Email', status: 'published', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['mail'] },
        steps: [{ id: 'mail', type: 'ask_question', config: { question: 'Your email?', answerType: 'email', saveToField: 'email' } }] });
      expect(email.status, JSON.stringify(email.body)).toBe(201);
      await admin.post(`/contacts/${contact.id}/tags`, { tags: ['mail'] });
      const mailRun = await waitFor('the email run', async () => (await admin.get(`/workflows/${email.body.id}/runs`)).body.runs[0]?.id as string | undefined);
      await waitingAfter(mailRun, 3);
      await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Ana@Example.com' }));
      expect((await untilStatus(mailRun, ['completed', 'failed'])).status).toBe('completed');
      expect((await admin.get(`/contacts/${contact.id}`)).body).toMatchObject({ email: 'ana@example.com', phone: '+14155550123' });
    });
  });

  describe('Ask a Question: choices that do not fit reply buttons', () => {
    it('"A list of choices" goes to WhatsApp as a list message (its button opens one row per choice); the tapped row answers', async () => {
      const { contact, conversation, runId, admin } = await askOnWhatsApp({ choices: ['XS', 'S', 'M', 'L'], presentation: 'list', listButton: 'Pick a size' });
      await waitingAfter(runId, 1);
      // https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages
      expect(w.graph.sent[0]!.body).toEqual({
        messaging_product: 'whatsapp', recipient_type: 'individual', to: WA_ID, type: 'interactive',
        interactive: { type: 'list', body: { text: 'Which size?' }, action: { button: 'Pick a size', sections: [{ title: 'Pick a size', rows: ['XS', 'S', 'M', 'L'].map((title, i) => ({ id: `button_${i + 1}`, title })) }] } },
      });
      expect((await w.deliver(whatsappListReply({ waId: WA_ID, rowId: 'button_3', title: 'M', contextId: w.graph.sent[0]!.id }))).status).toBe(200);
      const run = await untilStatus(runId, ['completed', 'failed']);
      expect(run.status, run.error ?? '').toBe('completed');
      expect(run.stepLog[1]!.output).toMatchObject({ outcome: 'answered', answer: 'M', savedToField: 'size' });
      expect((await admin.get(`/contacts/${contact.id}`)).body.fields).toMatchObject({ size: 'M' });
      const texts = (await admin.get(`/conversations/${conversation.id}`)).body.messages.map((m: { text: string }) => m.text);
      expect(texts.slice(1, 3)).toEqual(['Which size?\n[Pick a size]\n- XS\n- S\n- M\n- L', 'M']);
    });

    it('a list without a button name opens with "Choose"; a re-ask is a list again', async () => {
      const { runId } = await askOnWhatsApp({ choices: ['XS', 'S'], presentation: 'list', retries: 1 });
      await waitingAfter(runId, 1);
      await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Huge' }));
      await waitingAfter(runId, 2);
      expect(w.graph.sent.map((s) => [s.body.interactive?.type, s.body.interactive?.action.button])).toEqual([['list', 'Choose'], ['list', 'Choose']]);
    });

    it('Messenger sends four choices as quick replies; the tapped quick reply answers', async () => {
      await defineField(w.server, 'size');
      expect((await w.deliver(messengerText({ psid: '24680013579', text: 'Hi' }))).status).toBe(200);
      const { contact } = await conversationOf(w.server, 'q=3579');
      const wf = await w.tagWorkflow([{ id: 'ask', type: 'ask_question', config: { question: 'Which size?', answerType: 'choice', choices: ['XS', 'S', 'M', 'L'], presentation: 'list', saveToField: 'size' } }]);
      const admin = w.server.api(w.server.adminToken);
      await admin.post(`/contacts/${contact.id}/tags`, { tags: ['go'] });
      const runId = await waitFor('the run', async () => (await admin.get(`/workflows/${wf}/runs`)).body.runs[0]?.id as string | undefined);
      await waitFor('the question', async () => w.graph.sent.find((m) => m.kind === 'messenger'));
      const sent = w.graph.sent.filter((m) => m.kind === 'messenger');
      expect(sent).toHaveLength(1);
      expect(sent[0]!.body).toMatchObject({
        recipient: { id: '24680013579' }, messaging_type: 'RESPONSE',
        // The payload names the question's run: a quick reply comes back without the message it was on.
        message: { text: 'Which size?', quick_replies: ['XS', 'S', 'M', 'L'].map((title, i) => ({ content_type: 'text', title, payload: `ask:${runId}:${i + 1}` })) },
      });
      // A tapped quick reply arrives as a message with its title as text and the payload beside it.
      // https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages
      const tapped = messengerText({ psid: '24680013579', text: 'L', mid: nextMid() });
      (tapped.entry[0]!.messaging[0] as { message: Record<string, unknown> }).message.quick_reply = { payload: `ask:${runId}:4` };
      expect((await w.deliver(tapped)).status).toBe(200);
      const run = await untilStatus(runId, ['completed', 'failed']);
      expect(run.status, run.error ?? '').toBe('completed');
      expect((await admin.get(`/contacts/${contact.id}`)).body.fields).toMatchObject({ size: 'L' });
    });
  });
}
