import { ulid } from 'ulid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store/database';
import { pruneOnce } from './retention';

let store: Store;
beforeEach(async () => { store = await openStore({ sqliteFile: ':memory:' }); });
afterEach(async () => { await store.close(); });

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-30T12:00:00.000Z');

async function run(ageDays: number, status: string, endedDaysAgo: number | null) {
  const at = NOW - ageDays * DAY;
  const id = `run_${ulid(at)}`;
  const iso = new Date(at).toISOString();
  await store.db.insertInto('runs').values({
    id, workflow_id: 'wf', workflow_version: 1, contact_id: 'c', conversation_id: null, event_id: `evt_${ulid(at)}`, event_type: 'test',
    variables: '{"trigger":{"big":"x"}}', status, cursor: 1, step_log: '[{"stepId":"a"}]', wake_at: null, attempts: 1, jumps: 0, depth: 0,
    lease_owner: null, lease_until: null, error: null, created_at: iso, updated_at: iso, blocked: 0,
    ended_at: endedDaysAgo === null ? null : new Date(NOW - endedDaysAgo * DAY).toISOString(),
  }).execute();
  await store.db.insertInto('step_effects').values({ key: `${id}:a`, result: '{}', created_at: iso }).execute();
  await store.db.insertInto('events').values({
    id: `evt_${ulid(at)}`, type: 'webhook.received', source: 'api', contact_id: null, payload: '{"body":"big"}', idempotency_key: null, depth: 0, note: null, created_at: iso, run_ids: null,
  }).execute();
  return id;
}

const ids = async (table: 'runs' | 'events') => (await store.db.selectFrom(table).select('id').execute()).map((r) => r.id).sort();

describe('retention of finished runs and events', () => {
  it('deletes runs that ended before the cutoff, with their events and effects; keeps recent and unfinished ones', async () => {
    const oldDone = await run(40, 'completed', 39);
    const oldFailed = await run(35, 'failed', 35);
    const oldWaiting = await run(45, 'waiting', null);
    const startedOldEndedRecently = await run(40, 'completed', 2);
    const recent = await run(3, 'completed', 3);
    const r = await pruneOnce(store.db, 30, NOW);
    expect(r.runs).toBe(2);
    expect(await ids('runs')).toEqual([oldWaiting, startedOldEndedRecently, recent].sort());
    expect(await ids('runs')).not.toContain(oldDone);
    expect(await ids('runs')).not.toContain(oldFailed);
    // Events (trigger payloads) and recorded effects older than the cutoff go too.
    expect((await ids('events')).length).toBe(1);
    expect((await store.db.selectFrom('step_effects').select('key').execute()).map((e) => e.key)).toEqual([`${recent}:a`]);
  });

  it('goes in batches: a backlog takes several passes, each bounded', async () => {
    for (let i = 0; i < 7; i++) await run(60 + i, 'completed', 50);
    expect((await pruneOnce(store.db, 30, NOW, 3)).runs).toBe(3);
    expect((await pruneOnce(store.db, 30, NOW, 3)).runs).toBe(3);
    expect((await pruneOnce(store.db, 30, NOW, 3)).runs).toBe(1);
    expect(await ids('runs')).toEqual([]);
  });
});
