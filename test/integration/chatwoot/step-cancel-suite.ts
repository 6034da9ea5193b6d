import { expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import type { ChatwootPair } from './harness';

/**
 * Registered by step-cancel.test.ts (SQLite) and step-cancel.pg.test.ts (PostgreSQL). Cancelling
 * a run while Chatwoot is slow to answer its send_message drops the request at once (n8n's Stop
 * execution); Chatwoot has saved the message by then, so it is never posted again.
 */
export function chatwootStepCancelSuite(pair: () => ChatwootPair) {
  it('a cancel during a slow Chatwoot post ends the run at once, and the message is not posted again', async () => {
    const p = pair();
    const runOf = async (id: string) => Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${id}`)).body);
    const posts = () => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    // Chatwoot saved the message, then takes its time to answer.
    p.cw.beforeNextMessageAnswer = () => new Promise((r) => setTimeout(r, 8_000));
    const flow = await createWorkflow(p.server, { name: 'on open', trigger: { type: 'conversation_opened' }, steps: [
      { id: 'hi', type: 'send_message', config: { text: 'Welcome!' } },
      { id: 'after', type: 'add_comment', config: { text: 'not after a cancel' } },
    ] } as never);
    const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBeLessThan(300);
    await waitFor('the post to reach Chatwoot', async () => posts()[0], 10_000);
    const [run] = await runsOf(p.server, flow.id);
    expect(run!.status).toBe('running');

    const cancelledAt = Date.now();
    const cancel = await p.server.api(p.server.adminToken).post(`/runs/${run!.id}/cancel`);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect(cancel.body.status).toBe('cancelled');
    const logged = await waitFor('the step in the cancelled run\'s log', async () => { const r = await runOf(run!.id); return r.stepLog.length >= 1 ? r : undefined; }, 3_000);
    expect(Date.now() - cancelledAt).toBeLessThan(2_000);
    expect(logged.status).toBe('cancelled');
    expect(logged.stepLog).toEqual([expect.objectContaining({
      stepId: 'hi', status: 'failed', error: expect.stringMatching(/^Cancelled \(the run was cancelled\) during POST .*\/messages: its request had been sent, so Chatwoot may have it/),
    })]);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(posts()).toHaveLength(1);
    expect(conv.messages.filter((m) => m.message_type === 1).map((m) => m.content)).toEqual(['Welcome!']);
  });
}
