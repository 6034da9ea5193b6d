import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';

// Migration 081: conversations keep where they live (a Chatwoot inbox, a channel in one word).
// Upgrading, those on the companion's own WhatsApp numbers and Pages take their channel at once;
// Chatwoot ones wait for the account's next sync, built-in ones need none (no connection).

async function scenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '080-conversation-ad-referral', schema);
  const t0 = '2026-03-01T10:00:00.000Z';
  await db.insertInto('contacts').values(['a', 'b', 'c', 'd'].map((k) => ({ id: `con_${k}`, first_name: k, last_name: '', phone: null, email: null, tags: '[]', fields: '{}', created_at: t0, updated_at: t0 }))).execute();
  const connection = (id: string, kind: string) => ({ id, kind, name: id, config: '{}', secrets: '', status: 'active', created_at: t0, updated_at: t0 });
  await db.insertInto('connections').values([connection('wa_1', 'whatsapp'), connection('fb_1', 'messenger'), connection('cwa_1', 'chatwoot')]).execute();
  const conversation = (id: string, contact: string, connectionId: string | null) => ({
    id, contact_id: contact, status: 'closed', opened_by_source: 'contact', closed_by_source: 'user', close_reason: null, category: null, summary: null, assignee_id: null,
    opened_at: t0, closed_at: t0, first_incoming_message: null, first_response_at: null, connection_id: connectionId, external_id: connectionId ? '1' : null,
  });
  await db.insertInto('conversations').values([
    conversation('cnv_wa', 'con_a', 'wa_1'), conversation('cnv_fb', 'con_b', 'fb_1'), conversation('cnv_cw', 'con_c', 'cwa_1'), conversation('cnv_own', 'con_d', null),
  ]).execute();
  await migrateUpTo(db, '081-conversation-inbox', schema);
  const rows = await db.selectFrom('conversations').select(['id', 'channel_type', 'inbox_name', 'inbox_external_id']).orderBy('id').execute();
  expect(rows).toEqual([
    { id: 'cnv_cw', channel_type: null, inbox_name: null, inbox_external_id: null },
    { id: 'cnv_fb', channel_type: 'messenger', inbox_name: null, inbox_external_id: null },
    { id: 'cnv_own', channel_type: null, inbox_name: null, inbox_external_id: null },
    { id: 'cnv_wa', channel_type: 'whatsapp', inbox_name: null, inbox_external_id: null },
  ]);
}

onBothStores('081', 'keeps the channel of conversations on WhatsApp numbers and Pages; Chatwoot ones are filled by their next sync', scenario);
