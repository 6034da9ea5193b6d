import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { messengerText, nextMid, nextWamid, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { waitFor } from '../../support/wait';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

const WA_ID = '14155550123';
const PSID = '24680013579';

/**
 * A tapped WhatsApp reply button: `interactive.button_reply` with the button's id and title, and
 * `context.id` naming the message the buttons were on.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#reply-button
 */
function tapped(o: { title: string; on: string }) {
  const payload = whatsappPlainMessage({ waId: WA_ID, text: '' });
  const m = payload.entry[0]!.changes[0]!.value.messages[0] as Record<string, unknown>;
  delete m.text;
  Object.assign(m, {
    context: { from: '15550783881', id: o.on }, id: nextWamid(), type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id: 'button_1', title: o.title } },
  });
  return payload;
}

/**
 * A tapped Messenger quick reply: the title as the message's text, the payload it was sent with
 * in `quick_reply.payload`, and nothing naming the message it was on.
 * https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messages
 */
function quickReply(o: { title: string; payload: string }) {
  const event = messengerText({ psid: PSID, text: o.title, mid: nextMid() });
  (event.entry[0]!.messaging[0] as { message: Record<string, unknown> }).message.quick_reply = { payload: o.payload };
  return event;
}

/**
 * Two workflows asking the same customer at once (Ask a Question), over HTTP against the app, on
 * the built-in inbox and on WhatsApp and Messenger through the Graph stand-in. A reply that names
 * its question (a tapped button or quick reply) answers that one; a typed reply answers the
 * question asked last; the other keeps waiting and its run's log says where the message went.
 * Registered by ask-two-workflows.test.ts (SQLite) and ask-two-workflows.pg.test.ts (PostgreSQL).
 */
export function askTwoWorkflowsSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });

  const admin = () => w.server.api(w.server.adminToken);
  const SIZE = { question: 'Which size?', answerType: 'choice', choices: ['Small', 'Large'], presentation: 'buttons' };
  const SURVEY = { question: 'Happy with us?', answerType: 'choice', choices: ['Yes', 'No'], presentation: 'buttons' };

  /** A workflow started by the tag `tag` that asks, then writes a comment with the answer. */
  async function asking(tag: string, name: string, config: Record<string, unknown>) {
    const wf = await admin().post('/workflows', {
      name, trigger: { type: 'contact_tag_updated', action: 'added', tags: [tag] },
      steps: [
        { id: 'ask', type: 'ask_question', config: { ...config, saveToVariable: 'answer', timeoutSeconds: 3600 } },
        { id: 'done', type: 'add_comment', config: { text: `${name}: {{$step.answer}}` } },
      ],
    });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    expect((await admin().post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
    return wf.body.id as string;
  }
  const runOf = async (id: string) => Run.parse((await admin().get(`/runs/${id}`)).body);
  /** Tags the contact and waits for the workflow's run to wait on its question (`sends` Graph sends in all by then). */
  async function ask(workflowId: string, tag: string, contactId: string, sends = 0) {
    expect((await admin().post(`/contacts/${contactId}/tags`, { tags: [tag] })).status).toBeLessThan(300);
    const runId = await waitFor('the run', async () => (await admin().get(`/workflows/${workflowId}/runs`)).body.runs[0]?.id as string | undefined);
    await waitFor(`run ${runId} to wait`, async () => ((await runOf(runId)).status === 'waiting' && w.graph.sent.length >= sends ? true : undefined));
    return runId;
  }
  const ended = (runId: string) => waitFor(`run ${runId} to end`, async () => {
    const run = await runOf(runId);
    return ['completed', 'failed', 'cancelled'].includes(run.status) ? run : undefined;
  });
  /** The notes of the run's log once one of them matches `pattern` (the run is woken to write it). */
  const noteOf = (runId: string, pattern: RegExp) => waitFor(`a note on run ${runId}`, async () =>
    (await runOf(runId)).stepLog.flatMap((e) => e.notes ?? []).find((n) => pattern.test(n)));
  const conversation = async (id: string) => (await admin().get(`/conversations/${id}`)).body as { messages: { text: string; kind: string }[]; awaitingAnswer: { runId: string; workflowName: string } | null };
  const comments = async (id: string) => (await conversation(id)).messages.filter((m) => m.kind === 'comment').map((m) => m.text);

  describe('on the built-in inbox', () => {
    it('a typed reply answers the question asked last; the earlier one keeps waiting, and its run and the inbox say so', async () => {
      const contact = (await admin().post('/contacts', { firstName: 'Ana' })).body as { id: string };
      const cnv = (await admin().post('/conversations', { contactId: contact.id })).body.id as string;
      const size = await asking('size', 'Size', { ...SIZE, presentation: 'text' });
      const rating = await asking('rate', 'Rating', { question: 'Rate us from 1 to 5', answerType: 'number' });
      const sizeRun = await ask(size, 'size', contact.id);
      const ratingRun = await ask(rating, 'rate', contact.id);
      // The inbox names the question the next message goes to: the one the customer read last.
      expect((await conversation(cnv)).awaitingAnswer).toMatchObject({ runId: ratingRun, workflowName: 'Rating' });

      // "2" is a rating here, not the second size (Large), which is what it became before.
      expect((await admin().post(`/conversations/${cnv}/messages`, { text: '2', direction: 'incoming' })).status).toBe(201);
      expect((await ended(ratingRun)).stepLog.at(-2)!.output).toMatchObject({ outcome: 'answered', answer: 2 });
      expect(await noteOf(sizeRun, /"2"/)).toBe(`Not this question’s answer: the customer’s message "2" went to the question that workflow “Rating” (run ${ratingRun}) asked after this one; a typed reply answers the question asked last.`);
      expect((await runOf(sizeRun)).status).toBe('waiting');
      expect((await conversation(cnv)).awaitingAnswer).toMatchObject({ runId: sizeRun, workflowName: 'Size' });

      await admin().post(`/conversations/${cnv}/messages`, { text: 'Small', direction: 'incoming' });
      expect((await ended(sizeRun)).status).toBe('completed');
      expect(await comments(cnv)).toEqual(['Rating: 2', 'Size: Small']);
      expect((await conversation(cnv)).awaitingAnswer).toBeNull();
    });

    it('an agent who saw the first question\'s notice takes over from that one, though another was asked since', async () => {
      const contact = (await admin().post('/contacts', { firstName: 'Ana' })).body as { id: string };
      const cnv = (await admin().post('/conversations', { contactId: contact.id })).body.id as string;
      const sizeRun = await ask(await asking('size', 'Size', { ...SIZE, presentation: 'text' }), 'size', contact.id);
      const surveyRun = await ask(await asking('survey', 'Survey', { ...SURVEY, presentation: 'text' }), 'survey', contact.id);
      const agent = w.server.api((await w.server.createUser('agent', { name: 'Alex Agent' })).token);
      const res = await agent.post(`/conversations/${cnv}/awaiting-answer/take-over`, { runId: sizeRun });
      expect(res.body).toEqual({
        stoppedRunId: sizeRun, cancelledRunIds: [], awaitingAnswer: expect.objectContaining({ runId: surveyRun, workflowName: 'Survey' }),
        awaitingAnswers: [expect.objectContaining({ runId: surveyRun })], assignment: { outcome: 'assigned', assigneeId: expect.any(String) },
      });
      expect((await runOf(sizeRun)).status).toBe('cancelled');
      expect((await runOf(surveyRun)).status).toBe('waiting');
    });
  });

  describe('on WhatsApp', () => {
    async function twoQuestions() {
      expect((await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Hi' }))).status).toBe(200);
      const { contact, conversation: c } = await conversationOf(w.server, 'phone=%2B14155550123');
      const sizeRun = await ask(await asking('size', 'Size', SIZE), 'size', contact.id, 1);
      const surveyRun = await ask(await asking('survey', 'Survey', SURVEY), 'survey', contact.id, 2);
      const [sizeAsk, surveyAsk] = w.graph.sent.map((s) => s.id);
      return { cnv: c.id as string, sizeRun, surveyRun, sizeAsk: sizeAsk!, surveyAsk: surveyAsk! };
    }

    it('a tapped reply button answers the question it was on, whichever was asked last; nothing is asked again', async () => {
      const { cnv, sizeRun, surveyRun, sizeAsk, surveyAsk } = await twoQuestions();
      // Before: "Yes" went to the first question (Size), which asked again; the survey never heard.
      expect((await w.deliver(tapped({ title: 'Yes', on: surveyAsk }))).status).toBe(200);
      expect((await ended(surveyRun)).stepLog.at(-2)!.output).toMatchObject({ outcome: 'answered', answer: 'Yes' });
      expect(await noteOf(sizeRun, /"Yes"/)).toMatch(/^Not this question’s answer: the customer’s message "Yes" was a reply to the question of workflow “Survey” \(run run_\w+\)/);
      expect((await runOf(sizeRun)).status).toBe('waiting');

      // The first question's button still answers it, though it was asked before.
      await w.deliver(tapped({ title: 'Large', on: sizeAsk }));
      expect((await ended(sizeRun)).stepLog.at(-2)!.output).toMatchObject({ outcome: 'answered', answer: 'Large' });
      expect(await comments(cnv)).toEqual(['Survey: Yes', 'Size: Large']);
      expect(w.graph.sent).toHaveLength(2);
    });

    it('a typed reply answers the question asked last; a button of a question that no longer waits answers none', async () => {
      const { cnv, sizeRun, surveyRun, surveyAsk } = await twoQuestions();
      await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'no' }));
      expect((await ended(surveyRun)).stepLog.at(-2)!.output).toMatchObject({ outcome: 'answered', answer: 'No' });
      await noteOf(sizeRun, /"no" went to the question that workflow “Survey”/);

      // The survey's "Yes" tapped after all: that question has its answer, and "Yes" is no size.
      await w.deliver(tapped({ title: 'Yes', on: surveyAsk }));
      expect(await noteOf(sizeRun, /"Yes"/)).toBe(`Not this question’s answer: the customer’s message "Yes" replied to an earlier question of workflow “Survey” (run ${surveyRun}) that takes no answer now, so no question took it.`);
      const size = await runOf(sizeRun);
      expect(size.status).toBe('waiting');
      expect(size.stepLog.map((e) => e.output)).not.toContainEqual(expect.objectContaining({ reasked: true }));
      expect((await conversation(cnv)).awaitingAnswer).toMatchObject({ runId: sizeRun });

      await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Small' }));
      expect((await ended(sizeRun)).status).toBe('completed');
      expect(await comments(cnv)).toEqual(['Survey: No', 'Size: Small']);
      expect(w.graph.sent).toHaveLength(2);
    });
  });

  describe('on Messenger', () => {
    it('quick replies carry their question in the payload: a tap answers its own question', async () => {
      expect((await w.deliver(messengerText({ psid: PSID, text: 'Hi' }))).status).toBe(200);
      const { contact, conversation: c } = await conversationOf(w.server, `q=${PSID.slice(-4)}`);
      const sizeRun = await ask(await asking('size', 'Size', SIZE), 'size', contact.id, 1);
      const surveyRun = await ask(await asking('survey', 'Survey', SURVEY), 'survey', contact.id, 2);
      // https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies
      expect(w.graph.sent.map((s) => s.body.message.quick_replies)).toEqual([
        [{ content_type: 'text', title: 'Small', payload: `ask:${sizeRun}:1` }, { content_type: 'text', title: 'Large', payload: `ask:${sizeRun}:2` }],
        [{ content_type: 'text', title: 'Yes', payload: `ask:${surveyRun}:1` }, { content_type: 'text', title: 'No', payload: `ask:${surveyRun}:2` }],
      ]);

      expect((await w.deliver(quickReply({ title: 'No', payload: `ask:${surveyRun}:2` }))).status).toBe(200);
      expect((await ended(surveyRun)).stepLog.at(-2)!.output).toMatchObject({ outcome: 'answered', answer: 'No' });
      await noteOf(sizeRun, /"No" was a reply to the question of workflow “Survey”/);
      await w.deliver(quickReply({ title: 'Large', payload: `ask:${sizeRun}:2` }));
      expect((await ended(sizeRun)).stepLog.at(-2)!.output).toMatchObject({ outcome: 'answered', answer: 'Large' });
      expect(await comments(c.id)).toEqual(['Survey: No', 'Size: Large']);
      expect(w.graph.sent).toHaveLength(2);
    });
  });
}
