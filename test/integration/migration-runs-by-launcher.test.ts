import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';

// Migration 085: runs launched from a shortcut before the upgrade name their launcher in the
// run history (and its ?launchedBy= filter) at once; other runs name no one, even one whose
// webhook mapped a variable called launchedBy.

async function scenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '084-conversations-by-closing', schema);
  const t0 = '2026-03-01T10:00:00.000Z';
  const run = (id: string, eventType: string, trigger: object, status = 'completed') => ({
    id, workflow_id: 'wf_1', workflow_version: 1, contact_id: 'con_1', conversation_id: null, event_id: `evt_${id}`, event_type: eventType,
    variables: JSON.stringify({ trigger, step: { note: 'kept' } }), status, cursor: 0, step_log: '[]', wake_at: null, attempts: 0, jumps: 0, depth: 0,
    lease_owner: null, lease_until: null, error: null, created_at: t0, updated_at: t0, ended_at: t0, blocked: 0,
  });
  await db.insertInto('runs').values([
    run('run_1', 'shortcut.launched', { orderId: 'A-1', launchedBy: 'usr_ava' }, 'failed'),
    run('run_2', 'shortcut.launched', { launchedBy: 'usr_ben' }),
    run('run_3', 'webhook.received', { launchedBy: 'usr_ava' }),
    run('run_4', 'contact.tag_added', {}),
  ]).execute();
  await migrateUpTo(db, '085-runs-by-launcher', schema);
  const rows = await db.selectFrom('runs').select(['id', 'launched_by']).orderBy('id').execute();
  expect(rows).toEqual([
    { id: 'run_1', launched_by: 'usr_ava' },
    { id: 'run_2', launched_by: 'usr_ben' },
    { id: 'run_3', launched_by: null },
    { id: 'run_4', launched_by: null },
  ]);
  const failed = await db.selectFrom('runs').select('id').where('status', '=', 'failed').execute();
  expect(failed).toEqual([{ id: 'run_1' }]);
}

onBothStores('085', 'names the launcher of shortcut runs from before the upgrade, and no one else', scenario);
