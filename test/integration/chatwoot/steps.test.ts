import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatwootResolveResult } from '../../../lib/contracts/chatwoot';
import { Run } from '../../../lib/contracts/runs';
import { waitFor } from '../../support/wait';
import { createWorkflow, defineField, runsOf } from '../engine-support';
import { eventsOf, startChatwootPair, type ChatwootPair } from './harness';

const posts = (p: ChatwootPair, suffix: string) => p.cw.requests.filter((r) => r.method !== 'GET' && r.path.endsWith(suffix));

async function finished(p: ChatwootPair, runId: string) {
  return waitFor(`run ${runId} to end`, async () => {
    const run = Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${runId}`)).body);
    return ['completed', 'failed'].includes(run.status) ? run : undefined;
  });
}

describe('steps act on Chatwoot when the conversation lives there', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
  afterEach(async () => { await p.close(); });

  async function chatwootConversation() {
    const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: contact.id, labels: ['shipping'], firstMessage: { content: 'Refund please', incoming: true } });
    return { contact, conv };
  }
  const resolve = (token: string, conversationId: number) =>
    p.server.api(token).get(`/chatwoot/conversations/resolve?origin=${encodeURIComponent(`${p.cw.url}/app/accounts/1`)}&accountId=1&conversationId=${conversationId}`);

  it('a shortcut launched from Chatwoot adds a private note and a label once, keeping labels set meanwhile', async () => {
    const tagged = await createWorkflow(p.server, { name: 'on refund', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['refund'] }, steps: [{ id: 'w', type: 'wait', config: { seconds: 3600 } }] });
    const shortcut = await createWorkflow(p.server, {
      name: 'Refund', trigger: { type: 'shortcut', name: 'Refund', form: { fields: [{ label: 'Amount', type: 'number', variable: 'amount', required: true }] } },
      steps: [
        { id: 'note', type: 'add_comment', config: { text: 'Refund of {{$trigger.amount}} requested' } },
        { id: 'label', type: 'update_contact_tag', config: { action: 'add', tags: ['refund', 'not-in-chatwoot'] } },
      ],
    });
    const { conv } = await chatwootConversation();
    const { token } = await p.server.createUser('agent');
    // Not mirrored yet: resolving reads it from Chatwoot on demand.
    const resolved = await resolve(token, conv.id);
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    const target = ChatwootResolveResult.parse(resolved.body);
    expect(target).toMatchObject({ connectionId: p.account.id, status: 'open' });
    expect(ChatwootResolveResult.parse((await resolve(token, conv.id)).body).conversationId).toBe(target.conversationId);

    // An agent adds "vip" in Chatwoot between the step's first read of the labels and its write.
    p.cw.afterNextLabelsRead = () => { conv.labels = [...conv.labels, 'vip']; };
    const launched = await p.server.api(token).post(`/shortcuts/${shortcut.id}/launch`, { conversationId: target.conversationId, values: { amount: '12.5' } });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const run = await finished(p, launched.body.runId);
    expect(run.status, run.error ?? '').toBe('completed');

    expect(posts(p, `/conversations/${conv.id}/messages`).map((r) => r.body)).toEqual([{ content: 'Refund of 12.5 requested', message_type: 'outgoing', private: true }]);
    expect(posts(p, `/conversations/${conv.id}/labels`).map((r) => r.body)).toEqual([{ labels: ['shipping', 'vip', 'refund', 'not-in-chatwoot'] }]);
    expect(conv.labels).toEqual(['shipping', 'vip', 'refund']);
    const labelStep = run.stepLog.find((e) => e.stepId === 'label')!;
    expect(labelStep.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Chatwoot POST \/api\/v1\/accounts\/1\/conversations\/\d+\/labels → 200 ok$/),
      expect.stringMatching(/no label "not-in-chatwoot".*Settings → Labels/),
    ]));
    expect(run.stepLog.find((e) => e.stepId === 'note')!.notes).toEqual([expect.stringMatching(/^Chatwoot POST .*\/messages → 200 ok$/)]);

    // Chatwoot's echo of the change starts nothing twice; the label set meanwhile arrives as a tag.
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { label_list: { previous_value: ['shipping'], current_value: conv.labels } }));
    expect(await runsOf(p.server, tagged.id)).toHaveLength(1);
    const contact = (await p.server.api(p.server.adminToken).get(`/contacts/${target.contactId}`)).body;
    // A tag Chatwoot has no label for is the contact's all the same (workflows go by the contact's tags).
    expect(contact.tags.sort()).toEqual(['not-in-chatwoot', 'refund', 'shipping', 'vip']);
    const detail = (await p.server.api(p.server.adminToken).get(`/conversations/${target.conversationId}`)).body;
    expect(detail.messages.map((m: { kind: string; text: string }) => [m.kind, m.text])).toContainEqual(['comment', 'Refund of 12.5 requested']);
    // The local copy of the note says which workflow wrote it, as a built-in conversation's does.
    expect(detail.messages.find((m: { text: string }) => m.text === 'Refund of 12.5 requested').author).toEqual({ type: 'workflow', id: shortcut.id, name: 'Refund' });
  });

  it('sends, sets attributes, assigns by email, closes and reopens through Chatwoot', async () => {
    await defineField(p.server, 'order_id');
    const { user: bea } = await p.server.createUser('agent', { name: 'Bea', email: 'BEA@example.com' });
    const flow = await createWorkflow(p.server, {
      name: 'all', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
      steps: [
        { id: 'send', type: 'send_message', config: { text: 'On it, {{$contact.firstName}}!' } },
        { id: 'field', type: 'update_contact_field', config: { field: 'order_id', value: '5531' } },
        { id: 'assign', type: 'assign_to', config: { userId: bea.id } },
        { id: 'close', type: 'close_conversation', config: { summary: 'done' } },
        { id: 'open', type: 'open_conversation', config: {} },
      ],
    });
    const { contact, conv } = await chatwootConversation();
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    conv.labels = ['shipping', 'go']; p.cw.touch(conv);
    p.cw.accountLabels.add('go');
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { label_list: { previous_value: ['shipping'], current_value: ['shipping', 'go'] } }));
    const [started] = await runsOf(p.server, flow.id);
    const run = await finished(p, started!.id);
    expect(run.status, run.error ?? '').toBe('completed');

    expect(posts(p, '/messages').map((r) => r.body)).toEqual([{ content: 'On it, Jane!', message_type: 'outgoing', private: false }]);
    expect(p.cw.contacts.get(contact.id)!.custom_attributes).toEqual({ order_id: '5531' });
    expect(posts(p, '/assignments').map((r) => r.body)).toEqual([{ assignee_id: 8 }]);
    expect(posts(p, '/toggle_status').map((r) => r.body)).toEqual([{ status: 'resolved' }, { status: 'open' }]);
    expect(conv.status).toBe('open');
    const closed = await eventsOf(p.server, 'conversation.closed');
    expect(closed).toMatchObject([{ source: 'workflow', payload: { summary: 'done' } }]);
    const opened = await eventsOf(p.server, 'conversation.opened');
    expect(opened.map((e) => e.source)).toEqual(['contact', 'workflow']);
    const list = (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations;
    expect(list).toMatchObject([{ externalId: String(conv.id), connectionId: p.account.id }]);
    expect(list[0].contact.fields).toEqual({ order_id: '5531' });
  });

  it('says so when a companion user has no Chatwoot agent, and never posts a message twice', async () => {
    const { user } = await p.server.createUser('agent', { email: 'nobody@example.com' });
    const flow = await createWorkflow(p.server, { name: 'x', trigger: { type: 'conversation_opened' }, steps: [{ id: 'assign', type: 'assign_to', config: { userId: user.id } }] });
    const { conv } = await chatwootConversation();
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const [started] = await runsOf(p.server, flow.id);
    const run = await finished(p, started!.id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/No Chatwoot agent has the email nobody@example\.com/);
    expect(posts(p, '/assignments')).toEqual([]);

    // A send whose attempt was recorded but whose answer never came (a crash) is not repeated.
    const { chatwootConnector } = await import('../../../server/connectors/chatwoot/connector');
    const connection = await p.server.store.db.selectFrom('connections').selectAll().executeTakeFirstOrThrow();
    const conversation = (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations[0];
    const call = { services: p.server.app.services, connection, conversation, idempotencyKey: 'run_x:send', note: () => {} };
    const sent = await chatwootConnector.sendMessage!(call, { text: 'once' });
    // Posted and stored: the same key answers what was stored.
    expect(await chatwootConnector.sendMessage!(call, { text: 'once' })).toEqual(sent);
    await p.server.store.db.insertInto('step_effects').values({ key: 'run_y:send:attempt', result: '"attempted"', created_at: new Date().toISOString() }).execute();
    await expect(chatwootConnector.sendMessage!({ ...call, idempotencyKey: 'run_y:send' }, { text: 'once' })).rejects.toThrow(/not posted again/);
    expect(posts(p, '/messages')).toHaveLength(1);
  });
});
