import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';

// Migration 088: runs already stored are in their status's index at once (the run history's
// status filters read those indexes from the upgrade on), and completed runs in none.

async function scenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '087-run-reruns', schema);
  const t0 = '2026-03-01T10:00:00.000Z';
  const run = (id: string, workflow: string, status: string) => ({
    id, workflow_id: workflow, workflow_version: 1, contact_id: 'con_1', conversation_id: null, event_id: `evt_${id}`, event_type: 'webhook.received',
    variables: '{}', status, cursor: 0, step_log: '[]', wake_at: null, attempts: 0, jumps: 0, depth: 0,
    lease_owner: null, lease_until: null, error: null, created_at: t0, updated_at: t0, ended_at: null, blocked: 0,
  });
  await db.insertInto('runs').values([
    run('run_1', 'wf_a', 'completed'), run('run_2', 'wf_a', 'queued'), run('run_3', 'wf_b', 'running'), run('run_4', 'wf_b', 'waiting'),
    run('run_5', 'wf_a', 'failed'), run('run_6', 'wf_b', 'cancelled'), run('run_7', 'wf_a', 'cancelled'),
  ]).execute();
  await migrateUpTo(db, '088-runs-by-status', schema);
  const indexes = schema
    ? (await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE schemaname = ${schema} AND tablename = 'runs'`.execute(db)).rows
    : (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs'`.execute(db)).rows;
  expect(indexes.map((r) => r.name)).toEqual(expect.arrayContaining(['runs_unfinished', 'runs_cancelled', 'runs_failed_by_workflow', 'runs_cancelled_by_workflow']));
  const ids = async (where: ReturnType<typeof sql<boolean>>) => (await db.selectFrom('runs').select('id').where(where).orderBy('id').execute()).map((r) => r.id);
  expect(await ids(sql`status = 'queued' OR status = 'running' OR status = 'waiting'`)).toEqual(['run_2', 'run_3', 'run_4']);
  expect(await ids(sql`status = 'cancelled' AND workflow_id = 'wf_a'`)).toEqual(['run_7']);
}

onBothStores('088', 'indexes the runs of each status already stored', scenario);
