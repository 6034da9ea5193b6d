import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorkflow, defineField, runsOf } from '../engine-support';
import { eventsOf, startChatwootPair, type ChatwootPair } from './harness';

describe('Chatwoot webhooks become companion events', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair(); });
  afterEach(async () => { await p.close(); });

  const note = { id: 'n', type: 'add_comment' as const, config: { text: 'hi' } };
  const conversationFromWidget = () => {
    const contact = p.cw.addContact({ name: 'Jane Doe', email: 'Jane@Example.com', phone_number: '+15551234567' });
    return { contact, conv: p.cw.addConversation({ contactId: contact.id, firstMessage: { content: "Hi, my order #5531 hasn't arrived", incoming: true } }) };
  };

  it('conversation_created opens a conversation once, from the contact, mirrored with its Chatwoot id', async () => {
    const fromContact = await createWorkflow(p.server, { name: 'o', trigger: { type: 'conversation_opened', conditions: { logic: 'and', rules: [{ field: 'source', operator: 'is', value: 'contact' }] } }, steps: [note] });
    const fromUser = await createWorkflow(p.server, { name: 'u', trigger: { type: 'conversation_opened', conditions: { logic: 'and', rules: [{ field: 'source', operator: 'is', value: 'user' }] } }, steps: [note] });
    const { contact, conv } = conversationFromWidget();
    const body = p.cw.conversationPayload(conv.id, 'conversation_created');
    expect((await p.hook(body, { deliveryId: 'd-1' })).body).toMatchObject({ handled: true, duplicate: false });
    expect((await p.hook(body, { deliveryId: 'd-1' })).body).toMatchObject({ handled: false, duplicate: true });
    expect((await p.hook(body)).body).toMatchObject({ handled: true }); // no delivery id: a content key, and the state is already applied

    const conversations = await p.server.api(p.server.adminToken).get('/conversations?status=open');
    expect(conversations.body.conversations).toHaveLength(1);
    expect(conversations.body.conversations[0]).toMatchObject({
      connectionId: p.account.id, externalId: String(conv.id), openedBySource: 'contact', firstIncomingMessage: "Hi, my order #5531 hasn't arrived",
      contact: { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com', phone: '+15551234567' },
    });
    expect(await runsOf(p.server, fromContact.id)).toHaveLength(1);
    expect(await runsOf(p.server, fromUser.id)).toHaveLength(0);
    const identity = await p.server.store.db.selectFrom('channel_identities').selectAll().execute();
    expect(identity).toMatchObject([{ channel: `chatwoot:${p.account.id}`, external_id: String(contact.id) }]);
  });

  it('an agent-started conversation opens with source user, and matches the contact by phone', async () => {
    const existing = await p.server.api(p.server.adminToken).post('/contacts', { firstName: 'Known', phone: '+15557654321' });
    const contact = p.cw.addContact({ name: 'Someone', phone_number: '+1 555 765 4321' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello from support', incoming: false } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const [opened] = await eventsOf(p.server, 'conversation.opened');
    expect(opened).toMatchObject({ source: 'user', contactId: existing.body.id });
  });

  it('labels become tags, resolved closes, reopen opens again, each trigger once', async () => {
    const added = await createWorkflow(p.server, { name: 'a', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['shipping'] }, steps: [note] });
    const removed = await createWorkflow(p.server, { name: 'r', trigger: { type: 'contact_tag_updated', action: 'removed', tags: ['shipping'] }, steps: [note] });
    const closed = await createWorkflow(p.server, { name: 'c', trigger: { type: 'conversation_closed' }, steps: [note] });
    const { conv } = conversationFromWidget();
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));

    conv.labels = ['shipping']; p.cw.touch(conv);
    const labelled = p.cw.conversationPayload(conv.id, 'conversation_updated', { label_list: { previous_value: [], current_value: ['shipping'] } });
    await p.hook(labelled);
    await p.hook(labelled, { deliveryId: 'other-copy' });
    expect(await runsOf(p.server, added.id)).toHaveLength(1);

    conv.status = 'resolved'; p.cw.touch(conv);
    // Chatwoot sends both for one save (conversation.rb:274-305); status_changed has no changed_attributes.
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null));
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { status: { previous_value: 'open', current_value: 'resolved' } }));
    expect(await runsOf(p.server, closed.id)).toHaveLength(1);
    expect(await eventsOf(p.server, 'conversation.closed')).toMatchObject([{ source: 'user' }]);

    conv.status = 'open'; conv.labels = []; p.cw.touch(conv);
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { status: { previous_value: 'resolved', current_value: 'open' }, label_list: { previous_value: ['shipping'], current_value: [] } }));
    const opened = await eventsOf(p.server, 'conversation.opened');
    expect(opened).toHaveLength(2);
    expect(await runsOf(p.server, removed.id)).toHaveLength(1);
    const contact = (await p.server.api(p.server.adminToken).get(`/contacts/${opened[0]!.contactId}`)).body;
    expect(contact.tags).toEqual([]);
    // The customer's message had just arrived: the contact reopened it. An hour later, with no new message, an agent did.
    expect(opened[1]!.source).toBe('contact');
    conv.messages[0]!.created_at -= 3600;
    for (const status of ['resolved', 'open'] as const) {
      conv.status = status; p.cw.touch(conv);
      await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null));
    }
    expect((await eventsOf(p.server, 'conversation.opened')).map((e) => e.source)).toEqual(['contact', 'contact', 'user']);
  });

  it('a contact with two open Chatwoot conversations: the newer is open here, updates of the older open nothing', async () => {
    const { contact, conv: first } = conversationFromWidget();
    const second = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Also by email', incoming: true } });
    await p.hook(p.cw.conversationPayload(first.id, 'conversation_created'));
    await p.hook(p.cw.conversationPayload(second.id, 'conversation_created'));
    first.labels = ['vip']; p.cw.touch(first);
    await p.hook(p.cw.conversationPayload(first.id, 'conversation_updated', { label_list: { previous_value: [], current_value: ['vip'] } }));
    expect(await eventsOf(p.server, 'conversation.opened')).toHaveLength(2);
    expect(await eventsOf(p.server, 'conversation.closed')).toMatchObject([{ payload: { reason: 'superseded' } }]);
    const open = (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations;
    expect(open).toMatchObject([{ externalId: String(second.id), contact: { tags: ['vip'] } }]);
    // An agent opening the older one in Chatwoot (the extension resolves it) brings it back.
    const { token } = await p.server.createUser('agent');
    const resolved = await p.server.api(token).get(`/chatwoot/conversations/resolve?origin=${encodeURIComponent(p.cw.url)}&accountId=1&conversationId=${first.id}`);
    expect(resolved.body).toMatchObject({ status: 'open' });
    const nowOpen = (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations;
    expect(nowOpen).toMatchObject([{ externalId: String(first.id) }]);
  });

  it('an assignment made in Chatwoot follows to the companion user with the agent\'s email', async () => {
    const { user: bea } = await p.server.createUser('agent', { email: 'bea@example.com' });
    const { conv } = conversationFromWidget();
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const assigned = async () => (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations[0].assigneeId;
    conv.assigneeId = 8; p.cw.touch(conv);
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { assignee_id: { previous_value: null, current_value: 8 } }));
    expect(await assigned()).toBe(bea.id);
    expect(p.cw.requests.filter((r) => r.path.endsWith('/agents'))).toHaveLength(1);
    conv.assigneeId = 7; p.cw.touch(conv);
    const noUser = await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { assignee_id: { previous_value: 8, current_value: 7 } }));
    // Not Bea's any more (Chatwoot gave it to someone else): unassigned here, the note says to whom.
    expect(noUser.body.note).toMatch(/Chatwoot assigned it to agent alex@example\.com, who has no companion user; it shows as unassigned here/);
    expect(await assigned()).toBeNull();
    conv.assigneeId = null; p.cw.touch(conv);
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { assignee_id: { previous_value: 7, current_value: null } }));
    expect(await assigned()).toBeNull();
  });

  it('never applies an older state over a newer one', async () => {
    const { conv } = conversationFromWidget();
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const openState = p.cw.conversationPayload(conv.id, 'conversation_updated', { label_list: { previous_value: [], current_value: [] } });
    conv.status = 'resolved'; p.cw.touch(conv);
    const resolvedState = p.cw.conversationPayload(conv.id, 'conversation_status_changed', null);
    await p.hook(resolvedState);
    expect((await p.hook(openState)).body.note).toMatch(/older than the one applied/);
    const list = await p.server.api(p.server.adminToken).get('/conversations');
    expect(list.body.conversations.map((c: { status: string }) => c.status)).toEqual(['closed']);
    expect(await eventsOf(p.server, 'conversation.opened')).toHaveLength(1);
  });

  it('custom attribute changes update fields; an activity-only contact update starts nothing', async () => {
    await defineField(p.server, 'order_id');
    const fieldFlow = await createWorkflow(p.server, { name: 'f', trigger: { type: 'contact_field_updated', field: 'order_id' }, steps: [note] });
    const { contact, conv } = conversationFromWidget();
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const before = (await p.server.events()).length;

    await p.hook(p.cw.contactPayload(contact.id, 'contact_updated', { last_activity_at: { previous_value: null, current_value: '2025-12-30T10:26:12Z' }, updated_at: { previous_value: '2025-12-30T10:14:59Z', current_value: '2025-12-30T10:26:12Z' } }));
    expect((await p.server.events()).length).toBe(before);

    contact.custom_attributes = { order_id: '5531', plan: 'pro' };
    await p.hook(p.cw.contactPayload(contact.id, 'contact_updated', { custom_attributes: { previous_value: {}, current_value: contact.custom_attributes }, updated_at: { previous_value: '2025-12-30T10:26:12Z', current_value: '2025-12-30T10:30:00Z' } }));
    expect(await eventsOf(p.server, 'contact.field_updated')).toMatchObject([{ payload: { field: 'order_id', oldValue: null, newValue: '5531' } }]);
    expect(await runsOf(p.server, fieldFlow.id)).toHaveLength(1);
  });

  it('stores an incoming message once, as text rather than the HTML Chatwoot sends', async () => {
    const { conv } = conversationFromWidget();
    conv.messages[0]!.content = 'Tom & Jerry <b>not bold</b>';
    const msg = p.cw.messagePayload(conv.id, conv.messages[0]!.id);
    expect(msg.content).toContain('<p>');
    await p.hook(msg);
    await p.hook(msg, { deliveryId: 'resent' });
    const list = await p.server.api(p.server.adminToken).get('/conversations');
    const detail = await p.server.api(p.server.adminToken).get(`/conversations/${list.body.conversations[0].id}`);
    expect(detail.body.messages.map((m: { text: string; direction: string }) => [m.direction, m.text])).toEqual([['incoming', 'Tom & Jerry <b>not bold</b>']]);

    // An agent's reply (first response) and private note in Chatwoot are mirrored too.
    conv.messages.push({ id: 777, content: 'Looking into it', message_type: 1, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'User' });
    conv.messages.push({ id: 778, content: 'Carrier delayed', message_type: 1, private: true, created_at: Math.floor(Date.now() / 1000), sender_type: 'User' });
    await p.hook(p.cw.messagePayload(conv.id, 777));
    await p.hook(p.cw.messagePayload(conv.id, 778));
    const after = await p.server.api(p.server.adminToken).get(`/conversations/${list.body.conversations[0].id}`);
    expect(after.body.messages.map((m: { text: string; direction: string; kind: string }) => [m.direction, m.kind, m.text])).toEqual([
      ['incoming', 'message', 'Tom & Jerry <b>not bold</b>'], ['outgoing', 'message', 'Looking into it'], ['outgoing', 'comment', 'Carrier delayed'],
    ]);
    expect(after.body.firstResponseAt).not.toBeNull();
  });

  it('answers bad deliveries with a clear 4xx', async () => {
    expect((await p.cw.deliver(`${p.server.url}/chatwoot/webhook/unknown`, { event: 'contact_created' })).status).toBe(404);
    const url = p.account.webhookUrl;
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' })).status).toBe(415);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })).status).toBe(400);
    const missing = await p.hook({ event: 'conversation_created', id: 'x' });
    expect(missing.status).toBe(422);
    expect((await p.hook({ event: 'conversation_typing_on' })).body).toMatchObject({ handled: false });
  });

  it('refuses a delivery nested thousands of levels deep with 400, and still takes a normal one', async () => {
    const contact = p.cw.addContact({ name: 'Eve', custom_attributes: { plan: 'pro' } });
    const body = p.cw.contactPayload(contact.id, 'contact_updated', { custom_attributes: { previous_value: {}, current_value: { plan: 'pro' } } });
    // Found by the fuzzer: custom attributes 100,000 levels deep overflowed the stack where the
    // mirror stores them (a 500). Built as text: JSON.stringify itself would overflow.
    const text = JSON.stringify({ ...body, custom_attributes: '@@deep@@' }).replace('"@@deep@@"', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
    const deep = await fetch(p.account.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({ error: { code: 'too_deep', message: expect.stringMatching(/more than 64 levels deep/) } });
    expect((await p.hook(body)).body).toMatchObject({ handled: true });
    expect((await p.server.request('GET', '/healthz')).status).toBe(200);
  });
});

describe('signed Chatwoot webhooks (Chatwoot ≥ 4.11.2)', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ webhookSecret: 'cw-webhook-secret-1' }); });
  afterEach(async () => { await p.close(); });

  it('accepts a signed delivery once and refuses unsigned or tampered ones', async () => {
    const contact = p.cw.addContact({ name: 'Sam' });
    const body = p.cw.contactPayload(contact.id, 'contact_created');
    expect((await p.hook(body, { unsigned: true })).status).toBe(401);
    const tampered = await p.cw.deliver(p.account.webhookUrl, body, { secret: 'another-secret' });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.message).toMatch(/does not match/);
    const stale = await p.cw.deliver(p.account.webhookUrl, body, { secret: 'cw-webhook-secret-1', timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(stale.status).toBe(401);
    expect((await p.hook(body, { deliveryId: 'abc' })).body).toMatchObject({ handled: true });
    expect((await p.hook(body, { deliveryId: 'abc' })).body).toMatchObject({ duplicate: true });
    expect(await eventsOf(p.server, 'contact.created')).toHaveLength(1);
  });
});

describe('Chatwoot webhook rate limit', () => {
  it('answers 429 past WEBHOOK_RATE_LIMIT_PER_MINUTE deliveries to one URL', async () => {
    const p = await startChatwootPair({ env: { WEBHOOK_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const body = { event: 'conversation_typing_on' };
      expect([(await p.hook(body)).status, (await p.hook(body)).status, (await p.hook(body)).status]).toEqual([200, 200, 429]);
    } finally {
      await p.close();
    }
  });
});
