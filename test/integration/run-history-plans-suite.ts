import { sql, type Compilable } from 'kysely';
import { encodeTime } from 'ulid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RunListQuery } from '../../lib/contracts/runs';
import { failedCountQuery, runPageQuery } from '../../server/engine/workflows/list-runs';
import { startTestServer, type TestServer } from '../support/server';
import { queryPlan } from './query-plan';

/**
 * The run history's new reads on 6,000 runs, few of them by one person and few failed: a page
 * of one launcher's runs is a range of runs_by_launcher (085) in id order, and the count of
 * recent failures a range of runs_failed; neither walks the runs, nor sorts, and the launcher's
 * name is one primary-key probe per row. Registered by run-history-plans.test.ts (SQLite) and
 * .pg.test.ts (PostgreSQL).
 */
export function runHistoryPlansSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  const N = 6_000;
  const start = Date.UTC(2025, 0, 1);
  const launcher = (i: number) => (i % 7 === 0 ? `usr_P${i % 40}` : null);

  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    const db = server.store.db;
    await db.insertInto('users').values(Array.from({ length: 40 }, (_, k) => ({
      id: `usr_P${k}`, name: `Person ${k}`, email: `p${k}@example.test`, role: 'agent', shortcuts_enabled: 1, created_at: new Date(start).toISOString(),
    })) as never).execute();
    for (let from = 0; from < N; from += 500) {
      await db.insertInto('runs').values(Array.from({ length: 500 }, (_, k) => {
        const i = from + k;
        const at = start + i * 60_000;
        const time = new Date(at).toISOString();
        return {
          id: `run_${encodeTime(at, 10)}${String(i).padStart(16, '0')}`, workflow_id: `wf_${i % 5}`, workflow_version: 1, contact_id: `con_${i % 300}`,
          conversation_id: null, event_id: `evt_${i}`, event_type: launcher(i) ? 'shortcut.launched' : 'webhook.received', variables: '{}',
          status: i % 50 === 3 ? 'failed' : 'completed', cursor: 0, step_log: '[]', wake_at: null, attempts: 0, jumps: 0, depth: 0,
          lease_owner: null, lease_until: null, error: null, created_at: time, updated_at: time, ended_at: time, blocked: 0, launched_by: launcher(i),
        };
      })).execute();
    }
    // PostgreSQL plans from statistics, which autovacuum keeps in production.
    if (server.store.dialect === 'postgres') await sql`ANALYZE`.execute(db);
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  // Sorting discouraged too: a page read from an index comes in order.
  const plan = (query: Compilable<unknown>) => queryPlan(server.store, query, { noSort: true });
  const pageOf = (query: Record<string, string>) => runPageQuery(server.store.db, RunListQuery.parse(query));

  it('reads one launcher\'s page from runs_by_launcher, in order, naming them by primary key', async () => {
    const text = await plan(pageOf({ launchedBy: 'usr_P7' }));
    if (server.store.dialect === 'sqlite') {
      expect(text).toMatch(/SEARCH runs USING INDEX runs_by_launcher \(launched_by=\?\)/);
      expect(text).toMatch(/SEARCH users USING INDEX sqlite_autoindex_users_1 \(id=\?\)/);
      expect(text).not.toMatch(/TEMP B-TREE|SCAN runs/);
    } else {
      expect(text).toMatch(/Index Scan Backward using runs_by_launcher on runs/);
      expect(text).toMatch(/Index Scan using users_pkey on users/);
      expect(text).not.toMatch(/Sort|Seq Scan/);
    }
    // The page itself: that person's runs, newest first.
    const rows = await pageOf({ launchedBy: 'usr_P7', limit: '200' }).execute();
    const want = Array.from({ length: N }, (_, i) => i).filter((i) => launcher(i) === 'usr_P7').reverse();
    expect(rows.map((r) => Number(r.id.slice(-16)))).toEqual(want);
    expect(rows.every((r) => r.launcher_name === 'Person 7')).toBe(true);
  });

  it('reads failed runs from runs_failed: the list filtered to them, and the count of recent ones', async () => {
    const list = await plan(pageOf({ status: 'failed' }));
    const since = new Date(start + (N - 600) * 60_000);
    const count = await plan(failedCountQuery(server.store.db, since));
    if (server.store.dialect === 'sqlite') {
      expect(list).toMatch(/SEARCH runs USING INDEX runs_failed|SCAN runs USING INDEX runs_failed/);
      expect(list).not.toMatch(/TEMP B-TREE/);
      expect(count).toMatch(/SEARCH runs USING (COVERING )?INDEX runs_failed \(id>\?\)/);
    } else {
      expect(list).toMatch(/Index Scan Backward using runs_failed on runs/);
      expect(list).not.toMatch(/Sort|Seq Scan/);
      expect(count).toMatch(/Index Scan using runs_failed on runs|Bitmap Index Scan on runs_failed/);
      expect(count).not.toMatch(/Seq Scan/);
    }
    const { n } = await failedCountQuery(server.store.db, since).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(Array.from({ length: N }, (_, i) => i).filter((i) => i >= N - 600 && i % 50 === 3).length);
  });
}
