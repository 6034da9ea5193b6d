import { expect, it } from 'vitest';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { waitFor } from '../../support/wait';
import { conversationOf, type ChannelWorld } from './support';

/**
 * Registered by send-cancel.test.ts (SQLite) and send-cancel.pg.test.ts (PostgreSQL). Cancelling a
 * run while its send_message waits for Meta's answer drops the Graph request at once, as n8n's Stop
 * execution does for an HTTP request; Meta may have taken the message by then, so it shows
 * `unknown` (not failed, not retried) and is never sent again.
 */
export function sendCancelSuite(world: () => ChannelWorld) {
  it('a cancel during a slow WhatsApp send ends the run at once; the message is unknown and not sent again', async () => {
    const w = world();
    const admin = w.server.api(w.server.adminToken);
    await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi' }));
    const { contact, conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
    const wf = await w.tagWorkflow([
      { id: 'say', type: 'send_message', config: { text: 'Your order shipped' } },
      { id: 'after', type: 'add_comment', config: { text: 'not after a cancel' } },
    ]);
    w.graph.delayNext(8_000, '/messages');
    expect((await admin.post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBeLessThan(300);
    await waitFor('the send to reach Meta', async () => w.graph.sent[0], 10_000);
    const runs = (await admin.get(`/workflows/${wf}/runs`)).body.runs as { id: string; status: string }[];
    expect(runs.map((r) => r.status)).toEqual(['running']);
    const runId = runs[0]!.id;

    const cancelledAt = Date.now();
    const cancel = await admin.post(`/runs/${runId}/cancel`);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect(cancel.body.status).toBe('cancelled');
    await waitFor('the Graph request to be dropped', async () => w.graph.dropped[0], 3_000);
    expect(Date.now() - cancelledAt).toBeLessThan(2_000);

    const run = await waitFor('the step in the log', async () => {
      const r = (await admin.get(`/runs/${runId}`)).body;
      return r.stepLog.length >= 1 ? r : undefined;
    }, 5_000);
    expect(run.status).toBe('cancelled');
    expect(run.stepLog).toEqual([expect.objectContaining({ stepId: 'say', status: 'failed', error: expect.stringMatching(/cancelled.*Meta may have it/) })]);
    expect(run.stepLog[0].output.delivery).toMatchObject({ status: 'unknown', externalId: null });

    const messages = (await admin.get(`/conversations/${conversation.id}`)).body.messages as { text: string; delivery?: { status: string } }[];
    expect(messages.filter((m) => m.text === 'Your order shipped').map((m) => m.delivery?.status)).toEqual(['unknown']);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(w.graph.sent).toHaveLength(1);
    expect(w.graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toHaveLength(1);
  });
}
