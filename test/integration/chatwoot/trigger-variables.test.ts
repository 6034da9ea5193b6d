import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CwStandinMessage } from '../../support/chatwoot-standin';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

const note = { id: 'n', type: 'add_comment' as const, config: { text: 'hi' } };

describe('Conversation Opened on a Chatwoot conversation: $trigger variables', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair(); });
  afterEach(async () => { await p.close(); });
  const sync = async () => expect((await p.server.api(p.server.adminToken).post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(200);

  // `webhook`: Chatwoot's delivery arrives; `sync`: it was lost and the next sync catches up.
  it.each(['webhook', 'sync'] as const)('a new conversation (%s): channel chatwoot and the customer\'s message', async (via) => {
    const opened = await createWorkflow(p.server, { name: 'o', trigger: { type: 'conversation_opened' }, steps: [note] });
    const contact = p.cw.addContact({ name: 'Jane' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Where is my parcel?', incoming: true } });
    if (via === 'webhook') await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    else await sync();
    const [run] = await runsOf(p.server, opened.id);
    expect(run!.variables.trigger).toMatchObject({ channel: 'chatwoot', firstIncomingMessage: 'Where is my parcel?', source: 'contact' });
  });

  it.each(['webhook', 'sync'] as const)('a reopen caused by the customer\'s message (%s): channel chatwoot and that message', async (via) => {
    const opened = await createWorkflow(p.server, { name: 'o', trigger: { type: 'conversation_opened' }, steps: [note] });
    const closed = await createWorkflow(p.server, { name: 'c', trigger: { type: 'conversation_closed' }, steps: [note] });
    const contact = p.cw.addContact({ name: 'Jane' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Where is my parcel?', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    await p.hook(p.cw.messagePayload(conv.id, conv.messages[0]!.id));
    conv.status = 'resolved'; p.cw.touch(conv);
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null));

    // The customer writes again: Chatwoot reopens the conversation on the message (message.rb:369-388).
    const msg: CwStandinMessage = { id: 88_001, content: 'It arrived broken', message_type: 0, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'Contact' };
    conv.messages.push(msg);
    conv.status = 'open'; conv.last_activity_at = msg.created_at; p.cw.touch(conv);
    if (via === 'webhook') await p.hook(p.cw.messagePayload(conv.id, msg.id));
    else await sync();

    const [open] = (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations;
    expect(open).toMatchObject({ externalId: String(conv.id), firstIncomingMessage: 'It arrived broken' });
    const runs = await runsOf(p.server, opened.id);
    expect(runs).toHaveLength(2);
    const reopen = runs.find((r) => r.conversationId === open.id);
    expect(reopen?.variables.trigger).toMatchObject({ channel: 'chatwoot', firstIncomingMessage: 'It arrived broken', source: 'contact' });
    expect((await runsOf(p.server, closed.id))[0]!.variables.trigger).toMatchObject({ channel: 'chatwoot' });
  });
});
