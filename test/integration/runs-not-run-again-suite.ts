import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailedRunCount, Run, RunPage } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { createWorkflow, shortcutWorkflow } from './engine-support';

/**
 * The run history's "N runs failed in the last 24 hours and were not run again · Show failed runs"
 * over real HTTP: the list it shows (`runAgain=false`, the count's own `since`) holds exactly the
 * runs it counted. It listed the failures already run again too, from `since` rounded down to
 * the minute. Registered by runs-not-run-again.test.ts (SQLite) and .pg.test.ts.
 */
export function runsNotRunAgainSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let crm: HttpServer;
  let sam: Api;
  const ids = { failed: [] as string[], rerun: '', rerunOfFirst: '' };

  beforeAll(async () => {
    // The CRM refuses every call: each run fails on it, and so does the run again.
    crm = await startHttpServer((_req, res) => { res.statusCode = 404; res.end('{"error":"no such route"}'); });
    server = await startTestServer({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    sam = server.api((await server.createUser('supervisor', { name: 'Sam Supervisor' })).token);
    const ava = server.api((await server.createUser('agent', { name: 'Ava Agent' })).token);
    const steps = [{ id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm` } }] as StepInput[];
    const wf = await createWorkflow(server, shortcutWorkflow({ name: 'Sync to CRM', trigger: { type: 'shortcut', name: 'Sync to CRM' }, steps }));
    const admin = server.api(server.adminToken);
    for (const name of ['Ana', 'Bea', 'Cy']) {
      const contact = (await admin.post('/contacts', { firstName: name })).body.id as string;
      const conversationId = (await admin.post('/conversations', { contactId: contact })).body.id as string;
      const res = await ava.post(`/shortcuts/${wf.id}/launch`, { conversationId, values: {} });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect((await waitForRun(server.app.services.db, res.body.runId)).status).toBe('failed');
      ids.failed.push(res.body.runId);
    }
    // Ana's is run again, and fails again: hers is handled, the rerun is not.
    const rerun = Run.parse((await sam.post(`/runs/${ids.failed[0]}/rerun`)).body);
    expect((await waitForRun(server.app.services.db, rerun.id)).status).toBe('failed');
    ids.rerun = rerun.id;
  });
  afterAll(async () => {
    await server?.close();
    await crm?.close();
  });

  const listed = async (query: string) => {
    const res = await sam.get(`/runs?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return RunPage.parse(res.body).runs.map((r) => r.id);
  };

  describe('GET /runs?runAgain=', () => {
    it('false lists exactly the failed runs the count counted, with its own since; true those run again', async () => {
      const count = FailedRunCount.parse((await sam.get('/runs/failed-count')).body);
      expect(count.failed).toBe(3);
      // To the second: a date-time field holds it as it is.
      expect(Date.parse(count.since) % 1000).toBe(0);
      const since = `since=${encodeURIComponent(count.since)}`;
      const [ana, bea, cy] = ids.failed;
      expect(await listed(`status=failed&runAgain=false&${since}`)).toEqual([ids.rerun, cy, bea]);
      expect(await listed(`status=failed&runAgain=true&${since}`)).toEqual([ana]);
      // Without it, as before: every failure, those run again too.
      expect(await listed(`status=failed&${since}`)).toEqual([ids.rerun, cy, bea, ana]);
    });

    it('pages within the filter, and on one workflow\'s runs too', async () => {
      const first = RunPage.parse((await sam.get('/runs?runAgain=false&limit=2')).body);
      expect(first.runs.map((r) => r.id)).toEqual([ids.rerun, ids.failed[2]]);
      expect(await listed(`runAgain=false&limit=2&cursor=${first.nextCursor}`)).toEqual([ids.failed[1]]);
      const wf = (await sam.get(`/runs/${ids.rerun}`)).body.workflowId as string;
      const res = await sam.get(`/workflows/${wf}/runs?runAgain=true`);
      expect(RunPage.parse(res.body).runs.map((r) => r.id)).toEqual([ids.failed[0]]);
    });

    it('refuses anything but true or false with a 422 naming the parameter', async () => {
      for (const value of ['', 'yes', '0']) {
        const res = await sam.get(`/runs?runAgain=${value}`);
        expect([value, res.status]).toEqual([value, 422]);
        expect(res.body.error.details[0].path).toBe('querystring.runAgain');
      }
    });
  });
}
