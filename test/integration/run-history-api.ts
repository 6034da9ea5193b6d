import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunHistoryWorkflows, RunPage } from '../../lib/contracts/runs';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The run history over HTTP: `since`/`until` as dates, GET /workflows/:id/runs paging as /runs
 * does, and a deleted workflow's runs (kept, and listed for the filter). On SQLite
 * (run-history-api.test.ts) and PostgreSQL (run-history-api.pg.test.ts).
 */
export function runHistoryApiSuite(databaseUrl: () => string | undefined = () => undefined) {
  let server: TestServer;
  const ids = { greet: '', log: '', doomed: '', unused: '', ana: '', bob: '' };
  const admin = () => server.api(server.adminToken);
  const page = async (path: string) => {
    const res = await admin().get(path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return RunPage.parse(res.body);
  };
  const runIds = async (path: string) => (await page(path)).runs.map((r) => r.id);

  async function workflow(name: string, publish = true) {
    const res = await admin().post('/workflows', {
      name, trigger: { type: 'conversation_opened' }, steps: [{ id: 'c', type: 'add_comment', config: { text: name } }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    if (publish) expect((await admin().post(`/workflows/${res.body.id}/publish`)).status).toBe(200);
    return res.body.id as string;
  }

  beforeAll(async () => {
    // No workers: runs stay queued, as they were created.
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    ids.greet = await workflow('Greet');
    ids.log = await workflow('Log');
    ids.doomed = await workflow('Old welcome');
    ids.unused = await workflow('Never ran', false);
    ids.ana = (await admin().post('/contacts', { firstName: 'Ana' })).body.id;
    ids.bob = (await admin().post('/contacts', { firstName: 'Bob' })).body.id;
    for (const contactId of [ids.ana, ids.bob, ids.ana]) {
      const conv = await admin().post('/conversations', { contactId });
      expect((await admin().post(`/conversations/${conv.body.id}/close`, {})).status).toBe(200);
    }
    // Renamed before it goes: the history names it as it was last saved.
    const doomed = (await admin().get(`/workflows/${ids.doomed}`)).body;
    expect((await admin().put(`/workflows/${ids.doomed}`, { name: 'Welcome (old)', trigger: doomed.trigger, steps: doomed.steps })).status).toBe(200);
    expect((await admin().del(`/workflows/${ids.doomed}`)).status).toBe(204);
    expect((await admin().del(`/workflows/${ids.unused}`)).status).toBe(204);
  }, 30_000);
  afterAll(async () => { await server?.close(); });

  describe('since / until', () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

    it('take a date: the start of that day in UTC', async () => {
      const all = await runIds('/runs');
      expect(all).toHaveLength(9);
      expect(await runIds(`/runs?since=${day(0)}`)).toEqual(all);
      expect(await runIds(`/runs?since=${day(-1)}&until=${day(1)}`)).toEqual(all);
      expect(await runIds(`/runs?since=${day(1)}`)).toEqual([]);
      expect(await runIds(`/runs?until=${day(0)}`)).toEqual([]);
      expect(await runIds(`/workflows/${ids.greet}/runs?since=${day(0)}`)).toHaveLength(3);
    });

    it('take a date-time with its offset, with or without seconds', async () => {
      const all = await runIds('/runs');
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      expect(await runIds(`/runs?since=${encodeURIComponent(hourAgo)}`)).toEqual(all);
      expect(await runIds(`/runs?since=${encodeURIComponent(`${hourAgo.slice(0, 16)}Z`)}`)).toEqual(all);
      const plus2 = new Date(Date.now() + 2 * 3_600_000 + 60_000).toISOString().slice(0, 19);
      expect(await runIds(`/runs?until=${encodeURIComponent(`${plus2}+02:00`)}`)).toEqual(all);
    });

    it.each([
      ['a date-time without its offset', '2026-12-06T09:30:00'],
      ['a day that does not exist', '2026-02-30'],
      ['words', 'yesterday'],
    ])('refuse %s, saying what to write (422)', async (_name, since) => {
      const res = await admin().get(`/runs?since=${encodeURIComponent(since)}`);
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([{ path: 'querystring.since', message: expect.stringMatching(/^Use an ISO 8601 date \(2026-12-06: from 00:00 UTC that day\) or a date-time with its offset/) }]);
    });

    it('refuse a since after until, dates too', async () => {
      const res = await admin().get(`/runs?since=${day(1)}&until=${day(0)}`);
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body.error)).toMatch(/since.*before.*until/);
    });
  });

  describe('GET /workflows/:id/runs', () => {
    it('pages as /runs: limit, cursor, nextCursor, newest first', async () => {
      const all = await runIds(`/runs?workflowId=${ids.greet}`);
      expect(all).toHaveLength(3);
      const first = await page(`/workflows/${ids.greet}/runs?limit=2`);
      expect(first.runs.map((r) => r.id)).toEqual(all.slice(0, 2));
      expect(first.nextCursor).toBe(all[1]);
      const second = await page(`/workflows/${ids.greet}/runs?limit=2&cursor=${first.nextCursor}`);
      expect(second).toEqual({ runs: [expect.objectContaining({ id: all[2] })], nextCursor: null });
    });

    it('still takes `before` (its older paging), and filters as /runs does', async () => {
      const all = await runIds(`/runs?workflowId=${ids.greet}`);
      expect(await runIds(`/workflows/${ids.greet}/runs?before=${all[0]}`)).toEqual(all.slice(1));
      expect(await runIds(`/workflows/${ids.greet}/runs?contactId=${ids.bob}`)).toEqual(await runIds(`/runs?workflowId=${ids.greet}&contactId=${ids.bob}`));
      expect(await runIds(`/workflows/${ids.greet}/runs?status=completed`)).toEqual([]);
    });

    it('has the limits of /runs, and a 404 for a workflow that never was', async () => {
      const big = await admin().get(`/workflows/${ids.greet}/runs?limit=1000`);
      expect(big.status).toBe(422);
      expect(big.body.error.details[0].path).toBe('querystring.limit');
      expect((await admin().get(`/workflows/${ids.greet}/runs?cursor=garbage`)).status).toBe(422);
      expect((await admin().get('/workflows/wf_never/runs')).status).toBe(404);
    });
  });

  describe('a deleted workflow', () => {
    it('keeps its runs: by workflowId on /runs, and on /workflows/:id/runs', async () => {
      const kept = await runIds(`/runs?workflowId=${ids.doomed}`);
      expect(kept).toHaveLength(3);
      expect(await runIds(`/workflows/${ids.doomed}/runs`)).toEqual(kept);
      expect((await admin().get(`/workflows/${ids.doomed}`)).status).toBe(404);
    });

    it('is listed for the run history\'s filter while it has runs, named as it was last saved', async () => {
      const res = await admin().get('/runs/workflows');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(RunHistoryWorkflows.parse(res.body).workflows).toEqual([
        { id: ids.greet, name: 'Greet', deleted: false },
        { id: ids.log, name: 'Log', deleted: false },
        { id: ids.doomed, name: 'Welcome (old)', deleted: true },
      ]);
      const agent = await server.createUser('agent');
      expect((await server.api(agent.token).get('/runs/workflows')).status).toBe(403);
    });
  });
}
