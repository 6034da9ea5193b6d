import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessagePage } from '../../lib/contracts/conversation-messages';
import { ConversationDetail, ConversationList } from '../../lib/contracts/conversations';
import type { Scope } from '../../lib/contracts/scopes';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * Registered by conversation-pages.test.ts (SQLite) and .pg.test.ts (PostgreSQL). What an
 * integrator syncing from the API needs beside GET /conversations/:id (its latest page): a
 * conversation's messages a page at a time (Chatwoot's `GET /conversations/{id}/messages?before=`),
 * and `GET /conversations?updatedSince=`, the conversations that changed since the last poll.
 */
export function conversationPagesSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    admin = server.api(server.adminToken);
  });
  afterEach(async () => { await server.close(); });

  let seq = 0;
  async function conversationOf(name: string): Promise<string> {
    const contact = await admin.post('/contacts', { firstName: name, phone: `+3460020${String(++seq).padStart(4, '0')}` });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const opened = await admin.post('/conversations', { contactId: contact.body.id });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    return opened.body.id as string;
  }
  async function post(conversationId: string, text: string, direction: 'incoming' | 'outgoing' = 'incoming') {
    const res = await admin.post(`/conversations/${conversationId}/messages`, { text, direction, kind: direction === 'incoming' ? 'message' : 'comment' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  async function page(as: Api, path: string): Promise<MessagePage> {
    const res = await as.get(path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return MessagePage.parse(res.body);
  }
  async function keyWith(scopes: Scope[]): Promise<string> {
    const sink = await startAppSink(server);
    const res = await admin.post('/apps', { key: `pages-${++seq}`, name: `Pages ${seq}`, scopes, subscribeUrl: sink.urls.subscribeUrl });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await admin.post(`/apps/${res.body.app.id}/install`, { authValues: {} })).status).toBe(201);
    return lastKey(sink);
  }

  describe('GET /conversations/:id/messages', () => {
    it('pages back from the latest messages, each page oldest first, in the shape GET /conversations/:id gives them', async () => {
      const id = await conversationOf('Lena');
      for (let n = 1; n <= 7; n++) await post(id, `m${n}`, n % 2 ? 'incoming' : 'outgoing');
      const whole = ConversationDetail.parse((await admin.get(`/conversations/${id}`)).body).messages;
      expect(whole.map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);

      const first = await page(admin, `/conversations/${id}/messages?limit=3`);
      expect(first.messages.map((m) => m.text)).toEqual(['m5', 'm6', 'm7']);
      expect(first.nextCursor).not.toBeNull();
      // A message written meanwhile comes after the first page; the older pages stay as they were.
      await post(id, 'm8');
      const second = await page(admin, `/conversations/${id}/messages?limit=3&cursor=${encodeURIComponent(first.nextCursor!)}`);
      expect(second.messages.map((m) => m.text)).toEqual(['m2', 'm3', 'm4']);
      const third = await page(admin, `/conversations/${id}/messages?limit=3&cursor=${encodeURIComponent(second.nextCursor!)}`);
      expect(third.messages.map((m) => m.text)).toEqual(['m1']);
      expect(third.nextCursor).toBeNull();
      // The same messages, field for field, as the conversation's own thread.
      expect([...third.messages, ...second.messages, ...first.messages]).toEqual(whole);

      // Default limit 50: the whole of a short thread, no next page.
      const all = await page(admin, `/conversations/${id}/messages`);
      expect(all.messages.map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);
      expect(all.nextCursor).toBeNull();
      // A conversation without messages: an empty page.
      expect(await page(admin, `/conversations/${await conversationOf('Omar')}/messages`)).toEqual({ messages: [], nextCursor: null });
    });

    it('is read as the conversation is: agents and app keys with conversations.read; 404 for none', async () => {
      const id = await conversationOf('Lena');
      await post(id, 'hello');
      const agent = server.api((await server.createUser('agent')).token);
      expect((await page(agent, `/conversations/${id}/messages`)).messages.map((m) => m.text)).toEqual(['hello']);
      const reader = server.api(await keyWith(['conversations.read']));
      expect((await page(reader, `/conversations/${id}/messages`)).messages.map((m) => m.text)).toEqual(['hello']);

      const denied = await server.api(await keyWith(['contacts.read', 'messages.write'])).get(`/conversations/${id}/messages`);
      expect(denied.status, JSON.stringify(denied.body)).toBe(403);
      expect((await server.api().get(`/conversations/${id}/messages`)).status).toBe(401);
      const none = await admin.get('/conversations/cnv_01ARZ3NDEKTSV4RRFFQ69G5FAV/messages');
      expect(none.status, JSON.stringify(none.body)).toBe(404);
      expect(none.body.error.code).toBe('not_found');
    });

    it.each([
      ['limit=0', 'querystring.limit'],
      ['limit=201', 'querystring.limit'],
      ['limit=abc', 'querystring.limit'],
      ['cursor=msg_zzzz', 'querystring.cursor'],
      // A message id alone (Chatwoot's `before` value) is not a cursor this route gave.
      ['cursor=msg_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'querystring.cursor'],
      ['cursor=2026-01-01T00%3A00%3A00.000Z~msg_zzzz', 'querystring.cursor'],
      ['before=12', 'querystring'],
    ])('?%s: 422 naming %s', async (query, path) => {
      const id = await conversationOf('Lena');
      const res = await admin.get(`/conversations/${id}/messages?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([path]);
      if (query.startsWith('before')) expect(res.body.error.details[0].message).toBe('Unknown query parameter before: this list takes limit, cursor');
    });
  });

  describe('GET /conversations?updatedSince=', () => {
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
    const list = async (query: string) => {
      const res = await admin.get(`/conversations?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return ConversationList.parse(res.body);
    };
    const ids = async (query: string) => (await list(query)).conversations.map((c) => c.id);

    it('answers the conversations with a message, opened or closed at or after the time, in any status', async () => {
      const quiet = await conversationOf('Quiet');
      const written = await conversationOf('Written');
      const closed = await conversationOf('Closed');
      await tick();
      const since = new Date().toISOString();
      await tick();
      await post(written, 'still there?');
      expect((await admin.post(`/conversations/${closed}/close`, {})).status).toBe(200);
      const opened = await conversationOf('New');

      const changed = await list(`updatedSince=${since}`);
      // In the list's order (latest activity first): the one closed kept its activity from before.
      expect(changed.conversations.map((c) => c.id)).toEqual([opened, written, closed]);
      expect(changed.total).toBe(3);
      expect(await ids(`updatedSince=${since}&status=open`)).toEqual([opened, written]);
      expect(await ids(`updatedSince=${since}&status=closed`)).toEqual([closed]);
      // The same instant with an offset, and a date (from 00:00 UTC) reaching back before them all.
      const plusTwo = new Date(Date.parse(since) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
      expect(await ids(`updatedSince=${encodeURIComponent(plusTwo)}`)).toEqual([opened, written, closed]);
      expect((await list(`updatedSince=2000-01-01`)).total).toBe(4);
      expect(await ids(`updatedSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
      // Paged like the list, the total counting every match.
      const p1 = await list(`updatedSince=${since}&status=open&limit=1`);
      expect([p1.conversations.map((c) => c.id), p1.total]).toEqual([[opened], 2]);
      const p2 = await list(`updatedSince=${since}&status=open&limit=1&cursor=${encodeURIComponent(p1.nextCursor!)}`);
      expect([p2.conversations.map((c) => c.id), p2.nextCursor]).toEqual([[written], null]);
      expect(await ids(`updatedSince=${since}`)).not.toContain(quiet);
    });

    it('a conversation written to while a client pages shows in its next poll', async () => {
      const a = await conversationOf('A');
      const b = await conversationOf('B');
      const pollStarted = new Date().toISOString();
      const p1 = await list('limit=1');
      expect(p1.conversations.map((c) => c.id)).toEqual([b]);
      await tick();
      await post(b, 'new');
      const p2 = await list(`limit=1&cursor=${encodeURIComponent(p1.nextCursor!)}`);
      expect(p2.conversations.map((c) => c.id)).toEqual([a]);
      expect(await ids(`updatedSince=${pollStarted}`)).toContain(b);
    });

    it.each(['yesterday', '2026-13-01', '2026-12-06T25:00:00Z', '12345'])('updatedSince=%s: 422 saying what it takes', async (value) => {
      const res = await admin.get(`/conversations?updatedSince=${value}`);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.details[0].path).toBe('querystring.updatedSince');
      expect(res.body.error.details[0].message).toMatch(/ISO 8601/);
    });
  });
}
