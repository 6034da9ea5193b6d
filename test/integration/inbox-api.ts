import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { Conversation, ConversationDetail } from '../../lib/contracts/conversations';
import { addMessage, closeConversation } from '../../server/domain/conversations';
import { inTransaction, roundReads } from '../../server/events/unit-of-work';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * The inbox domain API over real HTTP. Registered by inbox-api.test.ts (SQLite) and
 * inbox-api.pg.test.ts (PostgreSQL): `databaseUrl` undefined means SQLite.
 */
export function inboxApiSuite(databaseUrl: () => string | undefined) {
  let s: TestServer;
  let admin: Api;
  let agent: Api;
  let agentId: string;

  beforeEach(async () => {
    s = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    admin = s.api(s.adminToken);
    const a = await s.createUser('agent');
    agent = s.api(a.token);
    agentId = a.user.id;
  });
  afterEach(async () => { await s.close(); });

  const newContact = async (body: Record<string, unknown> = {}) => {
    const res = await agent.post('/contacts', { firstName: 'Maria', lastName: 'Garcia', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Contact.parse(res.body);
  };
  const openFor = async (contactId: string, api = agent, extra: Record<string, unknown> = {}) => {
    const res = await api.post('/conversations', { contactId, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Conversation.parse(res.body);
  };

  describe('contacts', () => {
    it('searches names, emails and phones ignoring case, with "%" and "_" taken as themselves', async () => {
      const john = await newContact({ firstName: 'John', lastName: 'Doe', email: 'john_doe@example.com' });
      const johnny = await newContact({ firstName: 'Johnny', lastName: 'Doeman', email: 'johnxdoe@example.com' });
      const percent = await newContact({ firstName: '100% Club', lastName: '' });
      const found = async (q: string) => (await agent.get(`/contacts?q=${encodeURIComponent(q)}`)).body.contacts.map((x: Contact) => x.id).sort();
      expect(await found('john')).toEqual([john.id, johnny.id].sort());
      expect(await found('DOEMAN')).toEqual([johnny.id]);
      expect(await found('john_doe')).toEqual([john.id]);
      expect(await found('100%')).toEqual([percent.id]);
      expect(await found('%')).toEqual([percent.id]);
      expect(await found('\\')).toEqual([]);
    });

    it('creates, reads, finds by phone and email, and updates a contact', async () => {
      const c = await newContact({ phone: '+34600111222', email: 'Maria@Example.com', tags: ['new'] });
      expect(c).toMatchObject({ firstName: 'Maria', phone: '+34600111222', email: 'maria@example.com', tags: ['new'], fields: {} });
      expect((await agent.get(`/contacts/${c.id}`)).body).toEqual(c);
      expect((await agent.get('/contacts?phone=%2B34600111222')).body.contacts.map((x: Contact) => x.id)).toEqual([c.id]);
      expect((await agent.get('/contacts?email=MARIA@example.com')).body.contacts.map((x: Contact) => x.id)).toEqual([c.id]);
      expect((await agent.get('/contacts?phone=%2B10000000000')).body.contacts).toEqual([]);

      const patched = await agent.patch(`/contacts/${c.id}`, { lastName: 'García López', email: 'maria.g@example.com', phone: null });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ lastName: 'García López', email: 'maria.g@example.com', phone: null });

      const events = await s.events();
      expect(events.map((e) => [e.type, e.source])).toEqual([
        ['contact.created', 'user'], ['contact.tag_added', 'user'], ['contact.updated', 'user'],
        // standard fields fire Contact Field Updated as custom ones do
        ['contact.field_updated', 'user'], ['contact.field_updated', 'user'], ['contact.field_updated', 'user'],
      ]);
      expect(events.slice(3).map((e) => [e.payload.field, e.payload.oldValue, e.payload.newValue])).toEqual([
        ['lastName', 'Garcia', 'García López'], ['phone', '+34600111222', null], ['email', 'maria@example.com', 'maria.g@example.com'],
      ]);
      expect(events[2]!.payload).toEqual({ contactId: c.id, changes: ['lastName', 'phone', 'email'] });
      expect(events.every((e) => e.contactId === c.id)).toBe(true);
    });

    it('records nothing for a patch that changes nothing', async () => {
      const c = await newContact();
      expect((await agent.patch(`/contacts/${c.id}`, { firstName: 'Maria' })).status).toBe(200);
      expect((await s.events('contact.updated'))).toEqual([]);
    });

    it.each([
      ['phone on create', { phone: '+14155550123' }, { phone: '+14155550123' }, 'create'],
      ['phone on create (written with spaces)', { phone: '+14155550123' }, { phone: '+1 415 555 0123' }, 'create'],
      ['email on create (any case)', { email: 'ann@example.com' }, { email: 'ANN@example.com' }, 'create'],
      ['phone on update', { phone: '+14155550123' }, { phone: '+14155550123' }, 'patch'],
      ['email on update', { email: 'ann@example.com' }, { email: 'ann@example.com' }, 'patch'],
    ])('answers 409 for a duplicate %s', async (_name, first, second, how) => {
      await newContact(first);
      const res = how === 'create'
        ? await agent.post('/contacts', second)
        : await agent.patch(`/contacts/${(await newContact()).id}`, second);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('conflict');
      expect(res.body.error.message).toMatch(Object.keys(first)[0]!);
    });

    // "+1 415 555 0123" is international format too: stored as +14155550123 (contact-phone.test.ts).
    it.each([
      ['14155550123', /Start with \+ and the country code/],
      ['+0123456789', /never starts with 0/],
      ['+1234', /7 to 15 digits/],
      ['phone', /Start with \+ and the country code/],
    ])('refuses the phone %j with a 422 saying what to fix', async (phone, message) => {
      const res = await agent.post('/contacts', { phone });
      expect(res.status).toBe(422);
      expect(res.body.error.details).toContainEqual({ path: 'body.phone', message: expect.stringMatching(message) });
    });

    it('adds and removes tags, recording only real changes', async () => {
      const c = await newContact();
      const added = await agent.post(`/contacts/${c.id}/tags`, { tags: ['vip', 'vip', 'billing', 'ünïcode tag'] });
      expect(added.status).toBe(200);
      expect(added.body.tags).toEqual(['vip', 'billing', 'ünïcode tag']);
      expect((await agent.post(`/contacts/${c.id}/tags`, { tags: ['vip'] })).body.tags).toHaveLength(3);
      const removed = await agent.del(`/contacts/${c.id}/tags/${encodeURIComponent('ünïcode tag')}`);
      expect(removed.status).toBe(200);
      expect(removed.body.tags).toEqual(['vip', 'billing']);
      expect((await agent.del(`/contacts/${c.id}/tags/absent`)).status).toBe(200);
      const events = (await s.events()).filter((e) => e.type.startsWith('contact.tag'));
      expect(events.map((e) => [e.type, e.payload.tag, e.source])).toEqual([
        ['contact.tag_added', 'vip', 'user'], ['contact.tag_added', 'billing', 'user'], ['contact.tag_added', 'ünïcode tag', 'user'],
        ['contact.tag_removed', 'ünïcode tag', 'user'],
      ]);
      expect((await agent.get(`/contacts/${c.id}`)).body.tags).toEqual(['vip', 'billing']);
    });

    it('answers 404 for tags of an unknown contact', async () => {
      expect((await agent.post('/contacts/con_nope/tags', { tags: ['x'] })).status).toBe(404);
      expect((await agent.del('/contacts/con_nope/tags/x')).status).toBe(404);
    });
  });

  describe('custom fields', () => {
    const defs = [
      ['order_id', { label: 'Order ID', type: 'text' }],
      ['score', { label: 'Score', type: 'number' }],
      ['plan', { label: 'Plan', type: 'list', options: ['Free', 'Pro'] }],
      ['vip', { label: 'VIP', type: 'checkbox' }],
      ['callback', { label: 'Callback', type: 'date' }],
      ['site', { label: 'Site', type: 'url' }],
      ['alt_phone', { label: 'Alt phone', type: 'phone' }],
      ['alt_email', { label: 'Alt email', type: 'email' }],
    ] as const;
    beforeEach(async () => {
      for (const [key, def] of defs) expect((await admin.put(`/fields/${key}`, def)).status).toBe(200);
    });

    it('lists definitions and stores typed values', async () => {
      const list = await agent.get('/fields');
      expect(list.body.fields.map((f: { key: string }) => f.key)).toEqual(defs.map(([k]) => k).sort());
      const values = { order_id: 'A-1', score: 4.5, plan: 'Pro', vip: true, callback: '2030-01-31', site: 'https://example.com/x', alt_phone: '+4915112345678', alt_email: 'a@b.co' };
      const c = await newContact({ fields: values });
      expect(c.fields).toEqual(values);
      expect((await agent.get(`/contacts/${c.id}`)).body.fields).toEqual(values);
    });

    it.each([
      ['score', 'ten'], ['plan', 'Gold'], ['vip', 'yes'], ['callback', '31/01/2030'], ['site', 'javascript:alert(1)'],
      ['alt_phone', '0151 123'], ['alt_email', 'not-an-email'], ['order_id', 42], ['unknown_key', 'x'],
    ])('refuses %s = %j with 422 naming the field', async (key, value) => {
      const res = await agent.post('/contacts', { firstName: 'Maria', fields: { [key]: value } });
      expect(res.status).toBe(422);
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: `body.fields.${key}` }));
    });

    it('records field updates with old and new values, and clears with null', async () => {
      // Creating a contact with a field sets it from nothing (Contact Field Updated fires, as tags on create do).
      const c = await newContact({ fields: { score: 1 } });
      expect((await agent.patch(`/contacts/${c.id}`, { fields: { score: 2, plan: 'Free' } })).body.fields).toEqual({ score: 2, plan: 'Free' });
      expect((await agent.patch(`/contacts/${c.id}`, { fields: { score: 2 } })).status).toBe(200);
      expect((await agent.patch(`/contacts/${c.id}`, { fields: { plan: null } })).body.fields).toEqual({ score: 2 });
      const updates = await s.events('contact.field_updated');
      expect(updates.map((e) => [e.payload.field, e.payload.oldValue, e.payload.newValue, e.source])).toEqual([
        ['score', null, 1, 'user'], ['score', 1, 2, 'user'], ['plan', null, 'Free', 'user'], ['plan', 'Free', null, 'user'],
      ]);
    });

    it('lets only admins define fields, validates definitions and deletes them', async () => {
      expect((await agent.put('/fields/x', { label: 'X', type: 'text' })).status).toBe(403);
      const bad = await admin.put('/fields/Bad-Key', { label: 'X', type: 'text' });
      expect(bad.status).toBe(422);
      expect((await admin.put('/fields/choice', { label: 'Choice', type: 'list' })).status).toBe(422);
      expect((await admin.del('/fields/score')).status).toBe(204);
      expect((await admin.del('/fields/score')).status).toBe(404);
    });
  });

  describe('conversations', () => {
    beforeEach(async () => {
      expect((await admin.put('/settings/closing-categories', { categories: ['Resolved', 'Spam'] })).status).toBe(200);
    });

    it('opens one conversation per contact, closes it with a configured category, then opens again', async () => {
      const c = await newContact();
      const conv = await openFor(c.id);
      expect(conv).toMatchObject({ contactId: c.id, status: 'open', openedBySource: 'user', closedAt: null });
      const again = await agent.post('/conversations', { contactId: c.id });
      expect(again.status).toBe(409);

      const unknownCategory = await agent.post(`/conversations/${conv.id}/close`, { category: 'Lost' });
      expect(unknownCategory.status).toBe(422);
      expect(unknownCategory.body.error.details).toEqual([expect.objectContaining({ path: 'body.category' })]);

      const closed = await agent.post(`/conversations/${conv.id}/close`, { category: 'Resolved', summary: 'Refund sent' });
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'closed', category: 'Resolved', summary: 'Refund sent', closedBySource: 'user', closeReason: null });
      expect((await agent.post(`/conversations/${conv.id}/close`, {})).status).toBe(409);
      const second = await openFor(c.id);
      expect(second.id).not.toBe(conv.id);

      const events = (await s.events()).filter((e) => e.type.startsWith('conversation.'));
      expect(events.map((e) => [e.type, e.source])).toEqual([
        ['conversation.opened', 'user'], ['conversation.closed', 'user'], ['conversation.opened', 'user'],
      ]);
      expect(events[1]!.payload).toMatchObject({
        conversationId: conv.id, contactId: c.id, category: 'Resolved', summary: 'Refund sent', reason: null, firstResponseTimeSeconds: null,
      });
      expect(events[1]!.payload.resolutionTimeSeconds).toBeGreaterThanOrEqual(0);
    });

    it('answers 404 when opening for an unknown contact', async () => {
      expect((await agent.post('/conversations', { contactId: 'con_nope' })).status).toBe(404);
    });

    it.each([
      ['zapier', 'make'], ['make', 'zapier'], ['api', 'api'],
    ])('records the source an API caller states (open %s, close %s)', async (openSource, closeSource) => {
      const c = await newContact();
      const conv = await openFor(c.id, agent, { source: openSource });
      expect(conv.openedBySource).toBe(openSource);
      const closed = await agent.post(`/conversations/${conv.id}/close`, { source: closeSource });
      expect(closed.body.closedBySource).toBe(closeSource);
      const events = (await s.events()).filter((e) => e.type.startsWith('conversation.'));
      expect(events.map((e) => e.source)).toEqual([openSource, closeSource]);
    });

    it('refuses a source an API caller may not state', async () => {
      const c = await newContact();
      const res = await agent.post('/conversations', { contactId: c.id, source: 'workflow' });
      expect(res.status).toBe(422);
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: 'body.source' }));
    });

    it('records a close by merge with reason "merge"', async () => {
      const c = await newContact();
      const conv = await openFor(c.id);
      const services = s.app.services;
      const closed = await inTransaction(services.db, (uow) => closeConversation(uow, services, conv.id, { reason: 'merge' }, { source: 'user' }));
      expect(closed).toMatchObject({ status: 'closed', closeReason: 'merge' });
      const [event] = await s.events('conversation.closed');
      expect(event).toMatchObject({ source: 'user', payload: { reason: 'merge', conversationId: conv.id } });
      expect((await agent.get(`/conversations/${conv.id}`)).body.closeReason).toBe('merge');
    });

    it("keeps the first response time of the first reply, even from a writer that read the conversation before it (a run round)", async () => {
      const c = await newContact();
      const conv = await openFor(c.id);
      const services = s.app.services;
      const reply = await agent.post(`/conversations/${conv.id}/messages`, { text: 'On it' });
      // A run round read the conversation (no response yet) before the agent's reply, then sends.
      await inTransaction(services.db, async (uow) => {
        uow.reads = { ...roundReads(services.store.dialect), openConversations: new Map([[c.id, conv]]) };
        await addMessage(uow, services, conv.id, { text: 'Automated follow-up', direction: 'outgoing', kind: 'message', author: { type: 'workflow', id: null } }, { source: 'workflow' });
      });
      const detail = ConversationDetail.parse((await agent.get(`/conversations/${conv.id}`)).body);
      expect(detail.messages.map((m) => m.text)).toEqual(['On it', 'Automated follow-up']);
      expect(detail.firstResponseAt).toBe(reply.body.createdAt);
    });

    it('adds messages and internal comments, in order, tracking first incoming and first response', async () => {
      const c = await newContact();
      const conv = await openFor(c.id);
      const incoming = await agent.post(`/conversations/${conv.id}/messages`, { text: 'My order is late', direction: 'incoming' });
      expect(incoming.status).toBe(201);
      expect(incoming.body.author).toEqual({ type: 'contact', id: null });
      const note = await agent.post(`/conversations/${conv.id}/messages`, { text: 'Check the warehouse', kind: 'comment' });
      expect(note.body).toMatchObject({ kind: 'comment', direction: 'outgoing', author: { type: 'user', id: agentId } });
      const reply = await agent.post(`/conversations/${conv.id}/messages`, { text: 'Sorry! On its way.' });
      expect(reply.body).toMatchObject({ kind: 'message', direction: 'outgoing' });

      const detail = ConversationDetail.parse((await agent.get(`/conversations/${conv.id}`)).body);
      expect(detail.messages.map((m) => m.text)).toEqual(['My order is late', 'Check the warehouse', 'Sorry! On its way.']);
      expect(detail.firstIncomingMessage).toBe('My order is late');
      expect(detail.firstResponseAt).toBe(reply.body.createdAt);
      expect(detail.contact.id).toBe(c.id);

      const events = await s.events('message.created');
      expect(events.map((e) => [e.payload.direction, e.payload.kind, e.source])).toEqual([
        ['incoming', 'message', 'user'], ['outgoing', 'comment', 'user'], ['outgoing', 'message', 'user'],
      ]);
      expect((await agent.post('/conversations/cnv_nope/messages', { text: 'x' })).status).toBe(404);
    });

    it('assigns and unassigns, recording each real change', async () => {
      const c = await newContact();
      const conv = await openFor(c.id);
      const assigned = await agent.post(`/conversations/${conv.id}/assign`, { userId: agentId });
      expect(assigned.status).toBe(200);
      expect(assigned.body.assigneeId).toBe(agentId);
      expect((await agent.post(`/conversations/${conv.id}/assign`, { userId: agentId })).status).toBe(200);
      const unknown = await agent.post(`/conversations/${conv.id}/assign`, { userId: 'usr_nope' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.details).toEqual([expect.objectContaining({ path: 'body.userId' })]);
      expect((await agent.post(`/conversations/${conv.id}/assign`, { userId: null })).body.assigneeId).toBeNull();
      expect((await agent.post('/conversations/cnv_nope/assign', { userId: null })).status).toBe(404);
      const events = await s.events('conversation.assigned');
      expect(events.map((e) => [e.payload.assigneeId, e.source])).toEqual([[agentId, 'user'], [null, 'user']]);
    });

    it('lists conversations by status with their contact', async () => {
      const a = await newContact({ firstName: 'A' });
      const b = await newContact({ firstName: 'B' });
      const ca = await openFor(a.id);
      await openFor(b.id);
      await agent.post(`/conversations/${ca.id}/close`, {});
      const open = await agent.get('/conversations?status=open');
      expect(open.body.conversations.map((x: { contact: { firstName: string } }) => x.contact.firstName)).toEqual(['B']);
      const closed = await agent.get('/conversations?status=closed');
      expect(closed.body.conversations.map((x: { id: string }) => x.id)).toEqual([ca.id]);
      expect((await agent.get('/conversations')).body.conversations).toHaveLength(2);
      expect((await agent.get(`/conversations?contactId=${a.id}`)).body.conversations).toHaveLength(1);
    });

    it('keeps the closing categories an admin configures', async () => {
      expect((await agent.get('/settings/closing-categories')).body).toEqual({ categories: ['Resolved', 'Spam'] });
      expect((await agent.put('/settings/closing-categories', { categories: ['X'] })).status).toBe(403);
      expect((await admin.put('/settings/closing-categories', { categories: ['A', 'A'] })).status).toBe(422);
      expect((await admin.put('/settings/closing-categories', { categories: ['Solved', 'Wont fix'] })).body).toEqual({ categories: ['Solved', 'Wont fix'] });
    });

    it('lets exactly one of many simultaneous opens win', async () => {
      const c = await newContact();
      const results = await Promise.all(Array.from({ length: 6 }, () => agent.post('/conversations', { contactId: c.id })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      expect(await s.events('conversation.opened')).toHaveLength(1);
    });
  });
}
