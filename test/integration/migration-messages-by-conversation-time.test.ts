import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';

// Migration 089: a database with threads upgrades to the thread-order index in place of
// (conversation_id, id); its messages stay, and a thread reads in its order from the new index.

async function scenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '088-runs-by-status', schema);
  const t0 = '2026-03-01T10:00:00.000Z';
  await db.insertInto('contacts').values({ id: 'con_1', first_name: 'Ada', last_name: '', phone: null, email: null, tags: '[]', fields: '{}', created_at: t0, updated_at: t0 }).execute();
  await db.insertInto('conversations').values({ id: 'cnv_1', contact_id: 'con_1', status: 'open', opened_by_source: 'api', assignee_id: null, opened_at: t0 }).execute();
  const message = (id: string, createdAt: string) => ({ id, conversation_id: 'cnv_1', direction: 'incoming', kind: 'message', author_type: 'contact', author_id: null, text: id, created_at: createdAt });
  // msg_1 moved after msg_3 (an activity line keeps its id); msg_2 and msg_4 in the same second.
  await db.insertInto('messages').values([
    message('msg_1', '2026-03-01T10:03:00.000Z'), message('msg_2', '2026-03-01T10:01:00.000Z'),
    message('msg_3', '2026-03-01T10:02:00.000Z'), message('msg_4', '2026-03-01T10:01:00.000Z'),
  ]).execute();
  await migrateUpTo(db, '089-messages-by-conversation-time', schema);

  const indexes = schema
    ? (await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE schemaname = ${schema} AND tablename = 'messages' ORDER BY 1`.execute(db)).rows
    : (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL ORDER BY 1`.execute(db)).rows;
  expect(indexes.map((i) => i.name)).toContain('messages_by_conversation_time');
  expect(indexes.map((i) => i.name)).not.toContain('messages_by_conversation');
  const thread = await db.selectFrom('messages').select('id').where('conversation_id', '=', 'cnv_1').orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  expect(thread.map((m) => m.id)).toEqual(['msg_1', 'msg_3', 'msg_4', 'msg_2']);
}

onBothStores('089', 'replaces messages_by_conversation with the thread-order index, keeping every message', scenario);
