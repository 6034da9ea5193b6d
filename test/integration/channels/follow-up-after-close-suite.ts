import { afterEach, beforeEach, expect, it } from 'vitest';
import { messengerText, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { waitFor } from '../../support/wait';
import { runById, wakeTimeComes } from './retrying-run';
import { closedOnWhatsApp, conversationOf, SHEENA_WA_ID, startChannelWorld, type ChannelWorld } from './support';

// An admin's "follow-up after close" (r-admin flow 4): "Closed as sale" (Conversation closed,
// category Sale) tags the contact and starts "Post-sale follow-up" (manual): Wait, then Send a
// message. It published cleanly and then failed: "the contact has no open conversation". As
// respond.io's Send a Message (sent on the contact's last channel), the step now opens the
// conversation again there first, and the follow-up reaches WhatsApp once.

/** On SQLite (`databaseUrl` undefined) or PostgreSQL. */
export function followUpAfterCloseSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });
  const admin = () => w.server.api(w.server.adminToken);

  async function published(input: unknown): Promise<string> {
    const wf = await admin().post('/workflows', input);
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const pub = await admin().post(`/workflows/${wf.body.id}/publish`);
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    return wf.body.id;
  }
  const runsOf = async (workflowId: string) => (await admin().get(`/workflows/${workflowId}/runs`)).body.runs as { id: string; status: string }[];

  it('closing as Sale: the follow-up sent after a Wait opens the conversation again and reaches WhatsApp once', async () => {
    expect((await admin().put('/settings/closing-categories', { categories: ['Sale', 'Other'] })).status).toBe(200);
    const followUp = await published({
      name: 'Post-sale follow-up', trigger: { type: 'manual' },
      steps: [
        { id: 'pause', type: 'wait', config: { seconds: 20 } },
        { id: 'thanks', type: 'send_message', config: { text: 'Hi {{$contact.firstName}}, thanks for your purchase ({{$trigger.category}})' } },
      ],
    });
    await published({
      name: 'Closed as sale',
      trigger: { type: 'conversation_closed', conditions: { logic: 'and', rules: [{ field: 'category', operator: 'is', value: 'Sale' }] } },
      steps: [
        { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['customer'] } },
        { id: 'call', type: 'trigger_workflow', config: { workflowId: followUp } },
      ],
    });
    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'I take the sofa', name: 'Sheena Park' }))).status).toBe(200);
    const { contact, conversation } = await conversationOf(w.server, `phone=${encodeURIComponent('+14155550123')}`);
    w.graph.requests.length = 0;

    const closed = await admin().post(`/conversations/${conversation.id}/close`, { category: 'Sale' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const [waiting] = await waitFor('the follow-up to wait', async () => {
      const runs = await runsOf(followUp);
      return runs.length && runs[0]!.status === 'waiting' ? runs : undefined;
    });
    await wakeTimeComes(w, waiting!.id);
    const run = await waitFor('the follow-up to end', async () => {
      const r = await runById(w, waiting!.id);
      return ['completed', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
    });
    expect(run.status, run.error ?? '').toBe('completed');

    const texts = w.graph.sent.filter((s) => s.body.type === 'text');
    expect(texts.map((s) => ({ to: s.body.to, text: s.body.text.body }))).toEqual([{ to: '14155550123', text: 'Hi Sheena, thanks for your purchase (Sale)' }]);
    // A conversation of the contact's, open again on the same WhatsApp number, holds the message.
    const open = (await admin().get(`/conversations?contactId=${contact.id}&status=open`)).body.conversations;
    expect(open).toHaveLength(1);
    expect(open[0].id).not.toBe(conversation.id);
    const reopened = (await admin().get(`/conversations/${open[0].id}`)).body;
    expect(reopened).toMatchObject({ connectionId: w.whatsappId, externalId: '14155550123', openedBySource: 'workflow' });
    expect(reopened.messages.filter((m: { kind: string }) => m.kind === 'message')).toMatchObject([
      { direction: 'outgoing', text: 'Hi Sheena, thanks for your purchase (Sale)', delivery: { status: 'accepted' } },
    ]);
    const step = run.stepLog.find((e) => e.stepId === 'thanks');
    expect(step?.notes).toContainEqual(expect.stringMatching(/^The contact had no open conversation: this step opened cnv_\w+ first, as an "Open conversation" step \(last channel\) would$/));
    expect((await admin().get(`/contacts/${contact.id}`)).body.tags).toContain('customer');
  });

  // Before, the step opened the conversation (an empty one in the inbox, Conversation Opened fired
  // with source `workflow`) and only then was the send refused for the closed window.
  const openOf = async (contactId: string) => (await admin().get(`/conversations?contactId=${contactId}&status=open`)).body.conversations as { id: string }[];
  const openedByWorkflow = async (contactId: string) => (await w.server.events('conversation.opened')).filter((e) => e.contactId === contactId && e.source === 'workflow');
  const lastWroteDaysAgo = async (days: number) => {
    const old = new Date(Date.now() - days * 86_400_000 - 3600_000).toISOString();
    await w.server.store.db.updateTable('messages').set({ created_at: old, sent_at: old }).execute();
  };
  /** A Send message run fails with `error`, and nothing went to Meta, opened, or fired Conversation Opened. */
  const refusedUnopened = async (contactId: string, text: string, error: string) => {
    const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text } }]);
    const run = await w.fire(wf, contactId);
    expect(run.status).toBe('failed');
    expect(run.error).toBe(error);
    expect(w.graph.sent).toEqual([]);
    expect(await openOf(contactId)).toEqual([]);
    expect(await openedByWorkflow(contactId)).toEqual([]);
  };

  it('outside WhatsApp’s 24-hour window a free-form follow-up with no fallback template fails before opening anything, saying what helps', async () => {
    const { contact } = await closedOnWhatsApp(w);
    await lastWroteDaysAgo(1);
    await refusedUnopened(contact.id, 'Your sofa ships tomorrow',
      'Not sent: The 24-hour window is closed: WhatsApp accepts only an approved template until the customer writes again. Send an approved template, or give this step a fallback template.');
  });

  it('outside the window with a fallback template the conversation opens again and the template goes out', async () => {
    const { contact } = await closedOnWhatsApp(w);
    await lastWroteDaysAgo(1);
    const fallbackTemplate = { name: 'we_miss_you', language: 'en_US', parameters: ['{{$contact.firstName}}'] };
    const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Your sofa ships tomorrow', fallbackTemplate } }]);
    const run = await w.fire(wf, contact.id);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(w.graph.sent.map((s) => ({ to: s.body.to, type: s.body.type, name: s.body.template?.name }))).toEqual([{ to: SHEENA_WA_ID, type: 'template', name: 'we_miss_you' }]);
    expect(await openOf(contact.id)).toHaveLength(1);
    expect(await openedByWorkflow(contact.id)).toHaveLength(1);
  });

  it('Messenger, 8 days after the customer last wrote: a message without a tag fails before opening anything', async () => {
    await w.deliver(messengerText({ psid: '4871203918', text: 'Is the sofa in stock?' }));
    const { contact, conversation } = await conversationOf(w.server, 'q=3918');
    expect((await admin().post(`/conversations/${conversation.id}/close`, {})).status).toBe(200);
    await lastWroteDaysAgo(8);
    w.graph.requests.length = 0;
    await refusedUnopened(contact.id, 'It is back in stock',
      'Not sent: The 24-hour window is closed: Messenger accepts only a message with a message tag (e.g. HUMAN_AGENT) until the customer writes again. Set the Messenger messaging type to MESSAGE_TAG with a tag to send anyway.');
  });
}
