import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';

// Migration 010 moves "the runs of a keyed event" from an index onto the event: a delivery
// repeated after the upgrade must still be answered with the runs its first copy started.

async function backfillScenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '009-runs-due-by-state', schema);
  const now = new Date().toISOString();
  const event = (id: string, key: string | null) => ({ id, type: 'webhook.received', source: 'api', contact_id: null, payload: '{}', idempotency_key: key, depth: 0, note: null, created_at: now });
  await db.insertInto('events').values([event('evt_keyed', 'hook:wf:d-1'), event('evt_plain', null), event('evt_none', 'hook:wf:d-2')]).execute();
  const run = (id: string, eventId: string) => ({
    id, workflow_id: 'wf', workflow_version: 1, contact_id: 'c', conversation_id: null, event_id: eventId, event_type: 'webhook.received',
    variables: '{}', status: 'completed', cursor: 0, step_log: '[]', wake_at: null, attempts: 1, jumps: 0, depth: 0,
    lease_owner: null, lease_until: null, error: null, created_at: now, updated_at: now, ended_at: now, blocked: 0,
  });
  await db.insertInto('runs').values([run('run_b', 'evt_keyed'), run('run_a', 'evt_keyed'), run('run_c', 'evt_plain')]).execute();

  await migrateUpTo(db, undefined, schema);
  const rows = await db.selectFrom('events').select(['id', 'run_ids']).orderBy('id').execute();
  expect(Object.fromEntries(rows.map((r) => [r.id, r.run_ids === null ? null : JSON.parse(r.run_ids)]))).toEqual({
    evt_keyed: ['run_a', 'run_b'], evt_none: [], evt_plain: null,
  });
  const indexes = await (db.getExecutor().adapter.constructor.name === 'PostgresAdapter'
    ? sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'runs' AND schemaname = current_schema()`
    : sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs'`).execute(db);
  expect(indexes.rows.map((r) => r.name)).not.toContain('runs_by_event');
}

onBothStores('010', 'keeps the run ids of every keyed event on the event, then drops runs_by_event', backfillScenario);
