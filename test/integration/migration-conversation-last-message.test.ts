import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';

// Migrations 072-073: conversations name their latest message (the inbox list previews it). An
// upgraded database takes it from the messages it already has (the latest by time, then id);
// later messages keep it through the trigger that keeps last_message_at, never moving it back.

async function upgradeScenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '071-tags-any-case', schema);
  const t = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
  await db.insertInto('contacts').values(['con_a', 'con_b', 'con_c'].map((id) => ({
    id, first_name: id, last_name: '', phone: null, email: null, tags: '[]', fields: '{}', created_at: t(0), updated_at: t(0),
  }))).execute();
  const conversation = (id: string, contact: string) => ({ id, contact_id: contact, status: 'open', opened_by_source: 'api', opened_at: t(1) });
  await db.insertInto('conversations').values([conversation('cnv_a', 'con_a'), conversation('cnv_b', 'con_b'), conversation('cnv_c', 'con_c')]).execute();
  const message = (id: string, conversationId: string, at: string) => ({
    id, conversation_id: conversationId, direction: 'incoming', kind: 'message', author_type: 'contact', author_id: null, text: id, created_at: at,
  });
  // cnv_a: ids do not follow times; cnv_b: two messages in the same millisecond.
  await db.insertInto('messages').values([message('msg_2', 'cnv_a', t(20)), message('msg_1', 'cnv_a', t(10)), message('msg_3', 'cnv_a', t(15)),
    message('msg_4', 'cnv_b', t(5)), message('msg_5', 'cnv_b', t(5))]).execute();

  await migrateUpTo(db, undefined, schema);
  const latest = async () => Object.fromEntries((await db.selectFrom('conversations').select(['id', 'last_message_id', 'last_message_at']).orderBy('id').execute())
    .map((r) => [r.id, [r.last_message_id, r.last_message_at]]));
  expect(await latest()).toEqual({ cnv_a: ['msg_2', t(20)], cnv_b: ['msg_5', t(5)], cnv_c: [null, null] });

  await db.insertInto('messages').values(message('msg_6', 'cnv_c', t(30))).execute();
  await db.insertInto('messages').values(message('msg_7', 'cnv_a', t(12))).execute(); // older than its latest
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('messages').values(message('msg_9', 'cnv_b', t(40))).execute();
    await trx.insertInto('messages').values(message('msg_8', 'cnv_b', t(35))).execute();
  });
  expect(await latest()).toEqual({ cnv_a: ['msg_2', t(20)], cnv_b: ['msg_9', t(40)], cnv_c: ['msg_6', t(30)] });
}

onBothStores('073', 'takes each conversation\'s latest message from its messages, then keeps it as messages arrive', upgradeScenario);
