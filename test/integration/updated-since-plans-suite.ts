import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationList } from '../../lib/contracts/conversations';
import { countQuery, pageQuery } from '../../server/domain/conversation-list';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * GET /conversations?updatedSince= (a sync client's poll) on 20,000 conversations: a closed one
 * has changed when it has activity since, or was closed since. Its page and count read ranges of
 * conversations_by_activity and conversations_by_closing (migration 084), never the closed tab
 * whole; and the answer over HTTP is every changed conversation, in the list's order, paged.
 * Registered by updated-since-plans.test.ts (SQLite) and .pg.test.ts (PostgreSQL).
 */
export function updatedSincePlansSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  const N = 20_000;
  const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString();
  const since = at(N - 50);
  interface Row { id: string; status: 'open' | 'closed'; opened: string; closed: string | null; message: string | null }
  const rows: Row[] = [];

  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    admin = server.api(server.adminToken);
    const db = server.store.db;
    for (let i = 0; i < N; i++) {
      const status = i % 4 === 0 ? 'open' : 'closed';
      rows.push({
        id: `cnv_POLL${String(i).padStart(6, '0')}`, status, opened: at(i),
        // Most closed half an hour after opening; a few old ones closed after the poll's time.
        closed: status === 'open' ? null : i % 997 === 1 ? at(N + 5 + (i % 13)) : at(i + 30),
        // A few old ones got a message since (closed ones too: a note after closing).
        message: i % 1009 === 2 || i % 1013 === 3 ? at(N + 10 + (i % 17)) : null,
      });
    }
    for (let start = 0; start < N; start += 500) {
      const part = rows.slice(start, start + 500);
      await db.insertInto('contacts').values(part.map((r) => ({ id: r.id.replace('cnv_', 'con_'), first_name: 'Poll', last_name: r.id, phone: null, email: null, tags: '[]', fields: '{}', created_at: r.opened, updated_at: r.opened }))).execute();
      await db.insertInto('conversations').values(part.map((r) => ({
        id: r.id, contact_id: r.id.replace('cnv_', 'con_'), status: r.status, opened_by_source: 'api', assignee_id: null,
        opened_at: r.opened, closed_at: r.closed, last_message_at: r.message,
      }))).execute();
    }
    // PostgreSQL plans from statistics, which autovacuum keeps in production.
    if (server.store.dialect === 'postgres') await sql`ANALYZE`.execute(db);
  }, 180_000);
  afterAll(async () => { await server?.close(); });

  /** What the list must answer: changed since, newest activity first (ids and ISO times compare as bytes). */
  function expected(status?: 'open' | 'closed') {
    const activity = (r: Row) => r.message ?? r.opened;
    return rows
      .filter((r) => (!status || r.status === status) && (activity(r) >= since || (r.closed !== null && r.closed >= since)))
      .sort((a, b) => (activity(a) < activity(b) ? 1 : activity(a) > activity(b) ? -1 : a.id < b.id ? 1 : -1))
      .map((r) => r.id);
  }

  it.each([['closed', 'status=closed&'], ['open', 'status=open&'], [undefined, '']] as const)(
    'status %s: every conversation changed since, in the list\'s order, in pages of any size, with their count',
    async (status, filter) => {
      const want = expected(status);
      // Activity since, closed since with older activity, and open ones: the poll meets all three.
      expect(want.length).toBeGreaterThan(status === 'open' ? 20 : 40);
      for (const limit of [1, 7, 200]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res = await admin.get(`/conversations?${filter}updatedSince=${since}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          const page = ConversationList.parse(res.body);
          expect(page.total).toBe(want.length);
          seen.push(...page.conversations.map((c) => c.id));
          cursor = page.nextCursor;
        } while (cursor && seen.length <= want.length);
        expect(seen).toEqual(want);
      }
    },
  );

  it('reads the closed tab\'s changes from ranges of the activity and closing indexes, never the tab whole', async () => {
    const { db, dialect } = server.store;
    const cursor = { at: at(N - 20), id: 'cnv_POLL019980' };
    const queries = {
      active: pageQuery(db, dialect, 'closed', { updatedSince: since }, null, 101).compile(),
      activeAfter: pageQuery(db, dialect, 'closed', { updatedSince: since }, cursor, 101).compile(),
      closed: pageQuery(db, dialect, 'closed', { updatedSince: since }, null, 101, 'closed').compile(),
      closedAfter: pageQuery(db, dialect, 'closed', { updatedSince: since }, cursor, 101, 'closed').compile(),
      countClosed: countQuery(db, dialect, 'closed', { updatedSince: since }).compile(),
      countAll: countQuery(db, dialect, undefined, { updatedSince: since }).compile(),
    };
    if (dialect === 'sqlite') {
      const planOf = async (q: typeof queries.active) => (await db.executeQuery<{ detail: string }>({ ...q, sql: `EXPLAIN QUERY PLAN ${q.sql}` })).rows.map((r) => r.detail).join('\n');
      for (const q of [queries.active, queries.activeAfter]) expect(await planOf(q)).toMatch(/SEARCH conversations USING INDEX conversations_by_activity \(status=\? AND <expr>>\?/);
      for (const q of [queries.closed, queries.closedAfter]) expect(await planOf(q)).toMatch(/SEARCH conversations USING INDEX conversations_by_closing \(status=\? AND closed_at>\?\)/);
      for (const q of [queries.countClosed, queries.countAll]) {
        const plan = await planOf(q);
        expect(plan).toMatch(/SEARCH conversations USING (COVERING )?INDEX conversations_by_activity \(status=\? AND <expr>>\?\)/);
        expect(plan).toMatch(/SEARCH conversations USING (COVERING )?INDEX conversations_by_closing \(status=\? AND closed_at>\?\)/);
      }
      for (const q of Object.values(queries)) expect(await planOf(q)).not.toMatch(/SCAN conversations|USING INDEX conversations_by_activity \(status=\?\)$/m);
    } else {
      const explain = async (q: typeof queries.active) => (await db.executeQuery<{ 'QUERY PLAN': string }>({ ...q, sql: `EXPLAIN ${q.sql}` })).rows.map((r) => r['QUERY PLAN']).join('\n');
      for (const q of [queries.active, queries.activeAfter]) expect(await explain(q)).toMatch(/conversations_by_activity on conversations[\s\S]*Index Cond: \(\(status = 'closed'::text\) AND \(COALESCE\(last_message_at, opened_at\) >= /);
      for (const q of [queries.closed, queries.closedAfter, queries.countClosed, queries.countAll]) {
        expect(await explain(q)).toMatch(/conversations_by_closing[\s\S]*Index Cond: \(\(status = (?:'closed'::text|ANY \('\{open,closed\}'::text\[\]\))\) AND \(closed_at >= /);
      }
      for (const q of Object.values(queries)) expect(await explain(q)).not.toMatch(/Seq Scan on conversations/);
    }
  });
}
