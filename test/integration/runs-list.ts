import { decodeTime } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';

/** Run on SQLite (runs-list.test.ts) and PostgreSQL (runs-list.pg.test.ts). */
export function runsListSuite(databaseUrl: () => string | undefined = () => undefined) {
  // GET /api/v1/runs: the run history across workflows with the console's filters and cursor paging.

  let server: TestServer;
  const ids = { opened: '', other: '', maria: '', bob: '' };
  const admin = () => server.api(server.adminToken);

  async function workflow(name: string) {
    const res = await admin().post('/workflows', {
      name, trigger: { type: 'conversation_opened' }, steps: [{ id: 'c', type: 'add_comment', config: { text: name } }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await admin().post(`/workflows/${res.body.id}/publish`)).status).toBe(200);
    return res.body.id as string;
  }

  beforeAll(async () => {
    // No workers: runs stay queued, so statuses are only what the test makes them.
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    ids.opened = await workflow('Greet');
    ids.other = await workflow('Log');
    ids.maria = (await admin().post('/contacts', { firstName: 'Maria' })).body.id;
    ids.bob = (await admin().post('/contacts', { firstName: 'Bob' })).body.id;
    for (const contactId of [ids.maria, ids.bob, ids.maria]) {
      const conv = await admin().post('/conversations', { contactId });
      await admin().post(`/conversations/${conv.body.id}/close`, {});
    }
    await waitFor('six runs', async () => ((await admin().get('/runs')).body.runs?.length ?? 0) >= 6 || undefined);
  }, 30_000);
  afterAll(async () => { await server?.close(); });

  describe('GET /api/v1/runs', () => {
    it('lists every workflow\'s runs newest first', async () => {
      const res = await admin().get('/runs');
      expect(res.status).toBe(200);
      expect(res.body.runs).toHaveLength(6);
      const created = res.body.runs.map((r: { id: string }) => r.id);
      expect(created).toEqual([...created].sort().reverse());
      expect(new Set(res.body.runs.map((r: { workflowId: string }) => r.workflowId))).toEqual(new Set([ids.opened, ids.other]));
      expect(res.body.nextCursor).toBeNull();
    });

    it('filters by workflow, contact and status, together', async () => {
      const byWorkflow = await admin().get(`/runs?workflowId=${ids.opened}`);
      expect(byWorkflow.body.runs).toHaveLength(3);
      const byContact = await admin().get(`/runs?contactId=${ids.maria}`);
      expect(byContact.body.runs).toHaveLength(4);
      expect(byContact.body.runs.every((r: { contactId: string }) => r.contactId === ids.maria)).toBe(true);
      const first = byContact.body.runs[0];
      expect((await admin().post(`/runs/${first.id}/cancel`)).status).toBe(200);
      const cancelled = await admin().get(`/runs?status=cancelled&contactId=${ids.maria}&workflowId=${first.workflowId}`);
      expect(cancelled.body.runs.map((r: { id: string }) => r.id)).toEqual([first.id]);
      expect((await admin().get(`/runs?status=cancelled&contactId=${ids.bob}`)).body.runs).toEqual([]);
    });

    it('filters by start time [since, until)', async () => {
      const all = (await admin().get('/runs')).body.runs as { id: string; createdAt: string }[];
      const oldest = all.at(-1)!;
      const future = new Date(Date.now() + 60_000).toISOString();
      expect((await admin().get(`/runs?since=${encodeURIComponent(future)}`)).body.runs).toEqual([]);
      const upTo = await admin().get(`/runs?until=${encodeURIComponent(new Date(Date.parse(oldest.createdAt) + 1).toISOString())}`);
      expect(upTo.body.runs.map((r: { id: string }) => r.id)).toContain(oldest.id);
      // Another offset, same instant.
      const plus2 = new Date(Date.parse(oldest.createdAt) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
      const same = await admin().get(`/runs?since=${encodeURIComponent(plus2)}`);
      expect(same.body.runs.map((r: { id: string }) => r.id)).toContain(oldest.id);
    });

    it('a run\'s own createdAt as since or until bounds it exactly, though its id was made a moment before or after', async () => {
      const [run] = (await admin().get('/runs?limit=1')).body.runs as { id: string; createdAt: string }[];
      for (const shift of [-3, 3]) {
        // As a batch's rows can be: the id made a few ms away from the time written in created_at.
        const createdAt = new Date(Date.parse(run!.createdAt) + shift).toISOString();
        await server.store.db.updateTable('runs').set({ created_at: createdAt }).where('id', '=', run!.id).execute();
        const ids = async (q: string) => ((await admin().get(`/runs?${q}`)).body.runs as { id: string }[]).map((r) => r.id);
        expect(await ids(`since=${encodeURIComponent(createdAt)}`)).toContain(run!.id);
        expect(await ids(`until=${encodeURIComponent(createdAt)}`)).not.toContain(run!.id);
        expect(await ids(`until=${encodeURIComponent(new Date(Date.parse(createdAt) + 1).toISOString())}`)).toContain(run!.id);
      }
    });

    it('GET /runs/failed-count counts a failed run whose own createdAt is since, as the list of failed runs since then lists it', async () => {
      const [run] = (await admin().get('/runs?limit=1')).body.runs as { id: string }[];
      // As startRun makes them: the id a moment before the time written in created_at.
      const createdAt = new Date(decodeTime(run!.id.slice('run_'.length)) + 3).toISOString();
      await server.store.db.updateTable('runs').set({ status: 'failed', created_at: createdAt }).where('id', '=', run!.id).execute();
      const failedSince = async (since: string) => {
        const q = encodeURIComponent(since);
        const list = await admin().get(`/runs?status=failed&runAgain=false&since=${q}`);
        const count = await admin().get(`/runs/failed-count?since=${q}`);
        expect(count.status, JSON.stringify(count.body)).toBe(200);
        return { listed: (list.body.runs as { id: string }[]).map((r) => r.id), counted: count.body.failed as number };
      };
      expect(await failedSince(createdAt)).toEqual({ listed: [run!.id], counted: 1 });
      expect(await failedSince(new Date(Date.parse(createdAt) + 1).toISOString())).toEqual({ listed: [], counted: 0 });
    });

    it('pages with nextCursor without repeating or skipping a run', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { status: number; body: any } = await admin().get(`/runs?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.runs.map((r: { id: string }) => r.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(2);
      expect(seen).toEqual((await admin().get('/runs')).body.runs.map((r: { id: string }) => r.id));
    });

    it('refuses bad filters with a message that says what to fix, and non-admins', async () => {
      const bad = await admin().get('/runs?status=done');
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.status).toBeLessThan(500);
      expect(JSON.stringify(bad.body.error)).toMatch(/status/);
      const badTime = await admin().get('/runs?since=yesterday');
      expect(badTime.status).toBeGreaterThanOrEqual(400);
      expect(badTime.status).toBeLessThan(500);
      const backwards = await admin().get(`/runs?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z`);
      expect(backwards.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(backwards.body.error)).toMatch(/since.*before.*until/);
      expect((await admin().get('/runs?limit=5000')).status).toBeLessThan(500);
      // A cursor that is not a run id would answer an empty page, as if there were no more runs.
      const badCursor = await admin().get('/runs?cursor=garbage');
      expect(badCursor.status).toBe(422);
      expect(JSON.stringify(badCursor.body.error)).toMatch(/nextCursor/);
      const agent = await server.createUser('agent');
      expect((await server.api(agent.token).get('/runs')).status).toBe(403);
    });

    it('GET /runs/summary counts the engine\'s runs in hand; POST /runs/retry-now wakes those waiting to try a step again', async () => {
      const summary = async () => {
        const res = await admin().get('/runs/summary');
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body as { ready: number; oldestReadyAt: string | null; running: number; waiting: number; retrying: number };
      };
      const before = await summary();
      expect(before).toMatchObject({ running: 0, waiting: 0, retrying: 0 });
      expect(before.ready).toBeGreaterThan(0);
      const queued = ((await admin().get('/runs?status=queued')).body.runs as { id: string; createdAt: string }[]);
      expect(queued.map((r) => r.createdAt)).toContain(before.oldestReadyAt);

      // Two runs wait: one to try a step again (its last entry a retry), one on something else.
      const at = new Date().toISOString();
      const later = new Date(Date.now() + 3600_000).toISOString();
      const entry = (status: string) => ({ stepId: 'c', type: 'add_comment', status, startedAt: at, endedAt: at });
      const [a, b] = [queued.at(-1)!.id, queued.at(-2)!.id];
      await server.store.db.updateTable('runs').set({ status: 'waiting', wake_at: later, step_log: JSON.stringify([entry('retrying')]) }).where('id', '=', a).execute();
      await server.store.db.updateTable('runs').set({ status: 'waiting', wake_at: later, step_log: JSON.stringify([entry('retrying'), entry('completed')]) }).where('id', '=', b).execute();
      const during = await summary();
      expect(during).toMatchObject({ waiting: 2, retrying: 1 });
      expect(during.ready).toBeLessThan(before.ready);

      const woken = await admin().post('/runs/retry-now');
      expect(woken.status, JSON.stringify(woken.body)).toBe(200);
      expect(woken.body).toEqual({ woken: 1 });
      expect(Date.parse((await admin().get(`/runs/${a}`)).body.wakeAt)).toBeLessThanOrEqual(Date.now());
      expect((await admin().get(`/runs/${b}`)).body.wakeAt).toBe(later);
      const agent = await server.createUser('agent');
      expect((await server.api(agent.token).get('/runs/summary')).status).toBe(403);
      expect((await server.api(agent.token).post('/runs/retry-now')).status).toBe(403);
    });

    it('is in the OpenAPI description', async () => {
      const doc = await server.request('GET', '/docs/json');
      expect(doc.body.paths['/api/v1/runs'].get.parameters.map((p: { name: string }) => p.name))
        .toEqual(expect.arrayContaining(['workflowId', 'status', 'contactId', 'since', 'until', 'limit', 'cursor']));
    });
  });
}
