import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConversationList } from '../../lib/contracts/conversations';
import { pageQuery } from '../../server/domain/conversation-list';
import { searchPagesQuery } from '../../server/domain/conversation-search';
import { startTestServer, type TestServer } from '../support/server';
import { queryPlan } from './query-plan';

/**
 * GET /conversations with a signed-in user's unread counts, on 3,000 conversations of 4 messages
 * each (12,000 messages), half of them looked at by the user: a page still reads its tab from the
 * activity index and stops at its last row; each row adds a primary-key probe of the user's read
 * (conversation_reads) and, only when a message came after it, a range of
 * messages_by_conversation_time from that read on. No sort, no read of a whole table. The counts
 * over HTTP are what the rows hold. Registered by unread-plans.test.ts (SQLite) and .pg.test.ts.
 */
export function unreadPlansSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let token: string;
  let userId: string;
  const N = 3_000;
  const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString();
  const id = (i: number) => `cnv_UNRD${String(i).padStart(6, '0')}`;
  /** Conversation i: opened at minute 10·i, customer, reply, customer, customer a minute apart; every other one read after its second message. */
  const readAfter = (i: number) => (i % 2 === 0 ? at(10 * i + 2) : null);
  const expected = (i: number) => (readAfter(i) ? 2 : 3);

  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    const made = await server.createUser('agent', { name: 'Ava' });
    token = made.token;
    userId = made.user.id;
    const db = server.store.db;
    // The user, and the server's keeping of reads, are older than every message: nothing counts as seen by their floor.
    await db.updateTable('users').set({ created_at: at(-1) }).where('id', '=', userId).execute();
    await db.updateTable('settings').set({ value: JSON.stringify(at(-1)) }).where('key', '=', 'unread_since').execute();
    for (let start = 0; start < N; start += 250) {
      const part = Array.from({ length: Math.min(250, N - start) }, (_, k) => start + k);
      await db.insertInto('contacts').values(part.map((i) => ({ id: id(i).replace('cnv_', 'con_'), first_name: i % 5 === 0 ? 'Zed' : 'Maria', last_name: String(i), phone: null, email: null, tags: '[]', fields: '{}', created_at: at(10 * i), updated_at: at(10 * i) }))).execute();
      await db.insertInto('conversations').values(part.map((i) => ({ id: id(i), contact_id: id(i).replace('cnv_', 'con_'), status: 'open', opened_by_source: 'api', assignee_id: null, opened_at: at(10 * i), closed_at: null }))).execute();
      await db.insertInto('messages').values(part.flatMap((i) => ['incoming', 'outgoing', 'incoming', 'incoming'].map((direction, k) => ({
        id: `msg_UNRD${String(i).padStart(6, '0')}${k}`, conversation_id: id(i), direction, kind: 'message', author_type: direction === 'incoming' ? 'contact' : 'user', author_id: null,
        text: `m${k}`, created_at: at(10 * i + 1 + k),
      })))).execute();
      const reads = part.filter((i) => readAfter(i));
      if (reads.length) await db.insertInto('conversation_reads').values(reads.map((i) => ({ conversation_id: id(i), user_id: userId, seen_at: readAfter(i)! }))).execute();
    }
    if (server.store.dialect === 'postgres') await sql`ANALYZE`.execute(db);
  }, 180_000);
  afterAll(async () => { await server?.close(); });

  const reader = () => ({ id: userId, since: at(-1) });

  it('reads a page from the activity index, each row\'s read by its key and its messages after it by time', async () => {
    const page = pageQuery(server.store.db, server.store.dialect, 'open', { reader: reader() }, { at: at(10 * 2000), id: id(2000) }, 51);
    const text = await queryPlan(server.store, page, { noSort: true });
    if (server.store.dialect === 'sqlite') {
      expect(text).toMatch(/SEARCH conversations USING INDEX conversations_by_activity \(status=\? AND <expr><\?\)/);
      expect(text).toMatch(/SEARCH seen USING INDEX sqlite_autoindex_conversation_reads_1 \(conversation_id=\? AND user_id=\?\)/);
      expect(text).toMatch(/SEARCH unread_m USING INDEX messages_by_conversation_time \(conversation_id=\? AND created_at>\?\)/);
      expect(text).not.toMatch(/TEMP B-TREE|SCAN (conversations|messages|unread_m|seen|contacts|last)\b/);
    } else {
      expect(text).toMatch(/Index Scan Backward using conversations_by_activity on conversations/);
      expect(text).toMatch(/Index (Only )?Scan using conversation_reads_pkey on conversation_reads seen\b[^\n]*\n\s+Index Cond: \(\(conversation_id = conversations\.id\) AND \(user_id = /);
      expect(text).toMatch(/Index Scan using messages_by_conversation_time on messages unread_m[^\n]*\n\s+Index Cond: \(\(conversation_id = conversations\.id\) AND \(created_at > COALESCE\(/);
      expect(text).not.toMatch(/Sort|Seq Scan/);
    }
  });

  it('the search\'s statement reads the same way, and sorts only the pages\' rows', async () => {
    const { query } = searchPagesQuery(server.store.db, server.store.dialect, ['open'], { q: 'maria', reader: reader() }, null, 51);
    const text = await queryPlan(server.store, { compile: () => query.compile(server.store.db) });
    if (server.store.dialect === 'sqlite') {
      expect(text).toMatch(/SEARCH conversations USING INDEX conversations_by_activity \(status=\?\)/);
      expect(text).toMatch(/SEARCH unread_m USING INDEX messages_by_conversation_time \(conversation_id=\? AND created_at>\?\)/);
      expect(text.match(/TEMP B-TREE/g)).toEqual(['TEMP B-TREE']);
    } else {
      expect(text).toMatch(/Index Scan Backward using conversations_by_activity on conversations/);
      expect(text).toMatch(/Index Scan using messages_by_conversation_time on messages unread_m/);
      expect(text.match(/Sort {2}\(cost/g)).toHaveLength(1);
    }
  });

  it('answers each row\'s count over HTTP, page after page', async () => {
    const api = server.api(token);
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let pageNo = 0; pageNo < 3; pageNo++) {
      const res = await api.get(`/conversations?status=open&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const list = ConversationList.parse(res.body);
      for (const c of list.conversations) {
        const i = Number(c.id.slice(-6));
        expect(c.unread, c.id).toBe(expected(i));
        seen.push(i);
      }
      cursor = list.nextCursor;
    }
    expect(seen).toEqual(Array.from({ length: 150 }, (_, k) => N - 1 - k));
  });
}
