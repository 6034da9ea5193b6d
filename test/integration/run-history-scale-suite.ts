import { sql, type Compilable } from 'kysely';
import { encodeTime } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunListQuery, RunPage } from '../../lib/contracts/runs';
import { WorkflowSummaryList } from '../../lib/contracts/workflow';
import { lastRunsQuery } from '../../server/engine/workflows/last-runs';
import { runPageQuery } from '../../server/engine/workflows/list-runs';
import { insertWorkflow, makeWorkflow } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';
import { queryPlan } from './query-plan';

/**
 * The run history's filters and the workflow list's last runs on 6,000 runs (the review's
 * workspace had 310k): each filter answers exactly its runs, newest first, page after page, and
 * reads them through an index that holds them (the status's own partial index, the id range of a
 * time bound, the contact's runs) rather than walking the runs table; the last run of each listed
 * workflow is one index entry. Registered by run-history-scale.test.ts (SQLite) and
 * .pg.test.ts (PostgreSQL).
 */
export function runHistoryScaleSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  const N = 6_000;
  const start = Date.UTC(2025, 0, 1);
  const timeOf = (i: number) => start + i * 60_000;
  const idOf = (i: number) => `run_${encodeTime(timeOf(i), 10)}${String(i).padStart(16, '0')}`;
  // The newest runs are unfinished (what the engine has in hand); failures and cancellations are spread out.
  const statusOf = (i: number) => (i >= N - 30 ? (['queued', 'queued', 'running', 'waiting'] as const)[i % 4]!
    : i % 50 === 3 ? 'failed' : i % 97 === 5 ? 'cancelled' : 'completed');
  // One busy workflow (a third of the runs, as the review's shortcut with 104k) and 40 quieter ones.
  const workflowOf = (i: number) => (i % 3 === 0 ? 'wf_hot' : `wf_c${i % 40}`);
  const workflowIds = ['wf_hot', ...Array.from({ length: 40 }, (_, k) => `wf_c${k}`), 'wf_none'];
  const contactOf = (i: number) => `con_${i % 300}`;
  const all = Array.from({ length: N }, (_, i) => i);

  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    const db = server.store.db;
    const iso = (ms: number) => new Date(ms).toISOString();
    for (const id of workflowIds) await insertWorkflow(db, makeWorkflow({ name: `Flow ${id}`, steps: [] }), { id });
    await db.insertInto('contacts').values(Array.from({ length: 300 }, (_, k) => ({
      id: `con_${k}`, first_name: `First${k}`, last_name: `Last${k}`, phone: `+1415555${String(k).padStart(4, '0')}`, email: null,
      tags: '[]', fields: '{}', created_at: iso(start), updated_at: iso(start),
    }))).execute();
    for (let from = 0; from < N; from += 500) {
      await db.insertInto('runs').values(all.slice(from, from + 500).map((i) => {
        const status = statusOf(i);
        const ended = status === 'completed' || status === 'failed' || status === 'cancelled';
        return {
          id: idOf(i), workflow_id: workflowOf(i), workflow_version: 1, contact_id: contactOf(i), conversation_id: null, event_id: `evt_${i}`,
          event_type: 'webhook.received', variables: '{}', status, cursor: 0, step_log: '[]', wake_at: status === 'waiting' ? iso(timeOf(N + 60)) : null,
          attempts: 0, jumps: 0, depth: 0, lease_owner: status === 'running' ? 'elsewhere' : null, lease_until: status === 'running' ? iso(timeOf(N + 60)) : null,
          error: status === 'failed' ? 'boom' : null, created_at: iso(timeOf(i)), updated_at: iso(timeOf(i)), ended_at: ended ? iso(timeOf(i)) : null,
          blocked: status === 'queued' && i % 8 === 0 ? 1 : 0,
        };
      })).execute();
    }
    // PostgreSQL plans from statistics, which autovacuum keeps in production.
    if (server.store.dialect === 'postgres') await sql`ANALYZE`.execute(db);
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  const at = (i: number) => new Date(timeOf(i)).toISOString();
  // [name, query, which runs match, the index SQLite reads them through, PostgreSQL's]
  const cases: [string, Record<string, string>, (i: number) => boolean, RegExp, RegExp][] = [
    ['queued', { status: 'queued' }, (i) => statusOf(i) === 'queued', /SCAN runs USING INDEX runs_unfinished/, /runs_unfinished/],
    ['running', { status: 'running' }, (i) => statusOf(i) === 'running', /SCAN runs USING INDEX runs_unfinished/, /runs_unfinished|runs_leased|runs_running/],
    ['waiting', { status: 'waiting' }, (i) => statusOf(i) === 'waiting', /SCAN runs USING INDEX runs_unfinished/, /runs_unfinished|runs_waking|runs_waiting/],
    ['cancelled', { status: 'cancelled' }, (i) => statusOf(i) === 'cancelled', /SCAN runs USING INDEX runs_cancelled\b/, /runs_cancelled/],
    ['one workflow\'s queued', { workflowId: 'wf_hot', status: 'queued' }, (i) => workflowOf(i) === 'wf_hot' && statusOf(i) === 'queued', /SCAN runs USING INDEX runs_unfinished/, /runs_unfinished/],
    ['one workflow\'s failed', { workflowId: 'wf_c13', status: 'failed' }, (i) => workflowOf(i) === 'wf_c13' && statusOf(i) === 'failed', /SEARCH runs USING INDEX runs_failed_by_workflow \(workflow_id=\?\)/, /runs_failed_by_workflow/],
    ['one workflow\'s cancelled', { workflowId: 'wf_c7', status: 'cancelled' }, (i) => workflowOf(i) === 'wf_c7' && statusOf(i) === 'cancelled', /SEARCH runs USING INDEX runs_cancelled_by_workflow \(workflow_id=\?\)/, /runs_cancelled_by_workflow/],
    ['a day', { since: at(2000), until: at(2000 + 1440) }, (i) => i >= 2000 && i < 3440, /SEARCH runs USING INDEX sqlite_autoindex_runs_1 \(id>\? AND id<\?\)/, /Index Scan Backward using runs_pkey on runs[\s\S]*Index Cond: \(\(id >= /],
    ['until', { until: at(1000) }, (i) => i < 1000, /SEARCH runs USING INDEX sqlite_autoindex_runs_1 \(id<\?\)/, /Index Scan Backward using runs_pkey on runs[\s\S]*Index Cond: \(id < /],
    ['one workflow until', { workflowId: 'wf_c1', until: at(3000) }, (i) => workflowOf(i) === 'wf_c1' && i < 3000, /SEARCH runs USING INDEX runs_by_workflow \(workflow_id=\? AND id<\?\)/, /runs_by_workflow[\s\S]*Index Cond: \(\(workflow_id = .* AND \(id < /],
    ['one contact of one workflow', { workflowId: 'wf_hot', contactId: 'con_6' }, (i) => workflowOf(i) === 'wf_hot' && contactOf(i) === 'con_6', /SEARCH runs USING INDEX runs_by_contact_workflow \(contact_id=\?\)/, /runs_by_contact_workflow/],
    ['one workflow\'s failed runs of a day', { workflowId: 'wf_c13', status: 'failed', since: at(2000), until: at(3440) }, (i) => workflowOf(i) === 'wf_c13' && statusOf(i) === 'failed' && i >= 2000 && i < 3440,
      /SEARCH runs USING INDEX runs_failed_by_workflow \(workflow_id=\? AND id>\? AND id<\?\)/, /runs_failed_by_workflow[\s\S]*Index Cond: \(\(workflow_id = .* AND \(id >= /],
  ];

  /** Every page of `path` at `limit` a page, following nextCursor: the run numbers in order. */
  async function pages(path: string, limit: number): Promise<number[]> {
    const seen: number[] = [];
    for (let cursor: string | null = null, n = 0; n < 500; n++) {
      const res = await server.api(server.adminToken).get(`${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const page = RunPage.parse(res.body);
      seen.push(...page.runs.map((r) => Number(r.id.slice(-16))));
      cursor = page.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error('too many pages');
  }

  describe('GET /runs filters', () => {
    it.each(cases)('%s: exactly its runs, newest first, page after page', async (_name, query, matches) => {
      const want = all.filter(matches).reverse();
      expect(want.length).toBeGreaterThan(0);
      const q = new URLSearchParams(query).toString();
      expect(await pages(`/runs?${q}`, 50)).toEqual(want);
      if (query.workflowId) {
        const { workflowId, ...rest } = query;
        expect(await pages(`/workflows/${workflowId}/runs?${new URLSearchParams(rest)}`, 200)).toEqual(want);
      }
    });

    it('bound the start time to the millisecond: since takes the run started then, until leaves it out', async () => {
      const exact = { since: new Date(timeOf(2500)).toISOString(), until: new Date(timeOf(2503)).toISOString() };
      expect(await pages(`/runs?${new URLSearchParams(exact)}`, 50)).toEqual([2502, 2501, 2500]);
      const past = { since: new Date(timeOf(2500) + 1).toISOString(), until: new Date(timeOf(2503) + 1).toISOString() };
      expect(await pages(`/runs?${new URLSearchParams(past)}`, 50)).toEqual([2503, 2502, 2501]);
    });
  });

  // Sorting stays allowed: a contact's few runs are sorted.
  const plan = (query: Compilable<unknown>) => queryPlan(server.store, query);

  describe('the filters\' plans', () => {
    it.each(cases)('%s: read through the index that holds them, not by walking the runs', async (_name, query, _matches, sqlite, pg) => {
      const text = await plan(runPageQuery(server.store.db, RunListQuery.parse(query)));
      if (server.store.dialect === 'sqlite') {
        expect(text).toMatch(sqlite);
        // Walking a status's own partial index is reading exactly that status's runs.
        expect(text).not.toMatch(/SCAN runs(?! USING INDEX runs_(unfinished|cancelled|failed)\b)/);
      } else {
        expect(text, text).toMatch(pg);
        expect(text).not.toMatch(/Seq Scan on runs/);
      }
    });
  });

  describe('the workflow list\'s last run', () => {
    it('is each workflow\'s newest run start (none for a workflow without runs)', async () => {
      const res = await server.api(server.adminToken).get('/workflows?limit=200');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const last = Object.fromEntries(WorkflowSummaryList.parse(res.body).workflows.map((w) => [w.id, w.lastRunAt]));
      const newest = (w: string) => (w === 'wf_none' ? null : at(Math.max(...all.filter((i) => workflowOf(i) === w))));
      expect(last).toEqual(Object.fromEntries(workflowIds.map((w) => [w, newest(w)])));
    });

    it('reads one entry of runs_by_workflow per workflow, not every run', async () => {
      const text = await plan(lastRunsQuery(server.store.db, workflowIds));
      if (server.store.dialect === 'sqlite') {
        // Per workflow, its newest entry (ORDER BY id DESC LIMIT 1 in the order of the index).
        expect(text).toMatch(/CORRELATED SCALAR SUBQUERY[\s\S]*SEARCH runs USING INDEX runs_by_workflow \(workflow_id=\?\)/);
        expect(text).not.toMatch(/SCAN runs|TEMP B-TREE/);
      } else {
        expect(text, text).toMatch(/Limit[\s\S]*Index Scan Backward using runs_by_workflow on runs/);
        expect(text).not.toMatch(/Seq Scan on runs|Aggregate/);
      }
    });
  });
}
