import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationList, ConversationSeen } from '../../lib/contracts/conversations';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { openSse, type SseClient } from '../support/sse';

/**
 * Unread counts per user over real HTTP (migration 094, domain/conversation-unread.ts): GET
 * /conversations counts, for the caller, the customer's messages since they last looked
 * (POST /conversations/:id/seen), so a reload or a second tab shows the same markers; the user's
 * other streams hear `conversation.seen`, nobody else's. Before, the inbox kept markers in the
 * page's memory: a reload lost them and no count came from the server. Registered by
 * inbox-unread.test.ts (SQLite) and inbox-unread.pg.test.ts (PostgreSQL).
 */
export function inboxUnreadSuite(databaseUrl: () => string | undefined) {
  let s: TestServer;
  let admin: Api;
  let ava: { api: Api; id: string; token: string };
  let ben: { api: Api; id: string; token: string };
  const streams: SseClient[] = [];

  beforeEach(async () => {
    s = await startTestServer({ databaseUrl: databaseUrl(), workers: false, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    admin = s.api(s.adminToken);
    const user = async (name: string) => {
      const made = await s.createUser('agent', { name });
      return { api: s.api(made.token), id: made.user.id, token: made.token };
    };
    ava = await user('Ava');
    ben = await user('Ben');
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await s.close();
  });

  async function conversation(firstName: string) {
    const contact = await admin.post('/contacts', { firstName });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const opened = await admin.post('/conversations', { contactId: contact.body.id });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    return opened.body.id as string;
  }
  const customerWrites = async (id: string, text: string) => {
    const res = await admin.post(`/conversations/${id}/messages`, { text, direction: 'incoming' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const rows = async (api: Api, query = '') => ConversationList.parse((await api.get(`/conversations?limit=200${query}`)).body).conversations;
  const unreadOf = async (api: Api, id: string, query = '') => (await rows(api, query)).find((c) => c.id === id)?.unread;
  const look = async (api: Api, id: string) => {
    const res = await api.post(`/conversations/${id}/seen`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ConversationSeen.parse(res.body);
  };

  it('counts the customer\'s messages since each user last looked, for each user apart, the same on every request (a reload)', async () => {
    const id = await conversation('Inês');
    for (const text of ['Olá', 'A que horas chega o estafeta?', 'Obrigada']) await customerWrites(id, text);
    expect(await unreadOf(ava.api, id)).toBe(3);
    expect(await unreadOf(ben.api, id)).toBe(3);
    // Replies, notes and activity lines are not the customer's.
    await ava.api.post(`/conversations/${id}/messages`, { text: 'Hoje à tarde' });
    await ava.api.post(`/conversations/${id}/messages`, { text: 'Check the courier', kind: 'comment' });
    expect(await unreadOf(ava.api, id)).toBe(3);

    const seen = await look(ava.api, id);
    expect(seen.conversationId).toBe(id);
    expect(await unreadOf(ava.api, id)).toBe(0);
    expect(await unreadOf(ben.api, id)).toBe(3);

    await customerWrites(id, 'Pode ser às 18h?');
    expect(await unreadOf(ava.api, id)).toBe(1);
    expect(await unreadOf(ben.api, id)).toBe(4);
    await look(ben.api, id);
    expect(await unreadOf(ben.api, id)).toBe(0);
    expect(await unreadOf(ava.api, id)).toBe(1);

    // Every way of reading the list says the same: a search, a view, the other tab once closed.
    expect(await unreadOf(ava.api, id, '&q=In%C3%AAs')).toBe(1);
    expect(await unreadOf(ava.api, id, '&status=open&assigneeId=none')).toBe(1);
    expect((await admin.post(`/conversations/${id}/close`, {})).status).toBe(200);
    expect(await unreadOf(ava.api, id, '&status=closed')).toBe(1);
  });

  it('counts up to 10, as Chatwoot does ("9+")', async () => {
    const id = await conversation('Kwame');
    for (let i = 1; i <= 12; i++) await customerWrites(id, `Message ${i}`);
    expect(await unreadOf(ava.api, id)).toBe(10);
  });

  it('takes what came before a user\'s account as seen; a conversation never opened counts from then', async () => {
    const id = await conversation('Sofía');
    await customerWrites(id, 'Hola');
    const cleo = await s.createUser('agent', { name: 'Cleo' });
    expect(await unreadOf(s.api(cleo.token), id)).toBe(0);
    await customerWrites(id, '¿Siguen ahí?');
    expect(await unreadOf(s.api(cleo.token), id)).toBe(1);
    expect(await unreadOf(ava.api, id)).toBe(2);
  });

  it('answers 404 for no such conversation, 422 for a body, 403 for an API key, which reads no counts', async () => {
    const id = await conversation('Zoë');
    await customerWrites(id, 'Hei');
    const missing = await ava.api.post('/conversations/cnv_01J00000000000000000000000/seen');
    expect(missing.status).toBe(404);
    const body = await ava.api.post(`/conversations/${id}/seen`, { at: '2020-01-01T00:00:00Z' });
    expect(body.status).toBe(422);
    expect(body.body.error.message).toMatch(/takes no body/);
    expect(await unreadOf(ava.api, id)).toBe(1);

    const sink = await startAppSink(s);
    try {
      const registered = await admin.post('/apps', { key: 'reader', name: 'Reader', scopes: ['conversations.read', 'contacts.read'], subscribeUrl: sink.urls.subscribeUrl });
      expect((await admin.post(`/apps/${registered.body.app.id}/install`, { authValues: {} })).status).toBe(201);
      const app = s.api(lastKey(sink));
      const row = (await rows(app)).find((c) => c.id === id)!;
      expect(row).not.toHaveProperty('unread');
      expect((await app.post(`/conversations/${id}/seen`)).status).toBe(403);
    } finally {
      await sink.close();
    }
  });

  it('tells the user\'s own streams (their other tabs), nobody else\'s, and only when something was unread', async () => {
    const id = await conversation('Παναγιώτης');
    await customerWrites(id, 'Καλησπέρα');
    const stream = (token: string) => openSse(`${s.url}/api/v1/events/stream?token=${encodeURIComponent(token)}`).then((c) => { streams.push(c); return c; });
    const [avaTab1, avaTab2, benTab] = await Promise.all([stream(ava.token), stream(ava.token), stream(ben.token)]);

    const seen = await look(ava.api, id);
    for (const tab of [avaTab1, avaTab2]) expect(await tab.next('conversation.seen')).toEqual({ type: 'conversation.seen', conversationId: id, userId: ava.id, seenAt: seen.seenAt });
    // Looking again with nothing new writes nothing and tells no one; the time stays.
    expect(await look(ava.api, id)).toEqual(seen);
    await customerWrites(id, 'Ευχαριστώ');
    for (const tab of [avaTab1, benTab]) await tab.next('conversation.changed');
    expect(avaTab1.text().match(/event: conversation\.seen/g)).toHaveLength(1);
    expect(benTab.text()).not.toMatch(/conversation\.seen/);
    expect(await unreadOf(ava.api, id)).toBe(1);
    expect((await look(ava.api, id)).seenAt > seen.seenAt).toBe(true);
  });

  it('erases what users read of a contact\'s conversations with the contact', async () => {
    const id = await conversation('Gone');
    await customerWrites(id, 'Delete me');
    await look(ava.api, id);
    await look(ben.api, id);
    const contactId = (await admin.get(`/conversations/${id}`)).body.contactId as string;
    const deleted = await admin.del(`/contacts/${contactId}`);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
    expect(await s.store.db.selectFrom('conversation_reads').selectAll().execute()).toEqual([]);
  });
}
