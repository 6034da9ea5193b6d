import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../lib/contracts/scopes';
import { ConversationList } from '../../lib/contracts/conversations';
import { TeammateList } from '../../lib/contracts/users';
import { issueToken } from '../../server/auth/tokens';
import { newId, nowIso } from '../../server/ids';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * The inbox's Mine / Unassigned / All views and its team over real HTTP: GET /conversations with
 * `assigneeId=me|none|<user>` (rows, true count and cursor pages per view; what it refuses),
 * each row's latest message, and GET /teammates for agents. Registered by inbox-views.test.ts
 * (SQLite) and inbox-views.pg.test.ts (PostgreSQL): `databaseUrl` undefined means SQLite.
 */
export function inboxViewsSuite(databaseUrl: () => string | undefined) {
  const pause = (ms = 5) => new Promise((r) => setTimeout(r, ms));
  let s: TestServer;
  let admin: Api;
  let ava: Api;
  let ben: Api;
  const ids = { ava: '', ben: '', sue: '', gone: '' };
  /** Conversation ids by who they are assigned to, open and closed. */
  const made = { ava: [] as string[], ben: [] as string[], none: [] as string[], closed: [] as string[] };

  /** Every row of a listing as `api` sees it, following nextCursor; the total must hold on every page. */
  async function everyPage(api: Api, query: string, limit: number) {
    const rows: string[] = [];
    let cursor: string | null = null;
    let total = -1;
    let pages = 0;
    do {
      const res = await api.get(`/conversations?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const page = ConversationList.parse(res.body);
      if (total === -1) total = page.total;
      expect(page.total).toBe(total);
      rows.push(...page.conversations.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    return { rows, total, pages };
  }
  /** The whole list (no filter) in its order, kept to the ids of `subset`. */
  async function inListOrder(status: string, subset: string[]) {
    const all = (await everyPage(admin, status ? `status=${status}` : '', 200)).rows;
    return all.filter((id) => subset.includes(id));
  }

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    admin = s.api(s.adminToken);
    const a = await s.createUser('agent', { name: 'Ava Agent' });
    const b = await s.createUser('agent', { name: 'Ben Agent' });
    const sue = await s.createUser('supervisor', { name: 'Sue Supervisor' });
    const gone = await s.createUser('agent', { name: 'Gus Gone' });
    Object.assign(ids, { ava: a.user.id, ben: b.user.id, sue: sue.user.id, gone: gone.user.id });
    ava = s.api(a.token);
    ben = s.api(b.token);
    // 24 conversations: every 4th Ava's, the next Ben's, the rest nobody's; then a few closed.
    for (let i = 0; i < 24; i++) {
      const contact = await admin.post('/contacts', { firstName: 'Person', lastName: String(i).padStart(2, '0') });
      const conversation = await admin.post('/conversations', { contactId: contact.body.id });
      expect(conversation.status).toBe(201);
      const id = conversation.body.id as string;
      const who = i % 4 === 0 ? 'ava' : i % 4 === 1 ? 'ben' : 'none';
      if (who !== 'none') expect((await admin.post(`/conversations/${id}/assign`, { userId: ids[who] })).status).toBe(200);
      made[who].push(id);
    }
    // Closed ones keep their assignee: one of Ava's, two nobody's.
    made.closed = [made.ava[1]!, made.none[0]!, made.none[5]!];
    for (const id of made.closed) expect((await admin.post(`/conversations/${id}/close`, {})).status).toBe(200);
    // Activity reorders them: an old one of Ava's and one of nobody's get messages.
    await pause();
    await admin.post(`/conversations/${made.ava[0]}/messages`, { text: 'Hello?', direction: 'incoming' });
    await pause();
    await admin.post(`/conversations/${made.none[3]}/messages`, { text: 'Anyone there?', direction: 'incoming' });
  }, 120_000);
  afterAll(async () => { await s?.close(); });

  const open = (list: string[]) => list.filter((id) => !made.closed.includes(id));
  const closed = (list: string[]) => list.filter((id) => made.closed.includes(id));

  describe('GET /conversations by assignee', () => {
    it.each([
      ['Ava', 'assigneeId=me&status=open', () => ava, () => open(made.ava), 'open'],
      ['Ava', 'assigneeId=me&status=closed', () => ava, () => closed(made.ava), 'closed'],
      ['Ben', 'assigneeId=me', () => ben, () => made.ben, ''],
      ['Ava', 'assigneeId=none&status=open', () => ava, () => open(made.none), 'open'],
      ['the admin', 'assigneeId=none&status=closed', () => admin, () => closed(made.none), 'closed'],
      ['Ava', 'assigneeId=<Ben>&status=open', () => ava, () => open(made.ben), 'open'],
      ['the admin', 'assigneeId=none', () => admin, () => made.none, ''],
    ] as const)('as %s, %s lists exactly those, by activity, with their count, in pages of any size', async (_who, query, caller, expected, status) => {
      const q = query.replace('<Ben>', ids.ben);
      const want = await inListOrder(status, expected());
      expect(want.length).toBeGreaterThan(0);
      for (const limit of [1, 3, 200]) {
        const { rows, total, pages } = await everyPage(caller(), q, limit);
        expect(rows).toEqual(want);
        expect(total).toBe(want.length);
        expect(pages).toBe(Math.max(1, Math.ceil(want.length / limit)));
      }
    });

    it('combines a view with the search: the count is of the view\'s matches', async () => {
      const mine = ConversationList.parse((await ava.get('/conversations?assigneeId=me&status=open&q=person%2012')).body);
      expect(mine.conversations.map((c) => c.contact.lastName)).toEqual(['12']);
      expect(mine.total).toBe(1);
      expect(ConversationList.parse((await ben.get('/conversations?assigneeId=me&q=person%2012')).body).total).toBe(0);
    });

    it('moves a conversation between views when it is assigned, unassigned or its assignee is deactivated', async () => {
      const count = async (api: Api, query: string) => ConversationList.parse((await api.get(`/conversations?${query}&limit=1`)).body).total;
      const before = { ava: await count(ava, 'assigneeId=me&status=open'), none: await count(ava, 'assigneeId=none&status=open'), gone: 0 };
      const moved = made.none[1]!;
      expect((await ava.post(`/conversations/${moved}/assign`, { userId: ids.ava })).status).toBe(200);
      expect(await count(ava, 'assigneeId=me&status=open')).toBe(before.ava + 1);
      expect(await count(ava, 'assigneeId=none&status=open')).toBe(before.none - 1);
      // Handing it to a colleague is a supervisor's or an admin's (an agent assigns only themselves).
      expect((await admin.post(`/conversations/${moved}/assign`, { userId: ids.gone })).status).toBe(200);
      expect(await count(ava, `assigneeId=${ids.gone}&status=open`)).toBe(1);
      // Deactivating Gus unassigns his open conversations: back in Unassigned.
      expect((await admin.del(`/users/${ids.gone}`)).status).toBe(200);
      expect(await count(ava, `assigneeId=${ids.gone}`)).toBe(0);
      expect(await count(ava, 'assigneeId=none&status=open')).toBe(before.none);
      expect(await count(ava, 'assigneeId=me&status=open')).toBe(before.ava);
    });

    it.each([
      ['assignee=me', /Unknown query parameter assignee: this list takes status, assigneeId, contactId, q, unread, channel, limit, cursor/],
      ['unassigned=true&status=open', /Unknown query parameter unassigned: this list takes status, assigneeId/],
      ['assigned=false&mine=1', /Unknown query parameters assigned, mine: this list takes/],
      ['assigneeId=mine', /No user mine: Give me \(your own\), none \(unassigned\) or a user's id/],
      ['assigneeId=usr_01NOBODY000000000000000000', /No user usr_01NOBODY000000000000000000: Give me/],
      ['assigneeId=', /Give me \(your own\), none \(unassigned\)/],
      ['assigneeId=me&assigneeId=none', /assigneeId/],
    ])('refuses ?%s with a 422 saying what it takes, never a list that ignored it', async (query, message) => {
      const res = await ava.get(`/conversations?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.code).toBe('invalid_content');
      expect(`${res.body.error.message} ${JSON.stringify(res.body.error.details)}`).toMatch(message);
    });

    it('takes none and a user\'s id from an app key, and says `me` names no one there', async () => {
      const key = s.api(await appKey(s));
      expect((await key.get(`/conversations?assigneeId=${ids.ava}&status=open`)).body.total).toBe(open(made.ava).length);
      expect((await key.get('/conversations?assigneeId=none&status=closed')).body.total).toBe(closed(made.none).length);
      const me = await key.get('/conversations?assigneeId=me');
      expect(me.status).toBe(422);
      expect(me.body.error.message).toMatch(/assigneeId=me names the signed-in user; an app key is none/);
    });
  });

  describe('plans at scale', () => {
    let big: TestServer;
    const assignees = Array.from({ length: 30 }, (_, i) => `usr_BULK${String(i).padStart(4, '0')}`);
    beforeAll(async () => {
      big = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
      const db = big.store.db;
      const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      // 6,000 conversations, half open: 30 agents' and, as in a team that assigns its work, a few nobody's.
      for (let start = 0; start < 6000; start += 500) {
        const rows = Array.from({ length: 500 }, (_, k) => start + k);
        await db.insertInto('contacts').values(rows.map((i) => ({ id: `con_BULK${String(i).padStart(5, '0')}`, first_name: 'Bulk', last_name: String(i), phone: null, email: null, tags: '[]', fields: '{}', created_at: at(i), updated_at: at(i) }))).execute();
        await db.insertInto('conversations').values(rows.map((i) => ({
          id: `cnv_BULK${String(i).padStart(5, '0')}`, contact_id: `con_BULK${String(i).padStart(5, '0')}`, status: i % 2 === 0 ? 'open' : 'closed', opened_by_source: 'api',
          assignee_id: i % 40 < 2 ? null : assignees[i % 30]!, opened_at: at(i), closed_at: i % 2 === 0 ? null : at(i + 1),
        }))).execute();
      }
      // PostgreSQL plans from statistics, which autovacuum keeps in production.
      if (big.store.dialect === 'postgres') await sql`ANALYZE`.execute(db);
    }, 120_000);
    afterAll(async () => { await big?.close(); });

    it.each([['a user\'s', assignees[4]!], ['nobody\'s', null]] as const)('reads %s view and its count through the assignee index, never a scan of the tab', async (_what, assigneeId) => {
      const services = big.app.services;
      const { pageQuery, countQuery } = await import('../../server/domain/conversation-list');
      for (const status of ['open', 'closed'] as const) {
        const page = pageQuery(services.db, services.store.dialect, status, { assigneeId }, { at: '2026-01-02T00:00:00.000Z', id: 'cnv_ZZZZZZZZZZZZZZZZZZZZZZZZZZ' }, 51).compile();
        const count = countQuery(services.db, services.store.dialect, status, { assigneeId }).compile();
        if (services.store.dialect === 'sqlite') {
          const planOf = async (q: typeof page) => (await services.db.executeQuery<{ detail: string }>({ ...q, sql: `EXPLAIN QUERY PLAN ${q.sql}` })).rows.map((r) => r.detail).join('\n');
          const pagePlan = await planOf(page);
          expect(pagePlan).toMatch(/SEARCH conversations USING INDEX conversations_by_assignee \(assignee_id=\? AND status=\? AND <expr><\?\)/);
          expect(pagePlan).not.toMatch(/TEMP B-TREE|SCAN/);
          expect(await planOf(count)).toMatch(/SEARCH conversations USING COVERING INDEX conversations_by_assignee \(assignee_id=\? AND status=\?\)/);
        } else {
          // A view of a few hundred rows is read from the index and sorted (cheaper than seeking in
          // order); what matters is that the assignee is an index condition, not a filter of the tab.
          const explain = async (q: typeof page) => (await services.db.executeQuery<{ 'QUERY PLAN': string }>({ ...q, sql: `EXPLAIN ${q.sql}` })).rows.map((r) => r['QUERY PLAN']).join('\n');
          const condition = assigneeId === null ? 'assignee_id IS NULL' : `assignee_id = '${assigneeId}'::text`;
          for (const plan of [await explain(page), await explain(count)]) {
            expect(plan).toMatch(/(Index Scan Backward using|Index Scan using|Index Only Scan using|Bitmap Index Scan on) conversations_by_assignee/);
            expect(plan).toContain(`Index Cond: ((${condition}) AND (status = '${status}'::text)`);
            expect(plan).not.toMatch(/Seq Scan on conversations/);
          }
        }
      }
      // And the rows are right: the page is the assignee's, newest activity first.
      const all = await big.store.db.selectFrom('conversations').select(['id']).where('status', '=', 'open')
        .where((eb) => (assigneeId === null ? eb('assignee_id', 'is', null) : eb('assignee_id', '=', assigneeId))).orderBy('opened_at', 'desc').orderBy('id', 'desc').execute();
      const { listConversations } = await import('../../server/domain/conversation-list');
      const listed = await listConversations(services.db, services.store.dialect, { status: 'open', limit: 200 }, assigneeId);
      expect(listed.total).toBe(all.length);
      expect(listed.conversations.map((c) => c.id)).toEqual(all.slice(0, 200).map((r) => r.id));
    });
  });

  describe('each row\'s latest message', () => {
    it('is the latest of any direction or kind, with its author; none before the first', async () => {
      const contact = await admin.post('/contacts', { firstName: 'Maria' });
      const { id } = (await admin.post('/conversations', { contactId: contact.body.id })).body as { id: string };
      const latest = async () => ConversationList.parse((await ava.get(`/conversations?contactId=${contact.body.id}`)).body).conversations[0]!.lastMessage;
      expect(await latest()).toBeNull();
      const first = await admin.post(`/conversations/${id}/messages`, { text: 'My order is late', direction: 'incoming' });
      expect(await latest()).toEqual({ id: first.body.id, direction: 'incoming', kind: 'message', author: { type: 'contact', id: null }, text: 'My order is late', createdAt: first.body.createdAt });
      await pause();
      const reply = await ava.post(`/conversations/${id}/messages`, { text: 'Checking now' });
      expect(await latest()).toMatchObject({ id: reply.body.id, direction: 'outgoing', kind: 'message', author: { type: 'user', id: ids.ava }, text: 'Checking now' });
      await pause();
      await ben.post(`/conversations/${id}/messages`, { text: 'Courier called', kind: 'comment' });
      expect(await latest()).toMatchObject({ kind: 'comment', author: { type: 'user', id: ids.ben }, text: 'Courier called' });
      // The first customer message stays what it was (reports read it).
      const row = ConversationList.parse((await ava.get(`/conversations?contactId=${contact.body.id}`)).body).conversations[0]!;
      expect(row.firstIncomingMessage).toBe('My order is late');
      // Closed, it keeps its latest message.
      await ava.post(`/conversations/${id}/close`, {});
      expect(await latest()).toMatchObject({ text: 'Courier called' });
    });

    it('is not replaced by a message sent earlier that arrives later; of two at the same time, the later id', async () => {
      const contact = await admin.post('/contacts', { firstName: 'Tie' });
      const { id } = (await admin.post('/conversations', { contactId: contact.body.id })).body as { id: string };
      const reply = await admin.post(`/conversations/${id}/messages`, { text: 'Reply' });
      const insert = (messageId: string, text: string, createdAt: string) => s.store.db.insertInto('messages').values({
        id: messageId, conversation_id: id, direction: 'incoming', kind: 'message', author_type: 'contact', author_id: null, text, created_at: createdAt,
      }).execute();
      await insert('msg_00000000000000000000000001', 'sent long ago', '2020-01-01T00:00:00.000Z');
      const latest = async () => ConversationList.parse((await admin.get(`/conversations?contactId=${contact.body.id}`)).body).conversations[0]!.lastMessage;
      expect(await latest()).toMatchObject({ id: reply.body.id, text: 'Reply' });
      const later = '2999-01-01T00:00:00.000Z';
      await insert('msg_ZZZZZZZZZZZZZZZZZZZZZZZZZ2', 'same time, later id', later);
      await insert('msg_ZZZZZZZZZZZZZZZZZZZZZZZZZ1', 'same time, earlier id', later);
      expect(await latest()).toMatchObject({ id: 'msg_ZZZZZZZZZZZZZZZZZZZZZZZZZ2', text: 'same time, later id' });
    });
  });

  describe('GET /teammates', () => {
    it('gives every signed-in user their teammates\' names and roles, deactivated ones too, and nothing private', async () => {
      const gil = await s.createUser('agent', { name: 'Gil Gone' });
      expect((await admin.patch(`/users/${gil.user.id}`, { active: false })).status).toBe(200);
      const sid = await s.createUser('supervisor', { name: 'Sid Supervisor' });
      const emails = new Map(((await admin.get('/users')).body.users as { id: string; email: string }[]).map((u) => [u.id, u.email]));
      for (const [api, seesEmails] of [[ava, false], [ben, false], [s.api(sid.token), true], [admin, true]] as const) {
        const res = await api.get('/teammates');
        expect(res.status).toBe(200);
        const { users } = TeammateList.parse(res.body);
        const byId = new Map(users.map((u) => [u.id, u]));
        const avaEmail = seesEmails ? { email: emails.get(ids.ava) } : {};
        expect(byId.get(ids.ava)).toEqual({ id: ids.ava, name: 'Ava Agent', role: 'agent', kind: 'human', active: true, ...avaEmail });
        expect(byId.get(ids.sue)).toMatchObject({ name: 'Sue Supervisor', role: 'supervisor' });
        expect(byId.get(gil.user.id)).toMatchObject({ name: 'Gil Gone', active: false });
        // The email tells two of one name apart in the Assign-to menu, which only supervisors and admins have.
        const keys = ['active', 'id', 'kind', 'name', 'role', ...(seesEmails ? ['email'] : [])].sort();
        for (const user of res.body.users) expect(Object.keys(user).sort()).toEqual(keys);
      }
      // Emails and settings stay with GET /users, for supervisors and admins.
      expect((await ava.get('/users')).status).toBe(403);
    });
  });
}

/** A mini-app installation's API key, made directly in the store (as authorization.test.ts does). */
async function appKey(s: TestServer): Promise<string> {
  const appId = newId('app');
  const installationId = newId('ins');
  const db = s.store.db;
  await db.insertInto('apps').values({ id: appId, key: `test-${appId}`, manifest: '{}', signing_secret: 'whsec_test', created_at: nowIso() } as never).execute();
  const { id, token } = await issueToken(db, { kind: 'app', installationId, scopes: SCOPES as never });
  await db.insertInto('installations').values({ id: installationId, app_id: appId, auth_values: '{}', token_id: id, created_at: nowIso() }).execute();
  return token;
}
