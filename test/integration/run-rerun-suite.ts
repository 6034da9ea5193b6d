import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { ErrorBody } from '../../lib/contracts/errors';
import { Run, RunPage } from '../../lib/contracts/runs';
import { RerunRunsResult } from '../../lib/contracts/run-rerun';
import type { StepInput } from '../../lib/contracts/steps';
import type { TestServer as HttpServer } from '../../server/outbound/test-server';
import { waitForRun } from '../support/builders';
import { failedLaunch as launchFailing, startRerunTeam, type RerunTeam } from '../support/rerun-team';
import type { Api, TestServer } from '../support/server';
import { createWorkflow, shortcutWorkflow } from './engine-support';

/**
 * "Run again" for failed runs over real HTTP (the review: a failed run could not be retried by
 * anyone; n8n's "Retry execution"): agents' shortcut runs fail on a CRM call, the admin fixes
 * the workflow, and a supervisor runs them again, one or the workflow's all, each once however
 * often or at once it is asked. Registered by run-rerun.test.ts (SQLite) and .pg.test.ts.
 */
export function runRerunSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let crm: HttpServer;
  let crmCalls: { path: string; body: string }[];
  let admin: Api;
  let sam: Api;
  let samId: string;
  let ava: Api;
  let avaId: string;
  let team: RerunTeam;

  beforeEach(async () => {
    crmCalls = [];
    // The CRM knows /crm only: the workflow's first version calls /crm-old and fails at once (404).
    team = await startRerunTeam(databaseUrl(), (req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        crmCalls.push({ path: req.url ?? '', body });
        res.statusCode = req.url === '/crm' ? 200 : 404;
        res.setHeader('content-type', 'application/json');
        res.end(req.url === '/crm' ? '{"ok":true}' : '{"error":"no such route"}');
      });
    });
    ({ server, crm, sam, samId, ava, avaId } = team);
    admin = server.api((await server.createUser('admin', { name: 'Grace Admin' })).token);
  });
  afterEach(() => team.close());

  const db = () => server.app.services.db;
  const form = { fields: [{ label: 'Order', type: 'text' as const, variable: 'order', required: true }] };
  const steps = (path: string): StepInput[] => [
    { id: 'note', type: 'add_comment', config: { text: 'syncing {{$trigger.order}}' } },
    { id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}${path}`, body: '{"order": "{{$trigger.order}}"}' } },
  ] as StepInput[];
  const syncToCrm = () => createWorkflow(server, shortcutWorkflow({ name: 'Sync to CRM', trigger: { type: 'shortcut', name: 'Sync to CRM', form }, steps: steps('/crm-old') }));
  /** The admin's fix: the right URL, published at once (version 2). */
  async function fix(id: string) {
    const res = await admin.put(`/workflows/${id}`, { ...shortcutWorkflow({ name: 'Sync to CRM', trigger: { type: 'shortcut', name: 'Sync to CRM', form }, steps: steps('/crm') }) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  async function conversation(firstName: string) {
    const contact = Contact.parse((await admin.post('/contacts', { firstName })).body);
    return { contactId: contact.id, conversationId: (await admin.post('/conversations', { contactId: contact.id })).body.id as string };
  }
  /** Ava launches the shortcut for an order; the run fails on the CRM call. */
  const failedLaunch = (workflowId: string, conversationId: string, order: string) => launchFailing(server, ava, workflowId, conversationId, { order });
  const lines = async (conversationId: string) => ((await admin.get(`/conversations/${conversationId}`)).body.messages as { kind: string; text: string }[])
    .filter((m) => m.kind === 'activity' || m.kind === 'comment').map((m) => m.text);
  const runsOf = async (workflowId: string) => RunPage.parse((await admin.get(`/workflows/${workflowId}/runs?limit=200`)).body).runs;
  const refusal = (res: { status: number; body: unknown }) => ({ status: res.status, ...ErrorBody.parse(res.body).error });

  // The r-team review: after Run all failed again had fixed everything, "4 runs failed in the
  // last 24 hours" stayed. A failure run again is handled; a rerun that fails is the one to count.
  it('the failed-run count leaves out failures that were run again, and counts a rerun that failed too', async () => {
    const wf = await syncToCrm();
    const count = async () => (await sam.get('/runs/failed-count')).body.failed as number;
    const ana = await failedLaunch(wf.id, (await conversation('Ana')).conversationId, 'A-1');
    await failedLaunch(wf.id, (await conversation('Rui')).conversationId, 'R-2');
    expect(await count()).toBe(2);
    // Not fixed yet: Ana's rerun fails too; her first failure is handled, the rerun's is not.
    const first = Run.parse((await sam.post(`/runs/${ana.id}/rerun`)).body);
    expect((await waitForRun(db(), first.id)).status).toBe('failed');
    expect(await count()).toBe(2);
    await fix(wf.id);
    const second = Run.parse((await sam.post(`/runs/${first.id}/rerun`)).body);
    expect((await waitForRun(db(), second.id)).status).toBe('completed');
    expect(await count()).toBe(1);
    const all = RerunRunsResult.parse((await sam.post(`/workflows/${wf.id}/runs/rerun`)).body);
    expect(all.started).toBe(1);
    for (const { runId } of all.reruns) expect((await waitForRun(db(), runId)).status).toBe('completed');
    expect(await count()).toBe(0);
    // The list still shows every failure, each with the run that ran it again.
    const failed = RunPage.parse((await sam.get('/runs?status=failed')).body).runs;
    expect(failed).toHaveLength(3);
    expect(failed.every((r) => r.rerunAs)).toBe(true);
  });

  describe('POST /runs/:id/rerun', () => {
    it('starts a new run of the published version, from the first step, with the same trigger data, linked both ways, and says so in the thread', async () => {
      const wf = await syncToCrm();
      const { contactId, conversationId } = await conversation('Ana');
      const failed = await failedLaunch(wf.id, conversationId, 'A-17');
      await fix(wf.id);

      const res = await sam.post(`/runs/${failed.id}/rerun`);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.headers.get('x-duplicate-delivery')).toBeNull();
      const rerun = Run.parse(res.body);
      expect(rerun).toMatchObject({
        workflowId: wf.id, workflowVersion: 2, contactId, conversationId, status: 'queued', cursor: 0, stepLog: [],
        triggerEvent: failed.triggerEvent, variables: failed.variables,
        rerunOf: failed.id, rerunBy: { id: samId, name: 'Sam Supervisor' }, launchedBy: { id: avaId, name: 'Ava Agent' },
      });
      expect(rerun.id).not.toBe(failed.id);

      const done = await waitForRun(db(), rerun.id);
      expect(done.status, JSON.stringify(done.stepLog)).toBe('completed');
      expect(done.stepLog.map((s) => [s.stepId, s.status])).toEqual([['note', 'completed'], ['crm', 'completed']]);
      expect(crmCalls).toEqual([{ path: '/crm-old', body: '{"order": "A-17"}' }, { path: '/crm', body: '{"order": "A-17"}' }]);
      // From the first step: the note is written again, then the call the failed run could not make.
      expect(await lines(conversationId)).toEqual([
        'Ava Agent launched “Sync to CRM”', 'syncing A-17', expect.stringMatching(/^Workflow “Sync to CRM” failed.*HTTP 404/),
        'Sam Supervisor ran “Sync to CRM” again', 'syncing A-17',
      ]);
      // The history links them both ways; the failed run stays as it was.
      const old = Run.parse((await sam.get(`/runs/${failed.id}`)).body);
      expect(old).toMatchObject({ status: 'failed', rerunAs: rerun.id });
      expect(old).not.toHaveProperty('rerunOf');
      const listed = await runsOf(wf.id);
      expect(listed.map((r) => [r.id, r.rerunOf ?? null, r.rerunAs ?? null, r.rerunBy?.name ?? null])).toEqual([
        [rerun.id, failed.id, null, 'Sam Supervisor'], [failed.id, null, rerun.id, null],
      ]);
      // Ava follows her shortcut's rerun as she follows its first run.
      expect((await ava.get(`/runs/${rerun.id}`)).status).toBe(200);
    });

    it('runs a failed run again once: a second press is a 409 naming the rerun, and a rerun that fails too is the one to run again', async () => {
      const wf = await syncToCrm();
      const { conversationId } = await conversation('Ana');
      const failed = await failedLaunch(wf.id, conversationId, 'A-1');
      const first = Run.parse((await admin.post(`/runs/${failed.id}/rerun`)).body);
      const again = await admin.post(`/runs/${failed.id}/rerun`);
      expect(refusal(again)).toMatchObject({ status: 409, code: 'already_rerun' });
      expect(refusal(again).message).toContain(first.id);
      // Not fixed yet: the rerun fails too, and it (not the first failure) runs again.
      expect((await waitForRun(db(), first.id)).status).toBe('failed');
      await fix(wf.id);
      const second = await admin.post(`/runs/${first.id}/rerun`);
      expect(second.status, JSON.stringify(second.body)).toBe(201);
      expect(Run.parse(second.body).rerunOf).toBe(first.id);
      expect((await waitForRun(db(), second.body.id)).status).toBe('completed');
      expect((await runsOf(wf.id))).toHaveLength(3);
    });

    it('refuses what cannot run again, each with a clear 4xx, and starts nothing', async () => {
      const wf = await syncToCrm();
      const { contactId, conversationId } = await conversation('Ana');
      const failed = await failedLaunch(wf.id, conversationId, 'A-1');
      await fix(wf.id);
      const ok = await ava.post(`/shortcuts/${wf.id}/launch`, { conversationId, values: { order: 'A-2' } });
      const completed = await waitForRun(db(), ok.body.runId);
      expect(completed.status).toBe('completed');

      expect(refusal(await admin.post(`/runs/${completed.id}/rerun`))).toMatchObject({ status: 409, code: 'not_failed', message: `Run ${completed.id} is completed; only a failed run can be run again` });
      expect(refusal(await admin.post('/runs/run_01JZZZZZZZZZZZZZZZZZZZZZZZ/rerun'))).toMatchObject({ status: 404, code: 'not_found' });
      expect(refusal(await ava.post(`/runs/${failed.id}/rerun`))).toMatchObject({ status: 403, code: 'forbidden' });
      expect(refusal(await admin.post(`/runs/${failed.id}/rerun`, undefined, { headers: { 'idempotency-key': 'k'.repeat(201) } })).status).toBe(422);

      expect((await admin.post(`/workflows/${wf.id}/unpublish`)).status).toBe(200);
      expect(refusal(await sam.post(`/runs/${failed.id}/rerun`))).toMatchObject({
        status: 409, code: 'workflow_not_published', message: 'Workflow “Sync to CRM” is not published: publish it to run its runs again (a run again follows the published version)',
      });
      expect((await admin.del(`/workflows/${wf.id}`)).status).toBe(204);
      expect(refusal(await sam.post(`/runs/${failed.id}/rerun`))).toMatchObject({ status: 409, code: 'workflow_deleted', message: 'Workflow “Sync to CRM” was deleted: its runs cannot run again' });
      expect(await runsOf(wf.id)).toHaveLength(2);

      // A deleted contact takes its runs with it: there is nothing left to run again.
      const wf2 = await syncToCrm();
      const other = await conversation('Otto');
      const gone = await failedLaunch(wf2.id, other.conversationId, 'B-1');
      expect((await admin.del(`/contacts/${other.contactId}`)).status).toBe(204);
      expect(refusal(await admin.post(`/runs/${gone.id}/rerun`))).toMatchObject({ status: 404, code: 'not_found' });
      expect(contactId).not.toBe(other.contactId);
    });

    it('with an Idempotency-Key, a retried request answers the rerun it started, also when sent several times at once', async () => {
      const wf = await syncToCrm();
      const { conversationId } = await conversation('Ana');
      const [a, b] = [await failedLaunch(wf.id, conversationId, 'A-1'), await failedLaunch(wf.id, conversationId, 'A-2')];
      const c = (await failedLaunch(wf.id, (await conversation('Otto')).conversationId, 'C-1')).id;
      await fix(wf.id);
      const key = { headers: { 'idempotency-key': 'rerun-1' } };

      const first = await sam.post(`/runs/${a.id}/rerun`, undefined, key);
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const repeat = await sam.post(`/runs/${a.id}/rerun`, undefined, key);
      expect(repeat.status, JSON.stringify(repeat.body)).toBe(201);
      expect(repeat.headers.get('x-duplicate-delivery')).toBe('true');
      expect(repeat.body.id).toBe(first.body.id);

      // Five at once with one key: one rerun, every answer names it.
      const burst = await Promise.all(Array.from({ length: 5 }, () => sam.post(`/runs/${b.id}/rerun`, undefined, { headers: { 'idempotency-key': 'rerun-2' } })));
      expect(burst.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(burst.map((r) => r.body.id)).size).toBe(1);
      // Five at once without a key: one starts it, the others are told it was.
      const plain = await Promise.all(Array.from({ length: 5 }, () => sam.post(`/runs/${c}/rerun`)));
      expect(plain.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      expect(plain.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['already_rerun', 'already_rerun', 'already_rerun', 'already_rerun']);

      const reruns = (await runsOf(wf.id)).filter((r) => r.rerunOf);
      expect(reruns.map((r) => r.rerunOf).sort()).toEqual([a.id, b.id, c].sort());
      for (const r of reruns) expect((await waitForRun(db(), r.id)).status).toBe('completed');
      // One line per rerun in the thread, none for the repeats.
      expect((await lines(conversationId)).filter((t) => t.endsWith('again'))).toEqual(['Sam Supervisor ran “Sync to CRM” again', 'Sam Supervisor ran “Sync to CRM” again']);
    });
  });

  describe('POST /workflows/:id/runs/rerun', () => {
    it('runs every failed run of the workflow again, a batch at a time with what remains, each once, and nothing else', async () => {
      const wf = await syncToCrm();
      const other = await syncToCrm();
      const [x, y, z] = [await conversation('Ana'), await conversation('Bob'), await conversation('Cleo')];
      const failed = [await failedLaunch(wf.id, x.conversationId, 'A-1'), await failedLaunch(wf.id, y.conversationId, 'B-1'), await failedLaunch(wf.id, z.conversationId, 'C-1')];
      const untouched = await failedLaunch(other.id, x.conversationId, 'X-1');
      await fix(wf.id);
      const rerun = (body?: unknown) => sam.post(`/workflows/${wf.id}/runs/rerun`, body);

      const first = await rerun({ status: 'failed', limit: 2 });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const one = RerunRunsResult.parse(first.body);
      expect(one).toMatchObject({ started: 2, remaining: 1 });
      expect(one.reruns.map((r) => r.rerunOf)).toEqual([failed[0]!.id, failed[1]!.id]);
      const two = RerunRunsResult.parse((await rerun()).body);
      expect(two).toMatchObject({ started: 1, remaining: 0, reruns: [{ rerunOf: failed[2]!.id }] });
      expect(RerunRunsResult.parse((await rerun({})).body)).toEqual({ started: 0, reruns: [], remaining: 0 });

      for (const r of [...one.reruns, ...two.reruns]) {
        expect(await waitForRun(db(), r.runId)).toMatchObject({ status: 'completed', workflowVersion: 2 });
        expect(Run.parse((await sam.get(`/runs/${r.runId}`)).body).rerunOf).toBe(r.rerunOf);
      }
      expect(crmCalls.filter((c) => c.path === '/crm').map((c) => c.body).sort()).toEqual(['{"order": "A-1"}', '{"order": "B-1"}', '{"order": "C-1"}']);
      expect((await lines(y.conversationId)).at(-2)).toBe('Sam Supervisor ran “Sync to CRM” again');
      // The other workflow's failure is left alone, and nothing ran twice.
      expect((await runsOf(other.id)).map((r) => r.id)).toEqual([untouched.id]);
      expect(await runsOf(wf.id)).toHaveLength(6);
    });

    it('called twice at once, never starts two reruns of one failed run', async () => {
      const wf = await syncToCrm();
      const failed: string[] = [];
      for (const name of ['Ana', 'Bob', 'Cleo', 'Dan']) failed.push((await failedLaunch(wf.id, (await conversation(name)).conversationId, name)).id);
      await fix(wf.id);
      const answers = await Promise.all([sam.post(`/workflows/${wf.id}/runs/rerun`, {}), admin.post(`/workflows/${wf.id}/runs/rerun`, {}), sam.post(`/workflows/${wf.id}/runs/rerun`)]);
      for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
      const results = answers.map((a) => RerunRunsResult.parse(a.body));
      expect(results.reduce((n, r) => n + r.started, 0)).toBe(4);
      expect(results.flatMap((r) => r.reruns.map((x) => x.rerunOf)).sort()).toEqual([...failed].sort());
      const reruns = (await runsOf(wf.id)).filter((r) => r.rerunOf);
      expect(reruns.map((r) => r.rerunOf).sort()).toEqual([...failed].sort());
    });

    it('takes `since`, refuses another status, a limit over 1,000 or an unpublished workflow, and is not for agents', async () => {
      const wf = await syncToCrm();
      const old = await failedLaunch(wf.id, (await conversation('Ana')).conversationId, 'A-1');
      await new Promise((r) => setTimeout(r, 20));
      const since = new Date().toISOString();
      const recent = await failedLaunch(wf.id, (await conversation('Bob')).conversationId, 'B-1');
      await fix(wf.id);
      const rerun = (body?: unknown, api = sam) => api.post(`/workflows/${wf.id}/runs/rerun`, body);

      expect(refusal(await rerun({ status: 'cancelled' }))).toMatchObject({ status: 422 });
      expect(JSON.stringify((await rerun({ status: 'cancelled' })).body)).toContain('Only failed runs are run again');
      expect(refusal(await rerun({ limit: 1001 }))).toMatchObject({ status: 422 });
      expect(refusal(await rerun({ since: 'yesterday' }))).toMatchObject({ status: 422 });
      expect(refusal(await rerun({ everything: true }))).toMatchObject({ status: 422 });
      expect(refusal(await rerun({}, ava))).toMatchObject({ status: 403 });
      expect(refusal(await sam.post('/workflows/wf_01JZZZZZZZZZZZZZZZZZZZZZZZ/runs/rerun', {}))).toMatchObject({ status: 404 });

      const res = RerunRunsResult.parse((await rerun({ since })).body);
      expect(res).toMatchObject({ started: 1, remaining: 0, reruns: [{ rerunOf: recent.id }] });
      expect(RerunRunsResult.parse((await rerun({ limit: 1 })).body)).toMatchObject({ started: 1, remaining: 0, reruns: [{ rerunOf: old.id }] });

      const draft = await syncToCrm();
      await failedLaunch(draft.id, (await conversation('Cleo')).conversationId, 'C-1');
      expect((await admin.post(`/workflows/${draft.id}/unpublish`)).status).toBe(200);
      expect(refusal(await sam.post(`/workflows/${draft.id}/runs/rerun`, {}))).toMatchObject({ status: 409, code: 'workflow_not_published' });
    });
  });
}
