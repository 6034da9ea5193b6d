import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { deliverThroughChannel } from '../../../server/channels/deliver';
import { waitForRun } from '../webhooks/support';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

let w: ChannelWorld;
beforeEach(async () => { w = await startChannelWorld(); });
afterEach(async () => { await w.close(); });

async function setup() {
  await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi' }));
  return conversationOf(w.server, 'phone=%2B14155550123');
}

describe('exactly-once sends', () => {
  it('a run resumed after a crash between the Graph call and the checkpoint does not send again', async () => {
    const { contact } = await setup();
    const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Only once' } }]);
    const run = await w.fire(wf, contact.id);
    expect(run.status).toBe('completed');
    expect(w.graph.sent).toHaveLength(1);
    // What a crash right after Meta answered leaves behind: the message row with Meta's id, but
    // neither the step's effect record nor the checkpoint.
    const db = w.server.store.db;
    await db.deleteFrom('step_effects').execute();
    await db.updateTable('runs').set({ status: 'queued', cursor: 0, step_log: '[]', ended_at: null, error: null }).where('id', '=', run.id).execute();
    w.server.app.services.runSignal.notify();
    const resumed = await waitForRun(w.server, run.id);
    expect(resumed.status).toBe('completed');
    expect(w.graph.sent).toHaveLength(1);
    const step = resumed.stepLog.find((s: { stepId: string }) => s.stepId === 'say');
    expect(step.notes.join(' ')).toMatch(/already attempted before a restart; Meta was not called again/);
    expect(step.output.delivery).toMatchObject({ status: 'accepted', externalId: w.graph.sent[0]!.id });
  });

  it('an attempt whose outcome is unknown (crash during the call) is reported, not resent', async () => {
    const { conversation } = await setup();
    const services = w.server.app.services;
    const row = await services.db.selectFrom('connections').selectAll().where('id', '=', w.whatsappId).executeTakeFirstOrThrow();
    // The attempt recorded before the call, then the process died: status pending, no Meta id.
    await services.db.insertInto('messages').values({
      id: 'msg_interrupted', conversation_id: conversation.id, direction: 'outgoing', kind: 'message', author_type: 'workflow', author_id: null,
      text: 'Half sent', created_at: new Date().toISOString(), connection_id: row.id, send_key: 'run_x:say', delivery_status: 'pending',
    }).execute();
    const result = await deliverThroughChannel(services, {
      connection: row, conversation: { ...conversation, connectionId: row.id }, spec: { kind: 'text', text: 'Half sent' },
      sendKey: 'run_x:say', author: { type: 'workflow', id: null }, cause: { source: 'workflow' },
    });
    expect(result).toMatchObject({ messageId: 'msg_interrupted', status: 'unknown', repeated: true });
    expect(result.error).toMatch(/may or may not have reached the customer; it is not sent again/);
    expect(w.graph.sent).toHaveLength(0);
    const msg = (await w.server.api(w.server.adminToken).get(`/conversations/${conversation.id}`)).body.messages.find((m: { id: string }) => m.id === 'msg_interrupted');
    expect(msg.delivery.status).toBe('unknown');
  });

  it('two concurrent sends with one key reach Meta once', async () => {
    const { conversation } = await setup();
    const services = w.server.app.services;
    const row = await services.db.selectFrom('connections').selectAll().where('id', '=', w.whatsappId).executeTakeFirstOrThrow();
    const send = () => deliverThroughChannel(services, {
      connection: row, conversation: { ...conversation, connectionId: row.id }, spec: { kind: 'text', text: 'Race' },
      sendKey: 'run_y:say', author: { type: 'workflow', id: null }, cause: { source: 'workflow' },
    });
    const results = await Promise.all([send(), send(), send()]);
    expect(w.graph.sent).toHaveLength(1);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
  });
});
