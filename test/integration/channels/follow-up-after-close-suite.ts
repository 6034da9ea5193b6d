import { afterEach, beforeEach, expect, it } from 'vitest';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { waitFor } from '../../support/wait';
import { runById, wakeTimeComes } from './retrying-run';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

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
}
