import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';

// Migration 095: a database with threads gains thread_at and the thread-order index; its messages
// stay, read in arrival order until some are placed elsewhere, and the arrival index (089) stays
// for what counts by arrival (unread counts).

async function scenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '094-conversation-reads', schema);
  const t0 = '2026-03-01T10:00:00.000Z';
  await db.insertInto('contacts').values({ id: 'con_1', first_name: 'Kwame', last_name: '', phone: null, email: null, tags: '[]', fields: '{}', created_at: t0, updated_at: t0 }).execute();
  await db.insertInto('conversations').values({ id: 'cnv_1', contact_id: 'con_1', status: 'open', opened_by_source: 'api', assignee_id: null, opened_at: t0 }).execute();
  const message = (id: string, createdAt: string) => ({ id, conversation_id: 'cnv_1', direction: 'incoming', kind: 'message', author_type: 'contact', author_id: null, text: id, created_at: createdAt });
  await db.insertInto('messages').values([message('msg_1', '2026-03-01T10:01:00.000Z'), message('msg_2', '2026-03-01T10:02:00.000Z'), message('msg_3', '2026-03-01T10:03:00.000Z')]).execute();
  await migrateUpTo(db, '095-message-thread-order', schema);

  const indexes = schema
    ? (await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE schemaname = ${schema} AND tablename = 'messages' ORDER BY 1`.execute(db)).rows
    : (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL ORDER BY 1`.execute(db)).rows;
  expect(indexes.map((i) => i.name)).toEqual(expect.arrayContaining(['messages_by_conversation_time', 'messages_by_thread_order']));
  const order = async () => (await db.selectFrom('messages').select('id').where('conversation_id', '=', 'cnv_1')
    .orderBy(sql`COALESCE(thread_at, created_at)`).orderBy('id').execute()).map((m) => m.id);
  expect(await order()).toEqual(['msg_1', 'msg_2', 'msg_3']);
  await db.updateTable('messages').set({ thread_at: '2026-03-01T10:00:30.000Z' }).where('id', '=', 'msg_3').execute();
  expect(await order()).toEqual(['msg_3', 'msg_1', 'msg_2']);
}

onBothStores('095', 'adds thread_at and the thread-order index, keeping every message and the arrival index', scenario);
