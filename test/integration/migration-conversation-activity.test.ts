import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../server/store/migrations/index';
import { openSqlite } from '../../server/store/sqlite-adapter';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../support/postgres';

// Migration 068: conversations keep the time of their latest message (the inbox lists them by
// it). An upgraded database takes it from the messages it already has; later messages keep it
// (a trigger), never moving it back.
async function migrateUpTo(db: Kysely<any>, last: string | undefined, schema?: string) {
  const names = Object.keys(migrations).filter((n) => last === undefined || n <= last);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => Object.fromEntries(names.map((n) => [n, migrations[n]!])) }, allowUnorderedMigrations: true, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

async function upgradeScenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '067-question-waits-unsent', schema);
  const t = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
  await db.insertInto('contacts').values(['con_a', 'con_b', 'con_c'].map((id) => ({
    id, first_name: id, last_name: '', phone: null, email: null, tags: '[]', fields: '{}', created_at: t(0), updated_at: t(0),
  }))).execute();
  const conversation = (id: string, contact: string, openedAt: string) => ({ id, contact_id: contact, status: 'open', opened_by_source: 'api', opened_at: openedAt });
  await db.insertInto('conversations').values([conversation('cnv_a', 'con_a', t(1)), conversation('cnv_b', 'con_b', t(2)), conversation('cnv_c', 'con_c', t(3))]).execute();
  const message = (id: string, conversationId: string, at: string) => ({
    id, conversation_id: conversationId, direction: 'incoming', kind: 'message', author_type: 'contact', author_id: null, text: id, created_at: at,
  });
  // The oldest conversation has the newest message; its messages' ids do not follow their times.
  await db.insertInto('messages').values([message('msg_2', 'cnv_a', t(20)), message('msg_1', 'cnv_a', t(10)), message('msg_3', 'cnv_b', t(5))]).execute();

  await migrateUpTo(db, undefined, schema);
  const activity = async () => Object.fromEntries((await db.selectFrom('conversations').select(['id', 'last_message_at']).orderBy('id').execute()).map((r) => [r.id, r.last_message_at]));
  expect(await activity()).toEqual({ cnv_a: t(20), cnv_b: t(5), cnv_c: null });

  await db.insertInto('messages').values(message('msg_4', 'cnv_c', t(30))).execute();
  await db.insertInto('messages').values(message('msg_5', 'cnv_a', t(15))).execute(); // older than its latest
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('messages').values(message('msg_6', 'cnv_b', t(40))).execute();
    await trx.insertInto('messages').values(message('msg_7', 'cnv_b', t(35))).execute();
  });
  expect(await activity()).toEqual({ cnv_a: t(20), cnv_b: t(40), cnv_c: t(30) });
}

describe('migration 068 on SQLite', () => {
  it('takes each conversation\'s latest message time from its messages, then keeps it as messages arrive', async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: openSqlite(':memory:') }) });
    try { await upgradeScenario(db); } finally { await db.destroy(); }
  });
});

describePg('migration 068 on PostgreSQL', () => {
  it('takes each conversation\'s latest message time from its messages, then keeps it as messages arrive', async () => {
    const url = pgUrl()!;
    const schema = freshSchemaName();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` }) }) });
    try { await upgradeScenario(db, schema); } finally { await db.destroy(); await dropSchema(url, schema); }
  });
});
