import { afterEach, describe, expect, it } from 'vitest';
import { ChatwootAccount, ChatwootSyncResult } from '../../../lib/contracts/chatwoot';
import { waitFor } from '../../support/wait';
import { createWorkflow, defineField, runsOf } from '../engine-support';
import { before, customerWrites, importedEvents, startChatwootPair, type ChatwootPair } from './harness';

const note = { id: 'n', type: 'add_comment' as const, config: { text: 'Welcome!' } };

describe('the first sync of a Chatwoot account imports what it already had, silently', () => {
  let p: ChatwootPair;
  afterEach(async () => { await p.close(); });
  const sync = async () => {
    const res = await p.server.api(p.server.adminToken).post(`/chatwoot/accounts/${p.account.id}/sync`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ChatwootSyncResult.parse(res.body);
  };

  it('Sync now right after connecting starts no workflow on the open conversations, labels and attributes already there; a conversation opened since still fires', async () => {
    p = await startChatwootPair();
    await defineField(p.server, 'plan');
    const opened = await createWorkflow(p.server, { name: 'welcome', trigger: { type: 'conversation_opened' }, steps: [note] });
    const tagged = await createWorkflow(p.server, { name: 'vip', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, steps: [note] });
    const field = await createWorkflow(p.server, { name: 'plan', trigger: { type: 'contact_field_updated', field: 'plan' }, steps: [note] });
    const jane = p.cw.addContact({ name: 'Jane Doe', custom_attributes: { plan: 'pro' } });
    const janes = before(p.cw.addConversation({ contactId: jane.id, labels: ['vip'], firstMessage: { content: 'Where is my parcel?', incoming: true } }));
    const bob = p.cw.addContact({ name: 'Bob' });
    before(p.cw.addConversation({ contactId: bob.id, status: 'pending', firstMessage: { content: 'Hello from support', incoming: false } }), 3);
    const carol = p.cw.addContact({ name: 'Carol' });
    before(p.cw.addConversation({ contactId: carol.id, status: 'resolved', labels: ['vip'] }), 7);
    // Opened after the account was connected; its conversation_created delivery was lost.
    const dan = p.cw.addContact({ name: 'Dan' });
    const dans = p.cw.addConversation({ contactId: dan.id, firstMessage: { content: 'Is anyone there?', incoming: true } });

    const outcome = await sync();
    expect(outcome.conversations).toBe(4);
    expect(p.cw.requests.every((r) => r.method === 'GET')).toBe(true);

    const runs = await runsOf(p.server, opened.id);
    expect(runs).toHaveLength(1);
    const conversations = (await p.server.api(p.server.adminToken).get('/conversations')).body.conversations;
    const byExternal = Object.fromEntries(conversations.map((c: { externalId: string }) => [c.externalId, c]));
    expect(runs[0]!.conversationId).toBe(byExternal[String(dans.id)].id);
    expect(await runsOf(p.server, tagged.id)).toHaveLength(0);
    expect(await runsOf(p.server, field.id)).toHaveLength(0);
    // Mirrored all the same: open conversations, tags, fields, the customer's message.
    expect(byExternal[String(janes.id)]).toMatchObject({ status: 'open', contact: { tags: ['vip'], fields: { plan: 'pro' } }, firstIncomingMessage: 'Where is my parcel?' });
    expect(conversations.filter((c: { status: string }) => c.status === 'open')).toHaveLength(3);
    // Recorded as imported (the events table says why nothing ran); not counted as repairs.
    expect(await importedEvents(p)).toEqual(expect.arrayContaining(['conversation.opened', 'contact.tag_added', 'contact.field_updated']));
    expect((await importedEvents(p)).filter((t) => t === 'conversation.opened')).toHaveLength(2);
    expect(outcome.repaired).toBeGreaterThan(0);
    expect((await sync()).repaired).toBe(0);

    // Once imported, changes are news again: a label added in Chatwoot, a resolve and a customer's reopen.
    janes.labels = ['vip', 'refund']; p.cw.touch(janes);
    janes.status = 'resolved'; p.cw.touch(janes);
    await sync();
    customerWrites(p, janes, 'Me again');
    await sync();
    expect(await runsOf(p.server, opened.id)).toHaveLength(2);
  });

  it('an old conversation the import did not see (resolved then), reopened by the customer since, fires on the sync that catches it', async () => {
    p = await startChatwootPair();
    const opened = await createWorkflow(p.server, { name: 'welcome', trigger: { type: 'conversation_opened' }, steps: [note] });
    const someone = p.cw.addContact({ name: 'Someone' });
    before(p.cw.addConversation({ contactId: someone.id, firstMessage: { content: 'Still open', incoming: true } }));
    // More resolved conversations than the import's one page of recent activity (25).
    for (let i = 0; i < 25; i++) before(p.cw.addConversation({ contactId: p.cw.addContact({ name: `Past ${i}` }).id, status: 'resolved' }), 2);
    const erin = p.cw.addContact({ name: 'Erin' });
    const old = before(p.cw.addConversation({ contactId: erin.id, status: 'resolved', firstMessage: { content: 'Thanks, bye', incoming: true } }), 90);
    await sync();
    expect(await runsOf(p.server, opened.id)).toHaveLength(0);

    customerWrites(p, old, 'My order is wrong again');
    await sync();
    const runs = await runsOf(p.server, opened.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.variables.trigger).toMatchObject({ channel: 'chatwoot', firstIncomingMessage: 'My order is wrong again', source: 'contact' });
  });

  it('the periodic sync imports silently as well', async () => {
    const flows: { opened?: string; tagged?: string } = {};
    p = await startChatwootPair({
      config: { chatwootSyncSeconds: 1 }, workers: true,
      beforeConnect: async (server, cw) => {
        flows.opened = (await createWorkflow(server, { name: 'welcome', trigger: { type: 'conversation_opened' }, steps: [note] })).id;
        flows.tagged = (await createWorkflow(server, { name: 'vip', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, steps: [note] })).id;
        const jane = cw.addContact({ name: 'Jane' });
        before(cw.addConversation({ contactId: jane.id, labels: ['vip'], firstMessage: { content: 'Hi', incoming: true } }));
      },
    });
    await waitFor('the periodic sync', async () => {
      const account = ChatwootAccount.parse((await p.server.api(p.server.adminToken).get(`/chatwoot/accounts/${p.account.id}`)).body);
      return account.lastSyncedAt ?? undefined;
    });
    expect((await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations).toHaveLength(1);
    expect(await runsOf(p.server, flows.opened!)).toHaveLength(0);
    expect(await runsOf(p.server, flows.tagged!)).toHaveLength(0);
  });

  it('before the import, a delivery about an old conversation mirrors it silently; one reporting a reopen fires', async () => {
    p = await startChatwootPair();
    const opened = await createWorkflow(p.server, { name: 'welcome', trigger: { type: 'conversation_opened' }, steps: [note] });
    const jane = p.cw.addContact({ name: 'Jane' });
    const janes = before(p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Hi', incoming: true } }));
    const msg = customerWrites(p, janes, 'Any news?');
    expect((await p.hook(p.cw.messagePayload(janes.id, msg.id))).body).toMatchObject({ handled: true });
    expect(await runsOf(p.server, opened.id)).toHaveLength(0);

    const bob = p.cw.addContact({ name: 'Bob' });
    const bobs = before(p.cw.addConversation({ contactId: bob.id, status: 'resolved', firstMessage: { content: 'Thanks', incoming: true } }), 30);
    bobs.status = 'open'; p.cw.touch(bobs);
    await p.hook(p.cw.conversationPayload(bobs.id, 'conversation_updated', { status: { previous_value: 'resolved', current_value: 'open' } }));
    expect(await runsOf(p.server, opened.id)).toHaveLength(1);
  });
});
