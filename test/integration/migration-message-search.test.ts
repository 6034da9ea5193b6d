import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { messageHits } from '../../server/domain/message-search';
import { SEARCH_REINDEX_SQLITE } from '../../server/store/migrations/096-message-search';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';

// Migration 096: the trigram index of messages' text that the list's search reads
// (domain/message-search.ts). The messages a database already holds are found once it runs;
// what is written, changed or erased after is found (or not) at once; and a search reads the
// index, not every message.

async function scenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '095-message-thread-order', schema);
  const t0 = '2026-03-01T10:00:00.000Z';
  await db.insertInto('contacts').values({ id: 'con_1', first_name: 'Kwame', last_name: '', phone: null, email: null, tags: '[]', fields: '{}', created_at: t0, updated_at: t0 }).execute();
  await db.insertInto('conversations').values(['cnv_1', 'cnv_2'].map((id) => ({ id, contact_id: 'con_1', status: id === 'cnv_1' ? 'closed' : 'open', opened_by_source: 'api', assignee_id: null, opened_at: t0 }))).execute();
  const message = (id: string, conversationId: string, text: string, kind = 'message', authorType = 'contact') => ({ id, conversation_id: conversationId, direction: authorType === 'contact' ? 'incoming' : 'outgoing', kind, author_type: authorType, author_id: null, text, created_at: t0 });
  await db.insertInto('messages').values([
    message('msg_1', 'cnv_1', 'Where is my REFUND?'), message('msg_2', 'cnv_1', 'Any news on the refund'), message('msg_3', 'cnv_2', 'Hello'),
    message('msg_4', 'cnv_2', 'assigned the refund to Ava', 'activity'),
    // A workflow's words (the same in every conversation it runs in) are not searched.
    message('msg_w1', 'cnv_2', 'Your refund request is in: we answer within a day', 'message', 'workflow'),
  ]).execute();
  await migrateUpTo(db, '096-message-search', schema);

  const dialect = schema ? 'postgres' as const : 'sqlite' as const;
  const hits = async (q: string) => [...new Set((await messageHits(db, dialect, q).execute()).map((r) => r.conversation_id))].sort();
  // Found once the migration ran; an activity line is no one's message.
  expect(await hits('refund')).toEqual(['cnv_1']);
  expect(await hits('REF')).toEqual(['cnv_1']);
  await db.insertInto('messages').values(message('msg_5', 'cnv_2', 'The refund came, thanks')).execute();
  expect(await hits('refund came')).toEqual(['cnv_2']);
  await db.updateTable('messages').set({ text: 'Hello, about a parcel' }).where('id', '=', 'msg_3').execute();
  expect(await hits('parcel')).toEqual(['cnv_2']);
  expect(await hits('hello')).toEqual(['cnv_2']);
  await db.insertInto('messages').values(message('msg_w2', 'cnv_1', 'Refund note from the workflow', 'comment', 'workflow')).execute();
  await db.updateTable('messages').set({ text: 'Refund note, edited' }).where('id', '=', 'msg_w2').execute();
  expect(await hits('refund')).toEqual(['cnv_1', 'cnv_2']);
  expect(await hits('note')).toEqual([]);
  await db.deleteFrom('messages').where('conversation_id', '=', 'cnv_1').execute();
  expect(await hits('refund')).toEqual(['cnv_2']);
  if (!schema) {
    // A VACUUM may renumber rowids, which the index points at: README's command makes it again.
    await sql`VACUUM`.execute(db);
    for (const statement of SEARCH_REINDEX_SQLITE.split(';').map((x) => x.trim()).filter(Boolean)) await sql.raw(statement).execute(db);
    expect(await hits('refund')).toEqual(['cnv_2']);
    expect(await hits('parcel')).toEqual(['cnv_2']);
    expect(await hits('request is in')).toEqual([]);
    expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain(SEARCH_REINDEX_SQLITE);
  }

  const compiled = messageHits(db, dialect, 'refund').compile();
  const plan = schema
    ? await db.connection().execute(async (c) => {
      // Five rows: reading them all (or in GROUP BY's order from another index) is cheaper, so
      // both are discouraged; the plan then shows whether the trigram index can give them.
      await sql`SET enable_seqscan = off`.execute(c);
      await sql`SET enable_indexscan = off`.execute(c);
      try {
        return (await c.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `EXPLAIN ${compiled.sql}` })).rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await sql`RESET enable_seqscan`.execute(c);
        await sql`RESET enable_indexscan`.execute(c);
      }
    })
    : (await db.executeQuery<{ detail: string }>({ ...compiled, sql: `EXPLAIN QUERY PLAN ${compiled.sql}` })).rows.map((r) => r.detail).join('\n');
  expect(plan).toMatch(schema ? /Bitmap Index Scan on messages_by_trigrams/ : /SCAN messages_search VIRTUAL TABLE INDEX/);
}

onBothStores('096', 'indexes messages\' trigrams: old messages found, new, changed and erased ones kept up, a workflow\'s words left out, the index read', scenario);
