import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerConnector, type Connector } from '../../../server/connectors/registry';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// send_message on a conversation of another kind of connection (an inbox connector such as
// Chatwoot) goes to that connector's plain sendMessage, not to the Graph API.
let w: ChannelWorld;
beforeEach(async () => { w = await startChannelWorld(); });
afterEach(async () => { await w.close(); });

describe('send_message on a non-Meta connection', () => {
  it('hands the rendered text to the connector’s sendMessage and nothing reaches Meta', async () => {
    const received: { text: string; key: string }[] = [];
    registerConnector({
      kind: 'test_inbox',
      async sendMessage(call: { idempotencyKey: string }, input: { text: string }) { received.push({ text: input.text, key: call.idempotencyKey }); return { sentTo: 'test_inbox' }; },
    } as Connector);
    await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi', name: 'Ana Lima' }));
    const { contact, conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
    const now = new Date().toISOString();
    await w.server.store.db.insertInto('connections').values({ id: 'cnn_test', kind: 'test_inbox', name: 'Test inbox', config: '{}', secrets: '', status: 'active', last_synced_at: null, last_error: null, created_at: now, updated_at: now }).execute();
    await w.server.store.db.updateTable('conversations').set({ connection_id: 'cnn_test', external_id: '7' }).where('id', '=', conversation.id).execute();
    const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Hello {{$contact.firstName}}' } }]);
    const run = await w.fire(wf, contact.id);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(received).toEqual([{ text: 'Hello Ana', key: `${run.id}:say` }]);
    expect(run.stepLog.find((s: { stepId: string }) => s.stepId === 'say').output).toEqual({ sentTo: 'test_inbox' });
    expect(w.graph.sent).toHaveLength(0);
  });
});
