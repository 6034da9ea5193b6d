import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';

// Migration 102: a reaction or edit waiting for its message is kept under its sender, so erasing
// the contact finds it. Edits that were already waiting name their writer in `edit` and get their
// sender from it; a reaction from before names nobody and stays without one (gone within 7 days).

async function scenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '101-early-edits', schema);
  const at = '2026-03-01T10:00:00.000Z';
  const edit = (channel: string, senderId: string) => JSON.stringify({ channel, senderId, text: 'New words', count: null, at: null });
  await db.insertInto('early_reactions').values([
    { dedupe_key: 'wa:edit', connection_id: 'conn_wa', target_id: 'wamid.A', emoji: null, edit: edit('whatsapp', '+1 415 555 0123'), created_at: at },
    { dedupe_key: 'fb:edit', connection_id: 'conn_fb', target_id: 'm_B', emoji: null, edit: edit('messenger', '4871203918'), created_at: at },
    { dedupe_key: 'wa:reaction', connection_id: 'conn_wa', target_id: 'wamid.C', emoji: '👍', edit: null, created_at: at },
    { dedupe_key: 'wa:unreadable', connection_id: 'conn_wa', target_id: 'wamid.D', emoji: null, edit: '{not json', created_at: at },
  ]).execute();
  await migrateUpTo(db, undefined, schema);
  const rows = await db.selectFrom('early_reactions').select(['dedupe_key', 'sender']).orderBy('dedupe_key').execute();
  expect(rows.map((r) => ({ ...r }))).toEqual([
    { dedupe_key: 'fb:edit', sender: 'messenger:4871203918' },
    { dedupe_key: 'wa:edit', sender: 'whatsapp:14155550123' },
    { dedupe_key: 'wa:reaction', sender: null },
    { dedupe_key: 'wa:unreadable', sender: null },
  ]);
}

onBothStores('102', 'an edit already waiting gets its writer as sender; a reaction from before has none', scenario);
