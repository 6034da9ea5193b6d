import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConversationList } from '../../lib/contracts/conversations';
import { searchPagesQuery } from '../../server/domain/conversation-search';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { queryPlan } from './query-plan';

/**
 * GET /conversations?q= on 6,000 conversations, a search most contacts match: the statement
 * (conversation-search.ts) states each part's order with an outer ORDER BY (before, it relied on
 * the subqueries' order surviving UNION ALL and the join), and that costs nothing the list feels:
 * each tab is still read from conversations_by_activity in order and stops at its page, the only
 * sort is of the pages' rows, and the answer over HTTP is every match once, in the list's order.
 * Registered by search-pages-plans.test.ts (SQLite) and .pg.test.ts (PostgreSQL).
 */
export function searchPagesPlansSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  const N = 6_000;
  const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString();
  const rows = Array.from({ length: N }, (_, i) => ({
    id: `cnv_SRCH${String(i).padStart(6, '0')}`, status: i % 3 === 0 ? 'closed' : 'open',
    // Several share a time: the id orders them.
    opened: at(Math.floor(i / 4)), name: i % 5 === 0 ? 'Zed' : 'Maria',
  }));

  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    admin = server.api(server.adminToken);
    const db = server.store.db;
    for (let start = 0; start < N; start += 500) {
      const part = rows.slice(start, start + 500);
      await db.insertInto('contacts').values(part.map((r) => ({ id: r.id.replace('cnv_', 'con_'), first_name: r.name, last_name: r.id, phone: null, email: null, tags: '[]', fields: '{}', created_at: r.opened, updated_at: r.opened }))).execute();
      await db.insertInto('conversations').values(part.map((r) => ({
        id: r.id, contact_id: r.id.replace('cnv_', 'con_'), status: r.status, opened_by_source: 'api', assignee_id: null, opened_at: r.opened, closed_at: r.status === 'closed' ? r.opened : null,
      }))).execute();
    }
    if (server.store.dialect === 'postgres') await sql`ANALYZE`.execute(db);
  }, 180_000);
  afterAll(async () => { await server?.close(); });

  it('reads each tab from the activity index, in order, and sorts only the pages\' rows', async () => {
    const { query } = searchPagesQuery(server.store.db, server.store.dialect, ['open', 'closed'], { q: 'maria' }, null, 51);
    const statement = { compile: () => query.compile(server.store.db) };
    if (server.store.dialect === 'sqlite') {
      const text = await queryPlan(server.store, statement);
      expect(text.match(/SEARCH conversations USING INDEX conversations_by_activity \(status=\?\)/g)).toHaveLength(2);
      // One sort, the outer ORDER BY's; no tab read whole to be sorted.
      expect(text.match(/TEMP B-TREE/g)).toEqual(['TEMP B-TREE']);
      expect(text).toMatch(/^USE TEMP B-TREE FOR ORDER BY$/m);
    } else {
      const text = await queryPlan(server.store, statement);
      expect(text.match(/Index Scan Backward using conversations_by_activity on conversations/g)).toHaveLength(2);
      // The sort's input: the pages (two of 51 rows at most), not a tab.
      expect(text.match(/Sort {2}\(cost/g)).toHaveLength(1);
      expect(text.split('\n')[0]).toMatch(/^Sort /);
      // No page reads a tab whole. The count of both tabs reads every conversation either way; since
      // a message's text can find a conversation too (the CTE hits: its id, not only its contact),
      // no index holds both columns its test reads, so that read is the table's.
      expect(text.match(/Seq Scan on conversations\b/g) ?? []).toHaveLength(1);
      expect(text).toMatch(/Aggregate .*\n\s+->  Seq Scan on conversations /);
    }
  });

  it('answers every match once, newest first (ties by id), page after page, on both tabs', async () => {
    const want = (status: string) => rows.filter((r) => r.status === status && r.name === 'Maria')
      .sort((a, b) => (a.opened < b.opened ? 1 : a.opened > b.opened ? -1 : a.id < b.id ? 1 : -1)).map((r) => r.id);
    for (const status of ['open', 'closed']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 6; page++) {
        const res = await admin.get(`/conversations?status=${status}&q=maria&limit=37${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const list = ConversationList.parse(res.body);
        seen.push(...list.conversations.map((c) => c.id));
        cursor = list.nextCursor;
      }
      expect(seen).toEqual(want(status).slice(0, 6 * 37));
    }
  });
}
