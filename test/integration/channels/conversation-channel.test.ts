import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messengerText, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { waitFor } from '../../support/wait';
import { createWorkflow } from '../engine-support';
import { startChannelWorld, type ChannelWorld } from './support';

// A conversation on the companion's own WhatsApp number or Facebook Page is on that channel for
// workflows too (`$conversation.channelType`, Conversation Opened's channel rule), as a Chatwoot
// inbox's conversation is on its inbox's channel (chatwoot/inboxes-suite.ts).
let w: ChannelWorld;
beforeEach(async () => { w = await startChannelWorld(); });
afterEach(async () => { await w.close(); });

describe('the channel of a conversation on Meta channels', () => {
  it('is whatsapp or messenger, and Conversation Opened\'s channel rule picks by it', async () => {
    const messengerOnly = await createWorkflow(w.server, {
      name: 'Messenger leads', trigger: { type: 'conversation_opened', conditions: { logic: 'and', rules: [{ field: 'channel', operator: 'is', value: 'messenger' }] } },
      steps: [{ id: 'w', type: 'wait', config: { seconds: 3600 } }],
    });
    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi' }))).status).toBe(200);
    const messenger = await w.deliver(messengerText({ psid: '6783371528424317', text: 'Hello' }));
    expect(messenger.status).toBe(200);
    const list = (await w.server.api(w.server.adminToken).get('/conversations')).body.conversations as { firstIncomingMessage: string; channelType: string; inboxName: string | null }[];
    expect(list.map((c) => [c.firstIncomingMessage, c.channelType, c.inboxName]).sort()).toEqual([['Hello', 'messenger', null], ['Hi', 'whatsapp', null]]);
    const runs = (await w.server.api(w.server.adminToken).get(`/workflows/${messengerOnly.id}/runs`)).body.runs;
    expect(runs).toHaveLength(1);
    expect(messenger.body.runIds).toEqual([runs[0].id]);
  });

  it('a WhatsApp conversation\'s Conversation Opened run reads $trigger.channelType whatsapp (no Chatwoot inbox: inboxName null)', async () => {
    const opened = await createWorkflow(w.server, {
      name: 'Where from', trigger: { type: 'conversation_opened' },
      steps: [{ id: 'n', type: 'add_comment', config: { text: 'channel {{$trigger.channelType}}' } }],
    });
    const delivered = await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi' }));
    expect(delivered.status).toBe(200);
    const admin = w.server.api(w.server.adminToken);
    const run = await waitFor('the Opened run to complete', async () => {
      const [r] = (await admin.get(`/workflows/${opened.id}/runs`)).body.runs as { id: string; status: string; conversationId: string }[];
      return r?.status === 'completed' ? r : undefined;
    });
    const detail = (await admin.get(`/conversations/${run.conversationId}`)).body as { messages: { kind: string; text: string }[] };
    expect(detail.messages.filter((m) => m.kind === 'comment').map((m) => m.text)).toEqual(['channel whatsapp']);
    expect((await admin.get(`/runs/${run.id}`)).body.variables.trigger).toMatchObject({ channel: 'whatsapp', channelType: 'whatsapp', inboxName: null });
  });
});
