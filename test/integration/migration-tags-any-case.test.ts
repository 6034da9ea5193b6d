import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { openSqlite } from '../../server/store/sqlite-adapter';
import { insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';
import { startTestServer } from '../support/server';
import { runsOf } from './engine-support';

// Migration 071: tags became one tag whatever their case. Trigger index keys of Contact Tag
// Updated are lowercased (dispatch looks tags up lowercased), and a contact holding a tag in two
// cases keeps the first.

const t0 = '2026-03-01T10:00:00.000Z';
const contact = (id: string, tags: string[]) => ({ id, first_name: id, last_name: '', phone: null, email: null, tags: JSON.stringify(tags), fields: '{}', created_at: t0, updated_at: t0 });

async function upgradeScenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '070-user-deactivation', schema);
  const key = (workflow_id: string, trigger_type: string, trigger_key: string) => ({ workflow_id, trigger_type, trigger_key });
  await db.insertInto('trigger_index').values([
    key('wf_a', 'contact_tag_updated', 'added:VIP'), key('wf_a', 'contact_tag_updated', 'added:vip'), key('wf_a', 'contact_tag_updated', 'added:Été'),
    key('wf_b', 'contact_tag_updated', 'removed:Gold'), key('wf_c', 'contact_tag_updated', 'added:plain'), key('wf_d', 'mini_app', 'app_1:Go'),
  ]).execute();
  // More than a page of contacts (the migration reads 1,000 at a time); the duplicates sort last.
  const many = Array.from({ length: 1100 }, (_, i) => contact(`con_${String(i).padStart(4, '0')}`, ['x', 'y']));
  await db.insertInto('contacts').values(many).execute();
  await db.insertInto('contacts').values([
    contact('con_a', ['vip', 'VIP', 'new']), contact('con_b', []), contact('con_c', ['ÉTÉ', 'été', 'Été', 'One']), contact('con_d', ['One']),
  ]).execute();

  await migrateUpTo(db, undefined, schema);
  const keys = await db.selectFrom('trigger_index').select(['workflow_id', 'trigger_key']).orderBy('workflow_id').orderBy('trigger_key').execute();
  expect(keys.map((k) => `${k.workflow_id} ${k.trigger_key}`)).toEqual(['wf_a added:vip', 'wf_a added:été', 'wf_b removed:gold', 'wf_c added:plain', 'wf_d app_1:Go']);
  const rows = await db.selectFrom('contacts').select(['id', 'tags', 'updated_at']).where('id', 'in', ['con_a', 'con_b', 'con_c', 'con_d', 'con_0000']).orderBy('id').execute();
  expect(Object.fromEntries(rows.map((r) => [r.id, JSON.parse(r.tags)]))).toEqual({
    con_0000: ['x', 'y'], con_a: ['vip', 'new'], con_b: [], con_c: ['ÉTÉ', 'One'], con_d: ['One'],
  });
  expect(new Set(rows.map((r) => r.updated_at))).toEqual(new Set([t0]));
}

onBothStores('071', 'lowercases tag trigger keys and keeps one of the tags a contact holds in two cases', upgradeScenario);

it('after the upgrade, a workflow published with tag "VIP" fires when a contact gets "vip", and a contact shows one tag', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'companion-071-'));
  const file = path.join(dir, 'companion.sqlite');
  try {
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: openSqlite(file, { checkpointer: false }) }) });
    await migrateUpTo(old, '070-user-deactivation');
    const wf = await insertWorkflow(old, makeWorkflow({ name: 'VIP', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['VIP'] }, steps: [] }));
    await old.insertInto('trigger_index').values({ workflow_id: wf.id, trigger_type: 'contact_tag_updated', trigger_key: 'added:VIP' }).execute();
    await old.insertInto('contacts').values(contact('con_old', ['Vip', 'vip', 'VIP'])).execute();
    await old.destroy();

    const server = await startTestServer({ sqliteFile: file });
    try {
      const admin = server.api(server.adminToken);
      expect(Contact.parse((await admin.get('/contacts/con_old')).body).tags).toEqual(['Vip']);
      const created = await admin.post('/contacts', { firstName: 'New', tags: ['vip'] });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const [run] = await runsOf(server, wf.id);
      expect(await waitForRun(server.app.services.db, run!.id)).toMatchObject({ status: 'completed', contactId: created.body.id });
    } finally {
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
