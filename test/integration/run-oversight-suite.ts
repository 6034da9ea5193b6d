import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailedRunCount, Run, RunPage } from '../../lib/contracts/runs';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * A supervisor's oversight of runs over HTTP: the run history (read-only) names who launched each
 * run and filters by them, any run's details open, and failures are counted. The review's case:
 * agents launch "Sync to CRM", whose outside call is refused, and the supervisor got 404 and 403.
 * Registered by run-oversight.test.ts (SQLite) and run-oversight.pg.test.ts (PostgreSQL).
 */
export function runOversightSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let crm: HttpServer;
  const people = { ava: '', ben: '', sam: '' };
  const tokens = { ava: '', ben: '', sam: '' };
  const ids = { sync: '', note: '', avaRuns: [] as string[], benRun: '', apiRun: '' };
  const admin = () => server.api(server.adminToken);
  const as = (who: keyof typeof tokens): Api => server.api(tokens[who]);

  async function conversation(name: string) {
    const contact = (await admin().post('/contacts', { firstName: name })).body;
    return { contactId: contact.id as string, conversationId: (await admin().post('/conversations', { contactId: contact.id })).body.id as string };
  }
  async function ended(id: string) {
    for (const until = Date.now() + 15_000; Date.now() < until;) {
      const run = Run.parse((await admin().get(`/runs/${id}`)).body);
      if (run.status === 'failed' || run.status === 'completed') return run;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`run ${id} did not end`);
  }
  async function launch(who: 'ava' | 'ben', workflowId: string, name: string) {
    const res = await as(who).post(`/shortcuts/${workflowId}/launch`, { conversationId: (await conversation(name)).conversationId, values: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.runId as string;
  }
  const page = async (api: Api, path: string) => {
    const res = await api.get(path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return RunPage.parse(res.body);
  };

  beforeAll(async () => {
    crm = await startHttpServer((_req, res) => { res.statusCode = 403; res.end('{"error":"no"}'); });
    server = await startTestServer({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    for (const [key, role, name] of [['ava', 'agent', 'Ava Agent'], ['ben', 'agent', 'Ben Agent'], ['sam', 'supervisor', 'Sam Supervisor']] as const) {
      const { user, token } = await server.createUser(role, { name });
      people[key] = user.id;
      tokens[key] = token;
    }
    const workflow = async (name: string, trigger: object, steps: object[]) => {
      const res = await admin().post('/workflows', { name, trigger, steps, status: 'published' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    ids.sync = await workflow('Sync to CRM', { type: 'shortcut', name: 'Sync to CRM' }, [
      { id: 'note', type: 'add_comment', config: { text: 'syncing' } },
      { id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm` } },
    ]);
    ids.note = await workflow('Note', { type: 'manual' }, [{ id: 'note', type: 'add_comment', config: { text: 'hello' } }]);
    ids.avaRuns.push(await launch('ava', ids.sync, 'Ana'));
    ids.benRun = await launch('ben', ids.sync, 'Bob');
    ids.avaRuns.push(await launch('ava', ids.sync, 'Cleo'));
    const started = await admin().post(`/workflows/${ids.note}/start`, { contact: { id: (await conversation('Dina')).contactId } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    ids.apiRun = started.body.runIds[0];
    for (const id of [...ids.avaRuns, ids.benRun, ids.apiRun]) await ended(id);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await crm?.close();
  });

  describe('a supervisor reads the run history', () => {
    it('lists every run, each naming who launched it (null when no one did), as admins see it', async () => {
      const seen = await page(as('sam'), '/runs');
      expect(seen).toEqual(await page(admin(), '/runs'));
      const launchers = Object.fromEntries(seen.runs.map((r) => [r.id, r.launchedBy]));
      expect(launchers).toEqual({
        [ids.avaRuns[0]!]: { id: people.ava, name: 'Ava Agent' },
        [ids.avaRuns[1]!]: { id: people.ava, name: 'Ava Agent' },
        [ids.benRun]: { id: people.ben, name: 'Ben Agent' },
        [ids.apiRun]: null,
      });
      expect((await page(as('sam'), `/workflows/${ids.sync}/runs`)).runs.map((r) => r.id)).toEqual([ids.avaRuns[1], ids.benRun, ids.avaRuns[0]]);
      const names = (await as('sam').get('/runs/workflows')).body.workflows.map((w: { name: string }) => w.name);
      expect(names).toEqual(['Note', 'Sync to CRM']);
    });

    it('opens any run whole (an agent\'s failed run: its error, steps and launcher), and changes nothing', async () => {
      const res = await as('sam').get(`/runs/${ids.benRun}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const run = Run.parse(res.body);
      expect(run).toMatchObject({ status: 'failed', launchedBy: { id: people.ben, name: 'Ben Agent' }, variables: { trigger: { launchedBy: people.ben } } });
      expect(run.error).toMatch(/403/);
      expect(run.stepLog.map((s) => [s.stepId, s.status])).toEqual([['note', 'completed'], ['crm', 'failed']]);
      expect(run).toEqual(Run.parse((await admin().get(`/runs/${ids.benRun}`)).body));
      // Reading only: workflows, the engine queue and waking runs stay the admins'.
      const sam = as('sam');
      const refusals = [
        await sam.get(`/workflows/${ids.sync}`),
        await sam.put(`/workflows/${ids.sync}`, { name: 'Edited', trigger: { type: 'shortcut', name: 'Edited' }, steps: [] }),
        await sam.post(`/workflows/${ids.sync}/unpublish`),
        await sam.get('/runs/summary'),
        await sam.post('/runs/retry-now'),
        await sam.post(`/runs/${ids.benRun}/retry-now`),
      ];
      expect(refusals.map((r) => [r.status, r.body.error.message])).toEqual(refusals.map(() => [403, 'This needs the admin role; you are a supervisor']));
    });
  });

  describe('agents', () => {
    it('read the runs they launched, named, and no one else\'s; the history and the count are refused', async () => {
      const own = Run.parse((await as('ava').get(`/runs/${ids.avaRuns[0]}`)).body);
      expect(own.launchedBy).toEqual({ id: people.ava, name: 'Ava Agent' });
      expect((await as('ava').get(`/runs/${ids.benRun}`)).status).toBe(404);
      expect((await as('ava').get(`/runs/${ids.apiRun}`)).status).toBe(404);
      for (const path of ['/runs', `/runs?launchedBy=${people.ava}`, `/workflows/${ids.sync}/runs`, '/runs/workflows', '/runs/failed-count']) {
        const res = await as('ava').get(path);
        expect([path, res.status, res.body.error.message]).toEqual([path, 403, 'This needs the supervisor role; you are an agent']);
      }
    });
  });

  describe('?launchedBy=', () => {
    it('keeps the runs one person launched, newest first, with the other filters and paging', async () => {
      const sam = as('sam');
      const newestFirst = [...ids.avaRuns].reverse();
      expect((await page(sam, `/runs?launchedBy=${people.ava}`)).runs.map((r) => r.id)).toEqual(newestFirst);
      expect((await page(sam, `/runs?launchedBy=${people.ben}&status=failed`)).runs.map((r) => r.id)).toEqual([ids.benRun]);
      expect((await page(sam, `/runs?launchedBy=${people.ben}&status=completed`)).runs).toEqual([]);
      expect((await page(sam, `/workflows/${ids.sync}/runs?launchedBy=${people.ava}`)).runs.map((r) => r.id)).toEqual(newestFirst);
      expect((await page(sam, `/workflows/${ids.note}/runs?launchedBy=${people.ava}`)).runs).toEqual([]);
      // Someone who launched nothing (or no one at all) has no runs, as an unknown contactId.
      expect((await page(sam, `/runs?launchedBy=${people.sam}`)).runs).toEqual([]);
      expect((await page(sam, '/runs?launchedBy=usr_nobody')).runs).toEqual([]);
      const first = await page(sam, `/runs?launchedBy=${people.ava}&limit=1`);
      expect(first).toEqual({ runs: [expect.objectContaining({ id: newestFirst[0] })], nextCursor: newestFirst[0] });
      const second = await page(sam, `/runs?launchedBy=${people.ava}&limit=1&cursor=${first.nextCursor}`);
      expect(second.runs.map((r) => r.id)).toEqual([newestFirst[1]]);
    });

    it('refuses an empty or overlong id with a 422 naming the parameter', async () => {
      for (const value of ['', 'x'.repeat(101)]) {
        const res = await as('sam').get(`/runs?launchedBy=${value}`);
        expect(res.status).toBe(422);
        expect(res.body.error.details[0].path).toBe('querystring.launchedBy');
      }
    });

    it('names people as they are now: renamed, and still once deactivated', async () => {
      expect((await admin().patch(`/users/${people.ben}`, { name: 'Benjamin Agent' })).status).toBe(200);
      expect((await page(as('sam'), `/runs?launchedBy=${people.ben}`)).runs[0]!.launchedBy).toEqual({ id: people.ben, name: 'Benjamin Agent' });
      expect((await admin().patch(`/users/${people.ben}`, { active: false })).status).toBe(200);
      expect(Run.parse((await as('sam').get(`/runs/${ids.benRun}`)).body).launchedBy).toEqual({ id: people.ben, name: 'Benjamin Agent' });
    });
  });

  describe('GET /runs/failed-count', () => {
    it('counts the runs started in the last 24 hours that failed, for supervisors and admins alike', async () => {
      for (const api of [as('sam'), admin()]) {
        const res = await api.get('/runs/failed-count');
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const count = FailedRunCount.parse(res.body);
        expect(count.failed).toBe(3);
        expect(Math.abs(Date.parse(count.since) - (Date.now() - 86_400_000))).toBeLessThan(60_000);
        // The same runs as the list the count links to.
        expect((await page(api, `/runs?status=failed&since=${encodeURIComponent(count.since)}`)).runs).toHaveLength(3);
      }
    });

    it('takes `since` as the list does; refuses what is not a time, and any other parameter', async () => {
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      expect((await as('sam').get(`/runs/failed-count?since=${encodeURIComponent(hourAgo)}`)).body).toEqual({ failed: 3, since: hourAgo });
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      expect((await as('sam').get(`/runs/failed-count?since=${tomorrow}`)).body).toEqual({ failed: 0, since: `${tomorrow}T00:00:00.000Z` });
      const bad = await as('sam').get('/runs/failed-count?since=yesterday');
      expect(bad.status).toBe(422);
      expect(bad.body.error.details[0].path).toBe('querystring.since');
      const unknown = await as('sam').get('/runs/failed-count?status=failed');
      expect(unknown.status).toBe(422);
      expect(JSON.stringify(unknown.body.error)).toMatch(/Unknown query parameter status/);
    });
  });
}
