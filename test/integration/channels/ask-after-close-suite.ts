import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { waitFor } from '../../support/wait';
import { closedOnWhatsApp as closedOnWhatsAppIn, SHEENA_WA_ID, startChannelWorld, type ChannelWorld } from './support';

// A WhatsApp customer whose conversation was closed, then a workflow (a tag added by the shop's
// CRM) asks them a question or assigns them to an agent. As Send message does (follow-up-after-
// close-suite.ts), the step opens the conversation again on the same WhatsApp number first;
// outside the 24-hour window the question fails saying what helps, and nothing is sent.

/** On SQLite (`databaseUrl` undefined) or PostgreSQL. */
export function askAfterCloseSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });
  const admin = () => w.server.api(w.server.adminToken);
  const WA_ID = SHEENA_WA_ID;

  const closedOnWhatsApp = () => closedOnWhatsAppIn(w);
  const openOf = async (contactId: string) => (await admin().get(`/conversations?contactId=${contactId}&status=open`)).body.conversations as { id: string }[];
  const runOf = async (id: string) => Run.parse((await admin().get(`/runs/${id}`)).body);
  const ASK = { id: 'ask', type: 'ask_question', config: { question: 'Which colour?', answerType: 'choice', choices: ['Grey', 'Blue'], presentation: 'buttons', saveToVariable: 'colour' } };

  it('Ask a Question opens the conversation again on the WhatsApp number, sends the question there once, and the reply answers it', async () => {
    const { contact, closed } = await closedOnWhatsApp();
    const wf = await w.tagWorkflow([ASK, { id: 'said', type: 'add_comment', config: { text: 'colour {{$step.colour}}' } }]);
    expect((await admin().post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBeLessThan(300);
    const runId = await waitFor('the run to wait', async () => {
      const run = (await admin().get(`/workflows/${wf}/runs`)).body.runs[0] as { id: string; status: string } | undefined;
      return run?.status === 'waiting' ? run.id : undefined;
    });
    const [open] = await openOf(contact.id);
    expect(open!.id).not.toBe(closed.id);
    expect((await admin().get(`/conversations/${open!.id}`)).body).toMatchObject({ connectionId: w.whatsappId, externalId: WA_ID, openedBySource: 'workflow' });
    expect(w.graph.sent.map((s) => ({ to: s.body.to, type: s.body.type, text: s.body.interactive?.body?.text }))).toEqual([{ to: WA_ID, type: 'interactive', text: 'Which colour?' }]);

    expect((await w.deliver(whatsappPlainMessage({ waId: WA_ID, text: 'Blue' }))).status).toBe(200);
    const run = await waitFor('the run to end', async () => {
      const r = await runOf(runId);
      return ['completed', 'failed'].includes(r.status) ? r : undefined;
    });
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog[0]!.notes).toContainEqual(expect.stringMatching(/^The contact had no open conversation: this step opened cnv_\w+ first/));
    expect(run.stepLog.at(-2)!.output).toMatchObject({ outcome: 'answered', answer: 'Blue' });
    expect(w.graph.sent).toHaveLength(1);
    expect(await openOf(contact.id)).toEqual([expect.objectContaining({ id: open!.id })]);
  });

  it('outside the 24-hour window the question fails saying what helps, as Send message does without a fallback, and nothing is sent', async () => {
    const { contact } = await closedOnWhatsApp();
    const old = new Date(Date.now() - 25 * 3600_000).toISOString();
    await w.server.store.db.updateTable('messages').set({ created_at: old, sent_at: old }).execute();
    const wf = await w.tagWorkflow([ASK]);
    const run = await w.fire(wf, contact.id);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('Not asked: The 24-hour window is closed: WhatsApp accepts only an approved template until the customer writes again. '
      + 'A question is a free-form message: send an approved template first (a Send message step), and ask once the customer writes back');
    expect(w.graph.sent).toHaveLength(0);
    expect(await w.server.store.db.selectFrom('question_waits').selectAll().execute()).toEqual([]);
    // Nothing opened for a question that could not go out: no empty conversation in the inbox,
    // no Conversation Opened for the workflows listening.
    expect(await openOf(contact.id)).toEqual([]);
    expect((await w.server.events('conversation.opened')).filter((e) => e.contactId === contact.id && e.source === 'workflow')).toEqual([]);
  });

  it('Assign to opens the conversation again on the WhatsApp number and assigns it, sending nothing to the customer', async () => {
    const { contact, closed } = await closedOnWhatsApp();
    const ava = await w.server.createUser('agent', { name: 'Ava' });
    const wf = await w.tagWorkflow([{ id: 'assign', type: 'assign_to', config: { userId: ava.user.id } }]);
    const run = await w.fire(wf, contact.id);
    expect(run.status, run.error ?? '').toBe('completed');
    const [open] = await openOf(contact.id);
    expect(open!.id).not.toBe(closed.id);
    expect((await admin().get(`/conversations/${open!.id}`)).body).toMatchObject({ connectionId: w.whatsappId, openedBySource: 'workflow', assigneeId: ava.user.id });
    expect(w.graph.sent).toHaveLength(0);
  });
}
