import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MessagePage } from '../../lib/contracts/conversation-messages';
import { ConversationDetail } from '../../lib/contracts/conversations';
import { messagePageQuery } from '../../server/domain/message-page';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * A thread of 5,000 messages among 20,000 of other conversations, read a page at a time
 * (`GET /conversations/:id` holds the latest 50, `GET /conversations/:id/messages?cursor=` the
 * older ones): each page is a range of messages_by_thread_order (migration 095) in the
 * thread's order, read from the cursor on, never the thread sorted or walked from its newest
 * message; and the pages over HTTP are the whole thread in that order. The thread's order is
 * (COALESCE(thread_at, created_at), id) (migration 095): some messages sit elsewhere than they
 * arrived (a customer's placed by when they sent it, a reply sent again at the end).
 * Registered by thread-page-plans.test.ts (SQLite) and .pg.test.ts (PostgreSQL).
 */
export function threadPagePlansSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  const N = 5_000;
  const OTHERS = 2_000;
  const PER_OTHER = 10;
  const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1) + seconds * 1_000).toISOString();
  const msgId = (conversation: number, i: number) => `msg_01J${String(conversation).padStart(5, '0')}${String(i).padStart(18, '0')}`;
  const long = 'cnv_01JLONGTHREAD0000000000000';
  /** The long thread's messages as the API must give them: by (threadAt ?? createdAt, id). */
  const thread: { id: string; createdAt: string; threadAt?: string }[] = [];
  const placeOf = (m: { createdAt: string; threadAt?: string }) => m.threadAt ?? m.createdAt;

  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    admin = server.api(server.adminToken);
    const db = server.store.db;
    const contact = (i: number) => ({ id: `con_01JTHREAD${String(i).padStart(17, '0')}`, first_name: 'Thread', last_name: String(i), phone: null, email: null, tags: '[]', fields: '{}', created_at: at(0), updated_at: at(0) });
    const conversation = (i: number, id: string) => ({ id, contact_id: contact(i).id, status: 'open', opened_by_source: 'api', assignee_id: null, opened_at: at(0), closed_at: null });
    const ids = [long, ...Array.from({ length: OTHERS }, (_, i) => `cnv_01JOTHER${String(i).padStart(17, '0')}`)];
    for (let start = 0; start < ids.length; start += 500) {
      const part = ids.slice(start, start + 500);
      await db.insertInto('contacts').values(part.map((_, j) => contact(start + j))).execute();
      await db.insertInto('conversations').values(part.map((id, j) => conversation(start + j, id))).execute();
    }
    // The long thread: a message a minute, some in the same second (ties broken by id), and every
    // 97th an activity line moved to a later time, keeping its id (ids are not the thread's order).
    // Every 89th arrived late and sits where it was sent, 150 s earlier (between two others, or
    // on one's very time); every 113th was sent again and sits 5 minutes later.
    for (let i = 0; i < N; i++) {
      const moved = i % 97 === 5;
      const createdAt = at(moved ? i * 60 + 600 : i % 50 === 7 ? (i - 1) * 60 : i * 60);
      const threadAt = i % 89 === 3 ? at(i * 60 - (i % 2 ? 150 : 120)) : i % 113 === 9 ? at(i * 60 + 300) : undefined;
      thread.push({ id: msgId(0, i), createdAt, ...(threadAt ? { threadAt } : {}) });
    }
    const rows = [
      ...thread.map((m, i) => ({ id: m.id, conversation_id: long, direction: 'incoming', kind: i % 97 === 5 ? 'activity' : 'message', author_type: 'contact', author_id: null, text: `long ${i}`, created_at: m.createdAt, thread_at: m.threadAt ?? null })),
      ...ids.slice(1).flatMap((id, c) => Array.from({ length: PER_OTHER }, (_, i) => ({ id: msgId(c + 1, i), conversation_id: id, direction: 'incoming', kind: 'message', author_type: 'contact', author_id: null, text: `other ${i}`, created_at: at(c * 7 + i * 60) }))),
    ];
    for (let start = 0; start < rows.length; start += 500) await db.insertInto('messages').values(rows.slice(start, start + 500)).execute();
    thread.sort((a, b) => (placeOf(a) < placeOf(b) ? -1 : placeOf(a) > placeOf(b) ? 1 : a.id < b.id ? -1 : 1));
    // PostgreSQL plans from statistics, which autovacuum keeps in production.
    if (server.store.dialect === 'postgres') await sql`ANALYZE`.execute(db);
  }, 180_000);
  afterAll(async () => { await server?.close(); });

  it('GET /conversations/:id holds the latest 50; the older pages over HTTP are the rest of the thread in order', async () => {
    const detail = await admin.get(`/conversations/${long}`);
    expect(detail.status, JSON.stringify(detail.body)).toBe(200);
    const latest = ConversationDetail.parse(detail.body);
    expect(latest.messages.map((m) => m.id)).toEqual(thread.slice(-50).map((m) => m.id));
    for (const limit of [50, 200, 13]) {
      const seen = latest.messages.map((m) => m.id);
      let cursor = latest.olderMessagesCursor;
      while (cursor && seen.length <= N) {
        const res = await admin.get(`/conversations/${long}/messages?limit=${limit}&cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const page = MessagePage.parse(res.body);
        seen.unshift(...page.messages.map((m) => m.id));
        cursor = page.nextCursor;
      }
      expect(seen).toEqual(thread.map((m) => m.id));
    }
  }, 60_000);

  it('reads a page as a range of the thread-order index: no sort, not the thread from its newest message', async () => {
    const { db, dialect } = server.store;
    // Deep in the thread: a page walked from the newest message would read 4,900 rows to reach it.
    const deep = thread[100]!;
    const queries = {
      latest: messagePageQuery(db, long, null, 51).compile(),
      deep: messagePageQuery(db, long, { at: placeOf(deep), id: deep.id }, 51).compile(),
    };
    if (dialect === 'sqlite') {
      const planOf = async (q: typeof queries.latest) => (await db.executeQuery<{ detail: string }>({ ...q, sql: `EXPLAIN QUERY PLAN ${q.sql}` })).rows.map((r) => r.detail).join('\n');
      expect(await planOf(queries.latest)).toBe('SEARCH messages USING INDEX messages_by_thread_order (conversation_id=?)');
      expect(await planOf(queries.deep)).toBe('SEARCH messages USING INDEX messages_by_thread_order (conversation_id=? AND <expr><?)');
    } else {
      // EXPLAIN ANALYZE: the rows each read, not only the plan's shape.
      const explain = async (q: typeof queries.latest) => (await db.executeQuery<{ 'QUERY PLAN': string }>({ ...q, sql: `EXPLAIN ANALYZE ${q.sql}` })).rows.map((r) => r['QUERY PLAN']).join('\n');
      const latest = await explain(queries.latest);
      const deeper = await explain(queries.deep);
      expect(latest).toMatch(/Index Scan Backward using messages_by_thread_order on messages .*\(actual .* rows=51 loops=1\)\n\s+Index Cond: \(conversation_id = /);
      expect(deeper).toMatch(/Index Scan Backward using messages_by_thread_order on messages .*\(actual .* rows=51 loops=1\)\n\s+Index Cond: \(\(conversation_id = .*\) AND \(ROW\(COALESCE\(thread_at, created_at\), id\) < ROW\(/);
      for (const plan of [latest, deeper]) expect(plan).not.toMatch(/Sort|Seq Scan|Bitmap|Filter/);
    }
  });
}
