import { encodeTime } from 'ulid';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { Run, RunPage, RunListQuery } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { runPageQuery } from '../../server/engine/workflows/list-runs';
import { waitForRun } from '../support/builders';
import { startRerunTeam, type RerunTeam } from '../support/rerun-team';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, shortcutWorkflow } from './engine-support';
import { queryPlan } from './query-plan';

/**
 * GET /runs?rerunBy=: the reruns one person started (the r-codeB review: a rerun keeps the
 * launcher of the run it repeats, so `launchedBy=<supervisor>` found none of a supervisor's
 * reruns, and nothing else did). A page of them is a range of runs_by_rerunner (migration 092).
 * Registered by run-rerun-by.test.ts (SQLite) and .pg.test.ts (PostgreSQL).
 */
export function runRerunBySuite(databaseUrl: () => string | undefined) {
  describe('over HTTP', () => {
    let team: RerunTeam;
    beforeEach(async () => {
      team = await startRerunTeam(databaseUrl(), (_req, res) => { res.statusCode = 404; res.end('{}'); });
    });
    afterEach(() => team.close());

    it('finds the reruns a person started, on /runs and on a workflow\'s runs; launchedBy still names the first run\'s launcher', async () => {
      const { server, crm, sam, samId, ava, avaId } = team;
      const steps = [{ id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm`, body: '{}' } }] as StepInput[];
      const wf = await createWorkflow(server, shortcutWorkflow({ name: 'Sync to CRM', trigger: { type: 'shortcut', name: 'Sync to CRM' }, steps }));
      const admin = server.api(server.adminToken);
      const contactId = Contact.parse((await admin.post('/contacts', { firstName: 'Ana' })).body).id;
      const conversationId = (await admin.post('/conversations', { contactId })).body.id as string;
      const launched = await ava.post(`/shortcuts/${wf.id}/launch`, { conversationId, values: {} });
      const failed = await waitForRun(server.app.services.db, launched.body.runId);
      expect(failed.status).toBe('failed');
      const rerun = Run.parse((await sam.post(`/runs/${failed.id}/rerun`)).body);
      await waitForRun(server.app.services.db, rerun.id);

      const ids = async (path: string) => {
        const res = await sam.get(path);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return RunPage.parse(res.body).runs.map((r) => r.id);
      };
      expect(await ids(`/runs?rerunBy=${samId}`)).toEqual([rerun.id]);
      expect(await ids(`/workflows/${wf.id}/runs?rerunBy=${samId}`)).toEqual([rerun.id]);
      expect(await ids(`/runs?rerunBy=${samId}&status=failed`)).toEqual([rerun.id]);
      expect(await ids(`/runs?launchedBy=${samId}`)).toEqual([]);
      expect(await ids(`/runs?launchedBy=${avaId}`)).toEqual([rerun.id, failed.id]);
      expect(await ids(`/runs?rerunBy=${avaId}`)).toEqual([]);
      const bad = await sam.get(`/runs?rerunBy=${'u'.repeat(101)}`);
      expect(bad.status).toBe(422);
      expect(JSON.stringify(bad.body.error)).toMatch(/rerunBy/);
    });

    it('documents rerunBy, and q on GET /workflows as folding every letter\'s case (not only A–Z)', async () => {
      const { server } = team;
      const doc = (await server.request('GET', '/docs/json')).body as any;
      const param = (path: string, name: string) => (doc.paths[path].get.parameters as { name: string; description?: string }[]).find((p) => p.name === name);
      expect(param('/api/v1/runs', 'rerunBy')?.description).toMatch(/^A user id: the reruns they started/);
      expect(param('/api/v1/workflows/{id}/runs', 'rerunBy')).toBeTruthy();
      const q = param('/api/v1/workflows', 'q')!.description!;
      expect(q).not.toMatch(/A–Z/);
      expect(q).toMatch(/every letter/);
      // As it says: a search in capitals with accents finds the name in lower case, accents kept.
      await createWorkflow(server, shortcutWorkflow({ name: 'Ünïcode refunds', trigger: { type: 'shortcut', name: 'Ünïcode' } }), false);
      const found = await server.api(server.adminToken).get(`/workflows?q=${encodeURIComponent('ÜNÏ')}`);
      expect(found.body.workflows.map((w: { name: string }) => w.name)).toEqual(['Ünïcode refunds']);
    });
  });

  describe('the plan', () => {
    let server: TestServer;
    const N = 3_000;
    const start = Date.UTC(2025, 0, 1);
    const rerunner = (i: number) => (i % 30 === 0 ? `usr_R${i % 3}` : null);
    beforeEach(async () => {
      server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
      const db = server.store.db;
      for (let from = 0; from < N; from += 500) {
        await db.insertInto('runs').values(Array.from({ length: 500 }, (_, k) => {
          const i = from + k;
          const time = new Date(start + i * 60_000).toISOString();
          return {
            id: `run_${encodeTime(start + i * 60_000, 10)}${String(i).padStart(16, '0')}`, workflow_id: `wf_${i % 5}`, workflow_version: 1, contact_id: `con_${i % 300}`,
            conversation_id: null, event_id: `evt_${i}`, event_type: 'webhook.received', variables: '{}', status: 'completed', cursor: 0, step_log: '[]', wake_at: null,
            attempts: 0, jumps: 0, depth: 0, lease_owner: null, lease_until: null, error: null, created_at: time, updated_at: time, ended_at: time, blocked: 0,
            launched_by: null, rerun_of: rerunner(i) ? `run_of_${i}` : null, rerun_by: rerunner(i),
          };
        })).execute();
      }
      if (server.store.dialect === 'postgres') await sql`ANALYZE runs`.execute(db);
    }, 120_000);
    afterEach(async () => { await server?.close(); });

    it('reads one person\'s reruns from runs_by_rerunner, in order, without walking the runs', async () => {
      const page = runPageQuery(server.store.db, RunListQuery.parse({ rerunBy: 'usr_R0' }));
      const text = await queryPlan(server.store, page, { noSort: true });
      if (server.store.dialect === 'sqlite') {
        expect(text).toMatch(/SEARCH runs USING INDEX runs_by_rerunner \(rerun_by=\?\)/);
        expect(text).not.toMatch(/TEMP B-TREE|SCAN runs/);
      } else {
        expect(text).toMatch(/Index Scan Backward using runs_by_rerunner on runs/);
        expect(text).not.toMatch(/Sort|Seq Scan/);
      }
      const rows = await runPageQuery(server.store.db, RunListQuery.parse({ rerunBy: 'usr_R0', limit: '200' })).execute();
      const want = Array.from({ length: N }, (_, i) => i).filter((i) => rerunner(i) === 'usr_R0').reverse();
      expect(rows.map((r) => Number(r.id.slice(-16)))).toEqual(want);
    });
  });
}
