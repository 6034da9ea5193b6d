import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';

// Migration 075: a contact's identities are found from the contact (editing a Chatwoot contact
// on every PATCH, a step's Chatwoot id, erasure, merge) through an index, not by reading every
// identity of the channel. Plans with many identities in one channel, as a synced account has.

async function scenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, undefined, schema);
  const t0 = '2026-03-01T10:00:00.000Z';
  const contacts = Array.from({ length: 2000 }, (_, i) => ({ id: `con_${i}`, first_name: '', last_name: '', phone: null, email: null, tags: '[]', fields: '{}', created_at: t0, updated_at: t0 }));
  for (let i = 0; i < contacts.length; i += 500) await db.insertInto('contacts').values(contacts.slice(i, i + 500)).execute();
  const ids = contacts.map((c, i) => ({ channel: 'chatwoot:cw_1', external_id: String(1000 + i), contact_id: c.id, created_at: t0 }));
  for (let i = 0; i < ids.length; i += 500) await db.insertInto('channel_identities').values(ids.slice(i, i + 500)).execute();
  const query = db.selectFrom('channel_identities').select('external_id')
    .where('channel', '=', 'chatwoot:cw_1').where('contact_id', '=', 'con_1500').compile();
  if (schema) {
    await sql`ANALYZE channel_identities`.execute(db);
    const rows = (await db.executeQuery<{ 'QUERY PLAN': string }>({ ...query, sql: `EXPLAIN ${query.sql}` })).rows;
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/channel_identities_by_contact/);
    expect(plan).not.toMatch(/Seq Scan on channel_identities/);
  } else {
    const rows = (await db.executeQuery<{ detail: string }>({ ...query, sql: `EXPLAIN QUERY PLAN ${query.sql}` })).rows;
    expect(rows.map((r) => r.detail).join('\n')).toMatch(/USING INDEX channel_identities_by_contact \(contact_id=\? AND channel=\?\)/);
  }
  const found = await db.executeQuery<{ external_id: string }>(query);
  expect(found.rows).toEqual([{ external_id: '2500' }]);
}

onBothStores('075', "finds a contact's identity in a channel through channel_identities_by_contact", scenario);
