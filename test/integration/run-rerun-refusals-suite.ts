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
