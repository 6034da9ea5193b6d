import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { Run } from '../../../lib/contracts/runs';
import { AskQuestionConfig, SendMessageConfig, type Step } from '../../../lib/contracts/steps';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { waitFor } from '../../support/wait';
import { BY_ANOTHER_RUN, driveOutsideStep, OPENED_FIRST } from '../drive-outside-step';
import { closedOnWhatsApp as closedOnWhatsAppIn, SHEENA_WA_ID, startChannelWorld, type ChannelWorld } from './support';

// A WhatsApp customer whose conversation was closed; then the shop's CRM tags them, and the steps
// that open the conversation first (Send message, Assign to, Ask a Question) meet three things a
// user noticed: two runs of the contact opening at once (one failed "This contact already has an
// open conversation"), `{{$conversation.*}}` empty in the step that opened it, and a question over
// 1,024 characters cut to fit WhatsApp's reply buttons.

/** On SQLite (`databaseUrl` undefined) or PostgreSQL. */
export function openFirstMeanwhileSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });
  const admin = () => w.server.api(w.server.adminToken);
  const WA_ID = SHEENA_WA_ID;

  const closedOnWhatsApp = async () => { const { contact, closed } = await closedOnWhatsAppIn(w); return { contact: Contact.parse(contact), closed }; };
  const openOf = async (contactId: string) => (await admin().get(`/conversations?contactId=${contactId}&status=open`)).body.conversations as { id: string }[];
  const runsOf = async (workflowId: string) => (await admin().get(`/workflows/${workflowId}/runs`)).body.runs as { id: string }[];
  const runOf = async (id: string) => Run.parse((await admin().get(`/runs/${id}`)).body);
  const textsSent = () => w.graph.sent.map((s) => s.body.text?.body ?? s.body.interactive?.body?.text);

  it('a run whose open comes just after another run of the contact opened: it sends its message there rather than failing', async () => {
    const { contact } = await closedOnWhatsApp();
    const shipped = await w.tagWorkflow([{ id: 'send', type: 'send_message', config: { text: 'Your sofa shipped' } }]);
    // Between the other run's look and its open, the tag's run opens the conversation and sends.
    const step = { id: 'send', type: 'send_message', config: SendMessageConfig.parse({ text: 'Which day suits you for delivery?' }) } as Step;
    const { outcome, notes } = await driveOutsideStep(w.server.app.services, contact, step, async () => { expect((await w.fire(shipped, contact.id)).status).toBe('completed'); });
    const open = await openOf(contact.id);
    expect(open).toHaveLength(1);
    expect(outcome).toMatchObject({ kind: 'next', output: { conversationId: open[0]!.id, delivery: { status: 'accepted' } } });
    expect(notes).toContainEqual(expect.stringMatching(BY_ANOTHER_RUN));
    expect(notes).not.toContainEqual(expect.stringMatching(OPENED_FIRST));
    expect(textsSent()).toEqual(['Your sofa shipped', 'Which day suits you for delivery?']);
    expect(w.graph.sent.map((s) => s.body.to)).toEqual([WA_ID, WA_ID]);
  });

  it.each([
    ['Assign to', (userId: string) => ({ id: 'assign', type: 'assign_to', config: { userId } }), [] as string[]],
    ['Ask a Question', () => ({ id: 'ask', type: 'ask_question', config: AskQuestionConfig.parse({ question: 'Which day suits you?', answerType: 'text' }) }), ['Which day suits you?']],
  ] as const)('%s in a run that began as another run of the contact opened the conversation acts in that one, once', async (_name, stepOf, asked) => {
    const { contact } = await closedOnWhatsApp();
    const ava = await w.server.createUser('agent', { name: 'Ava' });
    const shipped = await w.tagWorkflow([{ id: 'send', type: 'send_message', config: { text: 'Your sofa shipped' } }]);
    // Both runs looked before either opened; the tag's run got there first.
    expect((await w.fire(shipped, contact.id)).status).toBe('completed');
    const { outcome, notes } = await driveOutsideStep(w.server.app.services, contact, stepOf(ava.user.id) as Step);
    const open = await openOf(contact.id);
    expect(open).toHaveLength(1);
    expect(outcome).toMatchObject({ output: { conversationId: open[0]!.id } });
    expect(notes).toContainEqual(expect.stringMatching(BY_ANOTHER_RUN));
    expect(textsSent()).toEqual(['Your sofa shipped', ...asked]);
    expect((await w.server.events('conversation.opened')).filter((e) => e.contactId === contact.id)).toHaveLength(2);
  });

  it.each([
    ['Send message', { id: 'send', type: 'send_message', config: { text: 'Case {{$conversation.id}} via {{$conversation.channelType}}, opened by {{$conversation.openedBySource}}' } }, 'Case ID via whatsapp, opened by workflow'],
    ['Ask a Question', { id: 'ask', type: 'ask_question', config: { question: 'About case {{$conversation.id}} ({{$conversation.channelType}}): all good?', answerType: 'choice', choices: ['Yes', 'No'], presentation: 'buttons' } }, 'About case ID (whatsapp): all good?'],
  ])('{{$conversation.*}} in %s read the conversation the step itself opened', async (_name, step, expected) => {
    const { contact, closed } = await closedOnWhatsApp();
    const wf = await w.tagWorkflow([step]);
    expect((await admin().post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBeLessThan(300);
    await waitFor('the message to go out', async () => (w.graph.sent.length ? true : undefined));
    const [open] = await openOf(contact.id);
    expect(open!.id).not.toBe(closed.id);
    expect(textsSent()).toEqual([expected.replace('ID', open!.id)]);
    const [run] = await runsOf(wf);
    expect((await runOf(run!.id)).stepLog[0]?.notes ?? []).not.toContainEqual(expect.stringMatching(/^Unknown variable/));
  });

  it('a question too long for reply buttons goes whole as a list message, and a tap on its row answers it', async () => {
    const { contact } = await closedOnWhatsApp();
    const question = `Please read our delivery terms before you choose. ${'The driver brings the sofa to the door of your flat. '.repeat(27)}Which colour?`;
    expect(question.length).toBeGreaterThan(1024);
    expect(question.length).toBeLessThan(4096);
    const wf = await w.tagWorkflow([{ id: 'ask', type: 'ask_question', config: { question, answerType: 'choice', choices: ['Grey', 'Blue'], presentation: 'buttons', saveToVariable: 'colour' } }]);
    expect((await admin().post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBeLessThan(300);
    const runId = await waitFor('the run to wait', async () => {
      const run = (await admin().get(`/workflows/${wf}/runs`)).body.runs[0] as { id: string; status: string } | undefined;
      return run?.status === 'waiting' ? run.id : undefined;
    });
    expect(w.graph.sent.map((s) => s.body.interactive)).toEqual([{
      type: 'list', body: { text: question },
      action: { button: 'Choose', sections: [{ title: 'Choose', rows: [expect.objectContaining({ title: 'Grey' }), expect.objectContaining({ title: 'Blue' })] }] },
    }]);
    const [open] = await openOf(contact.id);
    // What the inbox shows is what the customer got.
    const shown = (await admin().get(`/conversations/${open!.id}`)).body.messages.filter((m: { kind: string; direction: string }) => m.kind === 'message' && m.direction === 'outgoing');
    expect(shown.map((m: { text: string }) => m.text.startsWith(question))).toEqual([true]);

    expect((await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Blue' }))).status).toBe(200);
    const run = await waitFor('the run to end', async () => {
      const r = await runOf(runId);
      return ['completed', 'failed'].includes(r.status) ? r : undefined;
    });
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog[0]!.notes).toContainEqual(`WhatsApp reply buttons hold a question of at most 1,024 characters (this one has ${question.length.toLocaleString('en-US')}): it was sent as a list message`);
    expect(run.stepLog.at(-1)!.output).toMatchObject({ outcome: 'answered', answer: 'Blue' });
  });

  it('a Send message with reply buttons and a body over 1,024 characters is refused saying so, not cut', async () => {
    const { contact } = await closedOnWhatsApp();
    // 1,000 characters with its variables empty, so it publishes (a longer one is refused there);
    // the contact's first name makes it 1,060 when sent.
    const text = `${'x'.repeat(990)}${' {{$contact.firstName}}'.repeat(10)}`;
    const wf = await w.tagWorkflow([{ id: 'send', type: 'send_message', config: { kind: 'buttons', text, buttons: [{ title: 'Yes' }, { title: 'No' }] } }]);
    const run = await w.fire(wf, contact.id);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('Not sent: WhatsApp reply-button messages can be at most 1,024 characters (this one has 1,060): shorten it');
    expect(w.graph.sent).toEqual([]);
  });
}
