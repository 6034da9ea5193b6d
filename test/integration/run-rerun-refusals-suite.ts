import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { ErrorBody } from '../../lib/contracts/errors';
import { Run } from '../../lib/contracts/runs';
import { RerunRunsResult } from '../../lib/contracts/run-rerun';
import type { StepInput } from '../../lib/contracts/steps';
import type { TestServer as HttpServer } from '../../server/outbound/test-server';
import { waitForRun } from '../support/builders';
import { failedLaunch as launchFailing, startRerunTeam, type RerunTeam } from '../support/rerun-team';
import type { Api, TestServer } from '../support/server';
import { createWorkflow, runsOf, shortcutWorkflow } from './engine-support';

/**
 * Run again is refused where a shortcut launch is, before anything starts (the r-codeB review:
 * it answered 201, wrote the note into the thread again, then failed). A workflow that assigns to
 * a deactivated user: 409 `assignee_deactivated`, one run or a workflow's all. A shortcut's run
 * whose conversation is closed now: 409 `conversation_closed` (the bulk form leaves it out and
 * counts it); other triggers' runs there run again as before. Registered by
 * run-rerun-refusals.test.ts (SQLite) and .pg.test.ts (PostgreSQL).
 */
export function runRerunRefusalsSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let crm: HttpServer;
  let admin: Api;
  let sam: Api;
  let ava: Api;
  let ben: string;
  let team: RerunTeam;

  beforeEach(async () => {
    // The CRM's route is gone (404, not retried): each run fails at its second step, after its note.
    team = await startRerunTeam(databaseUrl(), (_req, res) => { res.statusCode = 404; res.end('{"error":"no such route"}'); });
    ({ server, crm, admin, sam, ava } = team);
    ben = (await server.createUser('agent', { name: 'Ben Agent' })).user.id;
  });
  afterEach(() => team.close());

  const db = () => server.app.services.db;
  const failing = (): StepInput[] => [
    { id: 'note', type: 'add_comment', config: { text: 'Escalating' } },
    { id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm`, body: '{}' } },
  ] as StepInput[];
  const escalate = (steps = failing()) => shortcutWorkflow({ name: 'Escalate', trigger: { type: 'shortcut', name: 'Escalate' }, steps });
  async function conversation(firstName: string) {
    const contact = Contact.parse((await admin.post('/contacts', { firstName })).body);
    return (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
  }
  const failedLaunch = (workflowId: string, conversationId: string) => launchFailing(server, ava, workflowId, conversationId);
  const lines = async (conversationId: string) => ((await admin.get(`/conversations/${conversationId}`)).body.messages as { kind: string; text: string }[])
    .filter((m) => m.kind === 'activity' || m.kind === 'comment').map((m) => m.text);
  const refusal = (res: { status: number; body: unknown }) => ({ status: res.status, ...ErrorBody.parse(res.body).error });

  describe('a workflow that assigns to a deactivated user', () => {
    it('is refused before any run starts, one run or all, with the launch\'s words; reactivated, it runs again', async () => {
      const wf = await createWorkflow(server, escalate());
      const [c1, c2] = [await conversation('Lena'), await conversation('Omar')];
      const [f1, f2] = [await failedLaunch(wf.id, c1), await failedLaunch(wf.id, c2)];
      // The admin's second version hands the conversation to Ben, who is deactivated since.
      const v2 = await admin.put(`/workflows/${wf.id}`, escalate([failing()[0]!, { id: 'hand', type: 'assign_to', config: { userId: ben } }] as StepInput[]));
      expect(v2.status, JSON.stringify(v2.body)).toBe(200);
      expect((await admin.patch(`/users/${ben}`, { active: false })).body.workflowsAssigning).toEqual([{ id: wf.id, name: 'Escalate' }]);
      const launch = refusal(await ava.post(`/shortcuts/${wf.id}/launch`, { conversationId: c1, values: {} }));
      const before = await lines(c1);

      const message = '“Escalate” cannot run again: it assigns to Ben Agent, who is deactivated; an admin must choose someone else in its workflow';
      expect(launch.message).toBe(message.replace('cannot run again', 'cannot run'));
      expect(refusal(await sam.post(`/runs/${f1.id}/rerun`))).toEqual({ status: 409, code: 'assignee_deactivated', message });
      expect(refusal(await sam.post(`/runs/${f1.id}/rerun`, undefined, { headers: { 'idempotency-key': 'again-1' } }))).toEqual({ status: 409, code: 'assignee_deactivated', message });
      expect(refusal(await sam.post(`/workflows/${wf.id}/runs/rerun`, { status: 'failed' }))).toEqual({ status: 409, code: 'assignee_deactivated', message });
      // Nothing started: no run, no "ran again" line, no second note.
      expect((await runsOf(server, wf.id)).map((r) => r.id).sort()).toEqual([f1.id, f2.id].sort());
      expect(await lines(c1)).toEqual(before);

      expect((await admin.patch(`/users/${ben}`, { active: true })).status).toBe(200);
      const again = await sam.post(`/runs/${f1.id}/rerun`);
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect((await waitForRun(db(), Run.parse(again.body).id)).status).toBe('completed');
      expect(RerunRunsResult.parse((await sam.post(`/workflows/${wf.id}/runs/rerun`)).body)).toMatchObject({ started: 1, remaining: 0, reruns: [{ rerunOf: f2.id }] });
    });
  });

  describe('from the failed step, an Assign before it to someone deactivated since', () => {
    it('is not refused (the Assign was done and is not done again); from the start it still is', async () => {
      const steps = [{ id: 'hand', type: 'assign_to', config: { userId: ben } }, ...failing()] as StepInput[];
      const wf = await createWorkflow(server, escalate(steps));
      const c1 = await conversation('Lena');
      const failed = await failedLaunch(wf.id, c1);
      expect(failed.stepLog.map((e) => `${e.stepId}:${e.status}`)).toEqual(expect.arrayContaining(['hand:completed', 'crm:failed']));
      expect((await admin.patch(`/users/${ben}`, { active: false })).status).toBe(200);
      const before = await lines(c1);

      // The history offers Run again from the failed step (step 3), not from the start.
      const shown = Run.parse((await sam.get(`/runs/${failed.id}`)).body);
      expect(shown.rerunRefused).toMatch(/assigns to Ben Agent, who is deactivated/);
      expect(shown.failedStep).toEqual({ step: 3, stepId: 'crm', refused: null });
      expect(refusal(await sam.post(`/runs/${failed.id}/rerun`))).toMatchObject({ status: 409, code: 'assignee_deactivated' });

      const again = await sam.post(`/runs/${failed.id}/rerun`, { from: 'failed_step' });
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      const rerun = await waitForRun(db(), Run.parse(again.body).id);
      expect(rerun.stepLog.map((e) => e.stepId)).not.toContain('hand');
      expect(rerun.stepLog.at(-1)).toMatchObject({ stepId: 'crm', status: 'failed' });
      // No second note: the line the rerun adds is the only new one.
      expect((await lines(c1)).slice(before.length).filter((t) => t === 'Escalating')).toEqual([]);
    });

    it('is refused when a jump leads back to that Assign', async () => {
      const steps = [
        { id: 'hand', type: 'assign_to', config: { userId: ben } }, ...failing(),
        { id: 'back', type: 'jump_to', config: { stepId: 'hand' } },
      ] as StepInput[];
      const wf = await createWorkflow(server, escalate(steps));
      const failed = await failedLaunch(wf.id, await conversation('Omar'));
      expect((await admin.patch(`/users/${ben}`, { active: false })).status).toBe(200);
      expect(Run.parse((await sam.get(`/runs/${failed.id}`)).body).failedStep?.refused).toMatch(/assigns to Ben Agent, who is deactivated/);
      expect(refusal(await sam.post(`/runs/${failed.id}/rerun`, { from: 'failed_step' }))).toMatchObject({ status: 409, code: 'assignee_deactivated' });
    });

    it('Run all failed again from their failed steps runs the runs past that Assign, and counts apart those a jump leads back to it', async () => {
      const passed = await createWorkflow(server, escalate([{ id: 'hand', type: 'assign_to', config: { userId: ben } }, ...failing()] as StepInput[]));
      const looping = await createWorkflow(server, { ...escalate([
        { id: 'hand', type: 'assign_to', config: { userId: ben } }, ...failing(), { id: 'back', type: 'jump_to', config: { stepId: 'hand' } },
      ] as StepInput[]), name: 'Escalate again', trigger: { type: 'shortcut', name: 'Escalate again' } });
      const [p1, p2] = [await failedLaunch(passed.id, await conversation('Lena')), await failedLaunch(passed.id, await conversation('Omar'))];
      await failedLaunch(looping.id, await conversation('Pia'));
      expect((await admin.patch(`/users/${ben}`, { active: false })).status).toBe(200);
      const all = async (id: string) => {
        const res = await sam.post(`/workflows/${id}/runs/rerun`, { from: 'failed_step' });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return RerunRunsResult.parse(res.body);
      };

      const ran = await all(passed.id);
      expect(ran).toMatchObject({ started: 2, remaining: 0, earlierVersion: 0 });
      expect(ran.reruns.map((r) => r.rerunOf).sort()).toEqual([p1.id, p2.id].sort());
      expect(ran).not.toHaveProperty('assigneeDeactivated');
      expect(await all(looping.id)).toEqual({ started: 0, reruns: [], remaining: 0, earlierVersion: 0, assigneeDeactivated: 1 });
      // From the start, both still meet the Assign first: refused whole, as a launch is.
      expect(refusal(await sam.post(`/workflows/${looping.id}/runs/rerun`, {}))).toMatchObject({ status: 409, code: 'assignee_deactivated' });
    });
  });

  describe('a run whose conversation is closed now', () => {
    it('a shortcut\'s: refused as a launch there is, and left out of the bulk form (counted apart); the others still run again', async () => {
      const wf = await createWorkflow(server, escalate());
      const [closed, open] = [await conversation('Lena'), await conversation('Omar')];
      const [f1, f2] = [await failedLaunch(wf.id, closed), await failedLaunch(wf.id, open)];
      expect((await admin.post(`/conversations/${closed}/close`, {})).status).toBe(200);
      const launch = refusal(await ava.post(`/shortcuts/${wf.id}/launch`, { conversationId: closed, values: {} }));
      expect(launch).toMatchObject({ status: 422, message: 'Shortcuts run in an open conversation; this one is closed' });
      const before = await lines(closed);

      expect(refusal(await sam.post(`/runs/${f1.id}/rerun`))).toEqual({
        status: 409, code: 'conversation_closed',
        message: `Run ${f1.id} cannot run again: shortcuts run in an open conversation, and its conversation is closed now: launch the shortcut again in the contact's open conversation`,
      });
      expect(await lines(closed)).toEqual(before);

      const bulk = RerunRunsResult.parse((await sam.post(`/workflows/${wf.id}/runs/rerun`)).body);
      expect(bulk).toEqual({ started: 1, reruns: [{ runId: expect.any(String), rerunOf: f2.id }], remaining: 0, closedConversation: 1 });
      expect(await lines(closed)).toEqual(before);
      expect((await runsOf(server, wf.id)).filter((r) => r.rerunOf).map((r) => r.rerunOf)).toEqual([f2.id]);
    });

    it('another trigger\'s: runs again there as before', async () => {
      const wf = await createWorkflow(server, { name: 'Welcome', trigger: { type: 'conversation_opened' }, steps: failing() });
      const conversationId = await conversation('Lena');
      const [failed] = await runsOf(server, wf.id);
      expect((await waitForRun(db(), failed!.id)).status).toBe('failed');
      expect((await admin.post(`/conversations/${conversationId}/close`, {})).status).toBe(200);
      const again = await sam.post(`/runs/${failed!.id}/rerun`);
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect(Run.parse(again.body)).toMatchObject({ rerunOf: failed!.id, conversationId });
    });
  });
}
