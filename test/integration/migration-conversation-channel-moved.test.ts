import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';

// Migration 083: conversations moved onto a WhatsApp number or Page after migration 081 kept the
// channel they had (null for a built-in one, messenger for one moved to WhatsApp). Upgrading, each
// takes its connection's; a Chatwoot one, a built-in one and one whose number was deleted are left.

async function scenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '082-activity-messages', schema);
  const t0 = '2026-03-01T10:00:00.000Z';
  await db.insertInto('contacts').values(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => ({ id: `con_${k}`, first_name: k, last_name: '', phone: null, email: null, tags: '[]', fields: '{}', created_at: t0, updated_at: t0 }))).execute();
  const connection = (id: string, kind: string) => ({ id, kind, name: id, config: '{}', secrets: '', status: 'active', created_at: t0, updated_at: t0 });
  await db.insertInto('connections').values([connection('wa_1', 'whatsapp'), connection('cwa_1', 'chatwoot')]).execute();
  const conversation = (id: string, contact: string, connectionId: string | null, channelType: string | null, externalId: string | null = connectionId ? '1' : null) => ({
    id, contact_id: contact, status: 'closed', opened_by_source: 'contact', closed_by_source: 'user', close_reason: null, category: null, summary: null, assignee_id: null,
    opened_at: t0, closed_at: t0, first_incoming_message: null, first_response_at: null, connection_id: connectionId, external_id: externalId, channel_type: channelType,
  });
  await db.insertInto('conversations').values([
    conversation('cnv_from_inbox', 'con_a', 'wa_1', null), conversation('cnv_from_messenger', 'con_b', 'wa_1', 'messenger'),
    conversation('cnv_wa', 'con_c', 'wa_1', 'whatsapp'), conversation('cnv_cw', 'con_d', 'cwa_1', 'web'),
    conversation('cnv_own', 'con_e', null, null), conversation('cnv_deleted', 'con_f', null, 'messenger', '4871203918'),
  ]).execute();
  await migrateUpTo(db, '083-conversation-channel-moved', schema);
  const rows = await db.selectFrom('conversations').select(['id', 'channel_type']).orderBy('id').execute();
  expect(rows).toEqual([
    { id: 'cnv_cw', channel_type: 'web' },
    { id: 'cnv_deleted', channel_type: 'messenger' },
    { id: 'cnv_from_inbox', channel_type: 'whatsapp' },
    { id: 'cnv_from_messenger', channel_type: 'whatsapp' },
    { id: 'cnv_own', channel_type: null },
    { id: 'cnv_wa', channel_type: 'whatsapp' },
  ]);
}

onBothStores('083', 'gives conversations moved onto a WhatsApp number or Page that channel', scenario);
