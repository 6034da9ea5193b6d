import { afterEach, beforeEach, expect, it } from 'vitest';
import { ChatwootResolveResult } from '../../../lib/contracts/chatwoot';
import { Run } from '../../../lib/contracts/runs';
import { describePg, pgUrl } from '../../support/postgres';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { eventsOf, startChatwootPair, type ChatwootPair } from './harness';

describePg('Chatwoot mirror and steps on PostgreSQL', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true, databaseUrl: pgUrl() }); });
  afterEach(async () => { await p.close(); });

  it('webhooks fire once (also when one delivery arrives twice at once), a shortcut reaches Chatwoot once, reconcile repairs a lost delivery', async () => {
    const opened = await createWorkflow(p.server, { name: 'o', trigger: { type: 'conversation_opened' }, steps: [{ id: 'w', type: 'wait', config: { seconds: 3600 } }] });
    const shortcut = await createWorkflow(p.server, { name: 'S', trigger: { type: 'shortcut', name: 'S' }, steps: [
      { id: 'note', type: 'add_comment', config: { text: 'Noted' } },
      { id: 'label', type: 'update_contact_tag', config: { action: 'add', tags: ['refund'] } },
    ] });
    const contact = p.cw.addContact({ name: 'Jane', phone_number: '+15551234567' });
    const conv = p.cw.addConversation({ contactId: contact.id, labels: ['shipping'], firstMessage: { content: 'Hi', incoming: true } });
    const created = p.cw.conversationPayload(conv.id, 'conversation_created');
    const answers = await Promise.all([p.hook(created, { deliveryId: 'same' }), p.hook(created, { deliveryId: 'same' })]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.filter((a) => a.body.duplicate)).toHaveLength(1);
    expect(await runsOf(p.server, opened.id)).toHaveLength(1);

    const { token } = await p.server.createUser('agent');
    const target = ChatwootResolveResult.parse((await p.server.api(token).get(`/chatwoot/conversations/resolve?origin=${encodeURIComponent(p.cw.url)}&accountId=1&conversationId=${conv.id}`)).body);
    p.cw.afterNextLabelsRead = () => { conv.labels = [...conv.labels, 'vip']; };
    const launched = await p.server.api(token).post(`/shortcuts/${shortcut.id}/launch`, { conversationId: target.conversationId, values: {} });
    const run = await waitFor('the run', async () => {
      const r = Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${launched.body.runId}`)).body);
      return ['completed', 'failed'].includes(r.status) ? r : undefined;
    });
    expect(run.status, run.error ?? '').toBe('completed');
    expect(p.cw.requests.filter((r) => r.method === 'POST').map((r) => r.path.split('/').at(-1))).toEqual(['messages', 'labels']);
    expect(conv.labels).toEqual(['shipping', 'vip', 'refund']);

    conv.status = 'resolved'; p.cw.touch(conv); // its webhook is lost
    await p.server.api(p.server.adminToken).post(`/chatwoot/accounts/${p.account.id}/sync`);
    expect(await eventsOf(p.server, 'conversation.closed')).toHaveLength(1);
    const tags = (await p.server.api(p.server.adminToken).get(`/contacts/${target.contactId}`)).body.tags;
    expect(tags.sort()).toEqual(['refund', 'shipping', 'vip']);
  });

  it('two different deliveries about one new conversation at the same moment open it once', async () => {
    const contact = p.cw.addContact({ name: 'Ray' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
    const answers = await Promise.all([
      p.hook(p.cw.conversationPayload(conv.id, 'conversation_created')),
      p.hook(p.cw.messagePayload(conv.id, conv.messages[0]!.id)),
      p.server.api(p.server.adminToken).post(`/chatwoot/accounts/${p.account.id}/sync`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await eventsOf(p.server, 'conversation.opened')).toHaveLength(1);
    expect(await eventsOf(p.server, 'message.created')).toHaveLength(1);
  });
});
