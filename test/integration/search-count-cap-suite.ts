import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConversationList, SEARCH_COUNT_CAP } from '../../lib/contracts/conversations';
import { countQuery } from '../../server/domain/conversation-list';
import { searchPagesQuery } from '../../server/domain/conversation-search';
import { messageHits } from '../../server/domain/message-search';
import { startTestServer, type TestServer } from '../support/server';
import { queryPlan } from './query-plan';

/**
 * A search for a word in more messages than the count reads (SEARCH_COUNT_CAP): the answer says
 * its total is a floor, and its pages still hold every match, the newest first, those whose
 * messages the count did not read too. A rarer text's total stays exact. Text beyond ASCII is
 * looked up by its ASCII trigrams on PostgreSQL, with the same rows on both stores; Unread's
 * count reads the user's reads once there. Registered by search-count-cap.test.ts (SQLite) and
 * .pg.test.ts (PostgreSQL).
 */
export function searchCountCapSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let token: string;
  let userId: string;
  const N = Math.ceil((SEARCH_COUNT_CAP + 200) / 2);
  const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString();
  const id = (i: number) => `cnv_CAP${String(i).padStart(6, '0')}`;
  const extra: Record<string, string> = { A: 'olá, ação chegou', B: 'OLÁ, AÇÃO', C: 'Ola, acao', D: '\u212AILO AÇÃO', E: 'kilo acao', F: 'Ο κ. ΠΑΠΑΣΤΑΘΗΣ' };

  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    const made = await server.createUser('agent', { name: 'Ava' });
    token = made.token;
    userId = made.user.id;
    const db = server.store.db;
    const all = [...Array.from({ length: N }, (_, i) => i), ...Object.keys(extra).map((_, k) => N + k)];
    for (let start = 0; start < all.length; start += 250) {
      const part = all.slice(start, start + 250);
      await db.insertInto('contacts').values(part.map((i) => ({ id: id(i).replace('cnv_', 'con_'), first_name: 'Maria', last_name: String(i), phone: null, email: null, tags: '[]', fields: '{}', created_at: at(i), updated_at: at(i) }))).execute();
      await db.insertInto('conversations').values(part.map((i) => ({ id: id(i), contact_id: id(i).replace('cnv_', 'con_'), status: 'open', opened_by_source: 'api', assignee_id: null, opened_at: at(10 * i), closed_at: null }))).execute();
      // Each of the first N: two messages with the word, and one with a phrase only every 500th has.
      await db.insertInto('messages').values(part.flatMap((i) => (i < N ? ['I want a refund', 'Still no refund', i % 500 === 0 ? 'the parcel never came' : 'hello'] : [extra[Object.keys(extra)[i - N]!]!]).map((text, k) => ({
        id: `msg_CAP${String(i).padStart(6, '0')}${k}`, conversation_id: id(i), direction: 'incoming', kind: 'message', author_type: 'contact', author_id: null, text, created_at: at(10 * i + 1 + k),
      })))).execute();
    }
    if (server.store.dialect === 'postgres') await sql`ANALYZE`.execute(db);
  }, 180_000);
  afterAll(async () => { await server?.close(); });

  const list = async (query: string) => {
    const res = await server.api(token).get(`/conversations?status=open&${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ConversationList.parse(res.body);
  };

  it('says a common word\'s total is a floor, and still pages through every match, newest first', async () => {
    const first = await list('q=refund&limit=50');
    expect(first.totalIsLowerBound).toBe(true);
    expect(first.total).toBeGreaterThan(0);
    expect(first.total).toBeLessThan(N);
    // The newest conversations' messages came last: beyond what the count read, yet on the first page.
    expect(first.conversations.map((c) => c.id)).toEqual(Array.from({ length: 50 }, (_, k) => id(N - 1 - k)));
    expect(first.conversations[0]!.match?.snippet).toContain('refund');
    const seen: string[] = first.conversations.map((c) => c.id);
    for (let cursor = first.nextCursor; cursor;) {
      const page = await list(`q=refund&limit=100&cursor=${encodeURIComponent(cursor)}`);
      seen.push(...page.conversations.map((c) => c.id));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(Array.from({ length: N }, (_, k) => id(N - 1 - k)));
  }, 60_000);

  it('counts a rarer text exactly', async () => {
    const page = await list('q=parcel%20never&limit=50');
    expect(page.total).toBe(Math.ceil(N / 500));
    expect(page.totalIsLowerBound).toBe(false);
    expect(page.conversations).toHaveLength(Math.ceil(N / 500));
  });

  it.each([
    ['OLÁ, AÇÃO', ['A', 'B']],
    ['kilo ação', ['D']],
    ['lo aç', ['D']],
    ['ação', ['A', 'B', 'D']],
    ['ÇÃO CH', ['A']],
    ['παπας', ['F']],
  ])('finds %j beyond ASCII in the same conversations on both stores', async (q, want) => {
    const page = await list(`q=${encodeURIComponent(q)}&limit=50`);
    expect(page.conversations.map((c) => c.id).sort()).toEqual(want.map((k) => id(N + Object.keys(extra).indexOf(k))).sort());
    expect(page.totalIsLowerBound).toBe(false);
  });

  it('reads a match beyond the count\'s messages from the row\'s own messages, only for the rows a page reads', async () => {
    const { query } = searchPagesQuery(server.store.db, server.store.dialect, ['open'], { q: 'refund' }, null, 51);
    const text = await queryPlan(server.store, { compile: () => query.compile(server.store.db) });
    if (server.store.dialect === 'sqlite') expect(text).toMatch(/SEARCH hit_m USING (COVERING )?INDEX \w+ \(conversation_id=\?/);
    else expect(text).toMatch(/on messages hit_m[^\n]*\n\s+Index Cond: \(conversation_id = conversations(_\d+)?\.id\)/);
  });

  it('looks text beyond ASCII up by its ASCII trigrams on PostgreSQL', async () => {
    if (server.store.dialect !== 'postgres') return;
    const text = await queryPlan(server.store, messageHits(server.store.db, 'postgres', 'Olá, ação, about'));
    expect(text).toMatch(/Bitmap Index Scan on messages_by_trigrams[^\n]*\n\s+Index Cond: \(message_trigrams\(text\) @> '\{[^}]*abo,bou,out\}'/);
  });

  // "ação" has no three ASCII letters in a row: it read every message (238 ms on 200,000).
  it('looks a word with no ASCII trigram up by its trigrams beyond ASCII on PostgreSQL', async () => {
    if (server.store.dialect !== 'postgres') return;
    const text = await queryPlan(server.store, messageHits(server.store.db, 'postgres', 'AÇÃO'));
    expect(text).toMatch(/Bitmap Index Scan on messages_by_folded_trigrams[^\n]*\n\s+Index Cond: \(message_folded_trigrams\(text\) @> /);
  });

  it('counts Unread on PostgreSQL over the user\'s reads read once, probing messages only after a look', async () => {
    if (server.store.dialect !== 'postgres') return;
    const text = await queryPlan(server.store, countQuery(server.store.db, 'postgres', 'open', { reader: { id: userId, since: at(-1) }, unread: true }));
    expect(text).toMatch(/Join[\s\S]*on conversation_reads unread_seen/);
    expect(text).not.toMatch(/on conversation_reads seen\b/);
    expect(text).toMatch(/messages_by_conversation_time on messages unread_m/);
  });
}
