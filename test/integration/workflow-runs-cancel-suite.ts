import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { ErrorBody } from '../../lib/contracts/errors';
import { CancelRunsResult, Run, UnfinishedRunCounts } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { UnpublishResult } from '../../lib/contracts/workflow';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow, shortcutWorkflow } from './engine-support';

/**
 * Registered by workflow-runs-cancel.test.ts (SQLite) and workflow-runs-cancel.pg.test.ts
 * (PostgreSQL). Stopping a workflow: unpublish stops new runs, and with `cancelRuns` (or
 * POST /workflows/:id/runs/cancel) the runs already going too, as n8n's "stop executions".
 */
export function workflowRunsCancelSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let remote: HttpServer | undefined;
  let admin: Api;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    admin = server.api((await server.createUser('admin', { name: 'Grace Admin' })).token);
  });
  afterEach(async () => {
    await server.close();
    await remote?.close();
    remote = undefined;
  });

  const HOUR = 3600;
  const waitThenNote: StepInput[] = [
    { id: 'pause', type: 'wait', config: { seconds: HOUR } },
    { id: 'note', type: 'add_comment', config: { text: 'after the wait' } },
  ];
  const shortcut = (name: string, steps: StepInput[]) => createWorkflow(server, shortcutWorkflow({ name, trigger: { type: 'shortcut', name }, steps }));
  async function conversation(firstName = 'Maria') {
    const contact = Contact.parse((await admin.post('/contacts', { firstName })).body);
    return (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
  }
  const launch = async (workflowId: string, conversationId: string) => {
    const res = await admin.post(`/shortcuts/${workflowId}/launch`, { conversationId, values: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.runId as string;
  };
  const run = async (id: string) => Run.parse((await admin.get(`/runs/${id}`)).body);
  const comments = async (id: string) => ((await admin.get(`/conversations/${id}`)).body.messages as { kind: string; text: string }[])
    .filter((m) => m.kind === 'comment').map((m) => m.text);
  const unfinished = async (workflowId: string) => {
    const res = await admin.get(`/workflows/${workflowId}/runs/unfinished`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return UnfinishedRunCounts.parse(res.body);
  };
  /** A run's Wait step ends now, as if its hour had passed. */
  async function wakeNow(id: string) {
    await server.app.services.db.updateTable('runs').set({ wake_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', id).where('status', '=', 'waiting').execute();
    server.app.services.runSignal.notify();
  }

  describe('unpublishing a workflow with runs going', () => {
    it('lets them go on by default: a run waiting in a Wait step wakes after the unpublish and finishes', async () => {
      const wf = await shortcut('Follow up', waitThenNote);
      const cnv = await conversation();
      const id = await launch(wf.id, cnv);
      await waitForRun(server.app.services.db, id, ['waiting']);
      const res = await admin.post(`/workflows/${wf.id}/unpublish`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ status: 'draft' });
      expect(res.body).not.toHaveProperty('cancelledRuns');
      await wakeNow(id);
      expect((await waitForRun(server.app.services.db, id)).status).toBe('completed');
      expect(await comments(cnv)).toEqual(['after the wait']);
    });

    it('with { cancelRuns: true } also cancels them in the same call: nothing they would have done happens', async () => {
      const wf = await shortcut('Follow up', waitThenNote);
      const other = await shortcut('Other', waitThenNote);
      const cnv = await conversation();
      const waiting = await launch(wf.id, cnv);
      const behind = await launch(wf.id, cnv);
      const untouched = await launch(other.id, cnv);
      for (const id of [waiting, untouched]) await waitForRun(server.app.services.db, id, ['waiting']);
      expect(await unfinished(wf.id)).toEqual({ total: 2, queued: 1, running: 0, waiting: 1 });

      const res = await admin.post(`/workflows/${wf.id}/unpublish`, { cancelRuns: true });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(UnpublishResult.parse(res.body)).toMatchObject({ status: 'draft', cancelledRuns: { cancelled: 2, runIds: [waiting, behind] } });
      for (const id of [waiting, behind]) {
        expect(await run(id)).toMatchObject({ status: 'cancelled', error: 'Cancelled by Grace Admin, who unpublished the workflow', wakeAt: null });
      }
      expect(await unfinished(wf.id)).toEqual({ total: 0, queued: 0, running: 0, waiting: 0 });
      await wakeNow(waiting);
      await new Promise((r) => setTimeout(r, 300));
      expect((await run(behind)).stepLog).toEqual([]);
      expect(await comments(cnv)).toEqual([]);
      expect((await run(untouched)).status).toBe('waiting');
      // `cancelRuns: false`, or anything else in the body, is refused or changes nothing.
      expect((await admin.post(`/workflows/${wf.id}/unpublish`, { cancelRuns: 'yes' })).status).toBe(422);
      expect((await admin.post(`/workflows/${wf.id}/unpublish`, { stop: true })).status).toBe(422);
    });
  });

  describe('POST /workflows/:id/runs/cancel', () => {
    it('cancels the runs of the statuses asked for, then every unfinished one; answers how many and which', async () => {
      const wf = await shortcut('Follow up', waitThenNote);
      const other = await shortcut('Other', waitThenNote);
      const [c1, c2] = [await conversation('Maria'), await conversation('Otto')];
      const a = await launch(wf.id, c1);
      const b = await launch(wf.id, c1);
      const c = await launch(wf.id, c2);
      const d = await launch(other.id, c1);
      for (const id of [a, c, d]) await waitForRun(server.app.services.db, id, ['waiting']);
      expect(await unfinished(wf.id)).toEqual({ total: 3, queued: 1, running: 0, waiting: 2 });

      const cancel = (body?: unknown) => admin.post(`/workflows/${wf.id}/runs/cancel`, body);
      const queued = await cancel({ status: ['queued'] });
      expect(queued.status, JSON.stringify(queued.body)).toBe(200);
      expect(CancelRunsResult.parse(queued.body)).toEqual({ cancelled: 1, runIds: [b] });
      expect(await run(b)).toMatchObject({ status: 'cancelled', error: 'Cancelled by Grace Admin' });
      expect((await run(a)).status).toBe('waiting');

      expect(CancelRunsResult.parse((await cancel()).body)).toEqual({ cancelled: 2, runIds: [a, c] });
      expect(await unfinished(wf.id)).toEqual({ total: 0, queued: 0, running: 0, waiting: 0 });
      expect(CancelRunsResult.parse((await cancel({})).body)).toEqual({ cancelled: 0, runIds: [] });
      for (const id of [a, c]) await wakeNow(id);
      await new Promise((r) => setTimeout(r, 300));
      expect([...await comments(c1), ...await comments(c2)]).toEqual([]);
      // Another workflow's run is not touched, and the workflow stays published (new runs may start).
      expect((await run(d)).status).toBe('waiting');
      expect((await admin.get(`/workflows/${wf.id}`)).body.status).toBe('published');
    });

    it('stops a run in the middle of a step at its checkpoint, as a single cancel does, and the runs queued behind it', async () => {
      let release!: () => void;
      const held = new Promise<void>((r) => { release = r; });
      let called = 0;
      remote = await startHttpServer(async (_req, res) => {
        called++;
        await held;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ticket: 'T-1' }));
      });
      const wf = await shortcut('Ticket', [
        { id: 'call', type: 'http_request', config: { method: 'GET', url: `${remote.url}/slow`, responseMappings: [{ jsonKey: '$.ticket', variable: 'ticket' }] } },
        { id: 'note', type: 'add_comment', config: { text: 'ticket {{$step.ticket}}' } },
      ] as StepInput[]);
      const cnv = await conversation();
      const first = await launch(wf.id, cnv);
      const second = await launch(wf.id, cnv);
      await waitFor('the call to be made', async () => (called > 0 ? true : undefined));
      expect(await unfinished(wf.id)).toEqual({ total: 2, queued: 1, running: 1, waiting: 0 });
      expect(CancelRunsResult.parse((await admin.post(`/workflows/${wf.id}/runs/cancel`, {})).body)).toEqual({ cancelled: 2, runIds: [first, second] });
      release();
      await new Promise((r) => setTimeout(r, 500));
      // Its request dropped and logged as sent (http-step-cancel-suite.ts); nothing after it ran.
      expect(await run(first)).toMatchObject({ status: 'cancelled', cursor: 0, stepLog: [{ stepId: 'call', status: 'failed' }] });
      expect((await run(second)).status).toBe('cancelled');
      expect(await comments(cnv)).toEqual([]);
      expect(called).toBe(1);
    });

    it('refuses what it cannot do: unknown workflow 404, a status that is not unfinished 422, agents 403; supervisors may', async () => {
      const wf = await shortcut('Follow up', waitThenNote);
      const at = `/workflows/${wf.id}/runs/cancel`;
      expect((await admin.post('/workflows/wf_nope/runs/cancel', {})).status).toBe(404);
      expect((await admin.get('/workflows/wf_nope/runs/unfinished')).status).toBe(404);
      for (const body of [{ status: ['completed'] }, { status: [] }, { status: 'queued' }, { all: true }]) {
        const res = await admin.post(at, body);
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(ErrorBody.parse(res.body).error.code).toBe('invalid_content');
      }
      const agent = server.api((await server.createUser('agent')).token);
      expect((await agent.post(at, {})).status).toBe(403);
      expect((await agent.get(`/workflows/${wf.id}/runs/unfinished`)).status).toBe(403);
      const supervisor = server.api((await server.createUser('supervisor', { name: 'Sam Supervisor' })).token);
      const cnv = await conversation();
      const id = await launch(wf.id, cnv);
      await waitForRun(server.app.services.db, id, ['waiting']);
      expect((await supervisor.get(`/workflows/${wf.id}/runs/unfinished`)).body).toEqual({ total: 1, queued: 0, running: 0, waiting: 1 });
      expect((await supervisor.post(at)).body).toEqual({ cancelled: 1, runIds: [id] });
      expect((await run(id)).error).toBe('Cancelled by Sam Supervisor');
      // Changing the workflow itself stays the admins'.
      expect((await supervisor.post(`/workflows/${wf.id}/unpublish`, { cancelRuns: true })).status).toBe(403);
    });
  });

  describe('POST /runs/:id/cancel', () => {
    it('a supervisor may stop one agent\'s run, as they may all of the workflow\'s: the thread names them; agents 403', async () => {
      const wf = await shortcut('Follow up', waitThenNote);
      const ava = await server.createUser('agent', { name: 'Ava Agent' });
      const sam = await server.createUser('supervisor', { name: 'Sam Supervisor' });
      const cnv = await conversation();
      const launched = await server.api(ava.token).post(`/shortcuts/${wf.id}/launch`, { conversationId: cnv, values: {} });
      expect(launched.status, JSON.stringify(launched.body)).toBe(202);
      const id = launched.body.runId as string;
      await waitForRun(server.app.services.db, id, ['waiting']);

      // Agents, the one who launched it too, ask a supervisor (as before).
      for (const token of [ava.token, (await server.createUser('agent')).token]) {
        const refused = await server.api(token).post(`/runs/${id}/cancel`);
        expect(refused.status).toBe(403);
        expect(ErrorBody.parse(refused.body).error.message).toBe('This needs the supervisor role; you are an agent');
      }
      const res = await server.api(sam.token).post(`/runs/${id}/cancel`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(Run.parse(res.body)).toMatchObject({ id, status: 'cancelled', error: 'Cancelled by Sam Supervisor' });
      // The thread says who stopped it, in the supervisor's name.
      const lines = ((await admin.get(`/conversations/${cnv}`)).body.messages as { kind: string; text: string; author: { type: string; id: string | null } }[])
        .filter((m) => m.kind === 'activity');
      expect(lines.at(-1)).toMatchObject({ text: expect.stringMatching(/“Follow up”.* stopped: cancelled by Sam Supervisor$/), author: { type: 'user', id: sam.user.id } });
      // Once ended: 409, for supervisors as for admins.
      expect((await server.api(sam.token).post(`/runs/${id}/cancel`)).status).toBe(409);
      expect(await comments(cnv)).toEqual([]);
    });
  });
}
