import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';

// Migration 068: conversations keep the time of their latest message (the inbox lists them by
// it). An upgraded database takes it from the messages it already has; later messages keep it
// (a trigger), never moving it back.

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

onBothStores('068', 'takes each conversation\'s latest message time from its messages, then keeps it as messages arrive', upgradeScenario);
