import { describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { Run, RunPage } from '../../lib/contracts/runs';
import { RerunRunsResult } from '../../lib/contracts/run-rerun';
import type { StepInput } from '../../lib/contracts/steps';
import type { Api } from '../support/server';
import { nextWamid, whatsappPlainMessage } from '../fixtures/meta/payloads';
import { waitForRun } from '../support/builders';
import { eachRerunChannelWorld } from '../support/rerun-channel-world';
import type { SwitchableCrm } from '../support/switchable-crm';
import { conversationOf, type ChannelWorld } from './channels/support';
import { createWorkflow, shortcutWorkflow } from './engine-support';

/**
 * "Run again from the failed step" over real HTTP, with a customer on WhatsApp (the Graph
 * stand-in takes the messages): a shortcut tells the customer their order shipped, syncs it to a
 * CRM that is down once, then thanks them. Run again from the failed step must not tell them
 * twice (respond.io users' complaint about retries), and goes on where the run failed with its
 * variables (n8n's Retry execution). Registered by run-rerun-from.test.ts and .pg.test.ts.
 */
export function runRerunFromSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  let crm: SwitchableCrm;
  let sam: Api;
  // `/v2/crm` is the route an admin's fix of the step points at.
  eachRerunChannelWorld(databaseUrl, (world) => { ({ w, crm, sam } = world); }, ['/v2/crm']);

  const admin = () => w.server.api(w.server.adminToken);
  const db = () => w.server.app.services.db;
  const form = { fields: [{ label: 'Order', type: 'text' as const, variable: 'order', required: true }] };
  interface Texts { shipped?: string; crmPath?: string; thanks?: string }
  const steps = ({ shipped = 'Your order {{$trigger.order}} shipped', crmPath = '/crm', thanks = 'Thanks, {{$trigger.order}} is in our books' }: Texts = {}): StepInput[] => [
    { id: 'shipped', type: 'send_message', config: { text: shipped } },
    { id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}${crmPath}`, body: '{"order": "{{$trigger.order}}"}' } },
    { id: 'thanks', type: 'send_message', config: { text: thanks } },
  ] as StepInput[];
  const shipNotice = () => createWorkflow(w.server, shortcutWorkflow({ name: 'Ship notice', trigger: { type: 'shortcut', name: 'Ship notice', form }, steps: steps() }));
  /** The admin's edit (step 3's text unless said), saved as the published workflow's next version. */
  async function edit(id: string, texts: Texts = { thanks: 'Thank you!' }) {
    const res = await admin().put(`/workflows/${id}`, shortcutWorkflow({ name: 'Ship notice', trigger: { type: 'shortcut', name: 'Ship notice', form }, steps: steps(texts) }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  /** When the workflow's version was saved (as its version history has it). */
  async function savedAt(id: string, version: number) {
    const row = await db().selectFrom('workflow_versions').select('created_at').where('workflow_id', '=', id).where('version', '=', version).executeTakeFirstOrThrow();
    return new Date(row.created_at).toISOString();
  }
  /** A customer writes in on WhatsApp: their contact and conversation. */
  async function customer(waId: string) {
    await w.deliver(whatsappPlainMessage({ waId, text: 'Where is my order?', id: nextWamid() }));
    const { contact, conversation } = await conversationOf(w.server, `phone=%2B${waId}`);
    return { contactId: contact.id as string, conversationId: conversation.id as string };
  }
  /** The shortcut launched for an order: it tells the customer, then fails on the CRM (step 2). */
  async function failedAtCrm(workflowId: string, conversationId: string, order: string) {
    const res = await admin().post(`/shortcuts/${workflowId}/launch`, { conversationId, values: { order } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = await waitForRun(db(), res.body.runId);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('failed');
    expect(run.stepLog.map((s) => [s.stepId, s.status])).toEqual([['shipped', 'completed'], ['crm', 'failed']]);
    return run;
  }
  const toCustomer = () => w.graph.sent.map((s) => s.body.text?.body as string);
  const lines = async (conversationId: string) => ((await admin().get(`/conversations/${conversationId}`)).body.messages as { kind: string; text: string }[])
    .filter((m) => m.kind === 'activity').map((m) => m.text);
  const runsOf = async (workflowId: string) => RunPage.parse((await admin().get(`/workflows/${workflowId}/runs?limit=200`)).body).runs;
  const refusal = (res: { status: number; body: unknown }) => ({ status: res.status, ...ErrorBody.parse(res.body).error });
  const fromFailedStep = { from: 'failed_step' };

  describe('POST /runs/:id/rerun with from: failed_step', () => {
    it('goes on at the failed step with the failed run\'s variables: the customer is told once, steps 2 and 3 complete, and the history says from step 2', async () => {
      const wf = await shipNotice();
      const { contactId, conversationId } = await customer('14155550123');
      const failed = await failedAtCrm(wf.id, conversationId, 'A-17');
      expect(toCustomer()).toEqual(['Your order A-17 shipped']);
      // The history says where it stopped, and that it may go on from there.
      expect(Run.parse((await admin().get(`/runs/${failed.id}`)).body).failedStep).toEqual({ step: 2, stepId: 'crm', refused: null });
      crm.up = true;

      const res = await sam.post(`/runs/${failed.id}/rerun`, fromFailedStep);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const rerun = Run.parse(res.body);
      expect(rerun).toMatchObject({
        workflowId: wf.id, workflowVersion: 1, contactId, conversationId, status: 'queued', cursor: 1, stepLog: [],
        triggerEvent: failed.triggerEvent, variables: failed.variables, rerunOf: failed.id, rerunFromStep: 2,
      });

      const done = await waitForRun(db(), rerun.id);
      expect(done.status, JSON.stringify(done.stepLog)).toBe('completed');
      expect(done.stepLog.map((s) => [s.stepId, s.status])).toEqual([['crm', 'completed'], ['thanks', 'completed']]);
      expect(crm.bodies).toEqual(['{"order": "A-17"}', '{"order": "A-17"}']);
      // Step 1's message went out once in all; step 3's once.
      expect(toCustomer()).toEqual(['Your order A-17 shipped', 'Thanks, A-17 is in our books']);
      expect((await lines(conversationId)).filter((t) => t.includes('again'))).toEqual(['Sam Supervisor ran “Ship notice” again from step 2']);
      const listed = await runsOf(wf.id);
      expect(listed.map((r) => [r.id, r.rerunOf ?? null, r.rerunAs ?? null, r.rerunFromStep ?? null])).toEqual([[rerun.id, failed.id, null, 2], [failed.id, null, rerun.id, null]]);
      // Run again once, whichever way: the failed run is not run again from the start after it.
      expect(refusal(await sam.post(`/runs/${failed.id}/rerun`))).toMatchObject({ status: 409, code: 'already_rerun' });
    });

    it('with the failed step fixed and saved since (n8n\'s "Retry with currently saved workflow"), goes on there with the saved version: the customer is told once, the fixed step runs', async () => {
      const wf = await shipNotice();
      const { conversationId } = await customer('14155550127');
      const failed = await failedAtCrm(wf.id, conversationId, 'E-5');
      // The admin points the failing step at the right route, and rewords the step after it.
      await edit(wf.id, { crmPath: '/v2/crm', thanks: 'Thank you!' });
      const saved = await savedAt(wf.id, 2);
      expect(Run.parse((await admin().get(`/runs/${failed.id}`)).body).failedStep).toEqual({ step: 2, stepId: 'crm', refused: null, savedAt: saved, originalRefused: null });

      const res = await sam.post(`/runs/${failed.id}/rerun`, fromFailedStep);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const rerun = Run.parse(res.body);
      expect(rerun).toMatchObject({ workflowVersion: 2, cursor: 1, variables: failed.variables, rerunOf: failed.id, rerunFromStep: 2 });
      const done = await waitForRun(db(), rerun.id);
      expect(done.status, JSON.stringify(done.stepLog)).toBe('completed');
      expect(done.stepLog.map((s) => [s.stepId, s.status])).toEqual([['crm', 'completed'], ['thanks', 'completed']]);
      expect(crm.paths).toEqual(['/crm', '/v2/crm']);
      expect(toCustomer()).toEqual(['Your order E-5 shipped', 'Thank you!']);
      expect((await lines(conversationId)).filter((t) => t.includes('again'))).toEqual([`Sam Supervisor ran “Ship notice” again from step 2, with the workflow as saved at ${saved}`]);
    });

    it('is not refused for a step before it that a version saved by an older release stored without the settings added since (their defaults)', async () => {
      // Step 1 logs to the CRM's /log, which is up; the run fails at step 2 as before.
      const logged = [
        { id: 'log', type: 'http_request', config: { method: 'POST', url: `${crm.url}/v2/crm`, body: '{"log": "{{$trigger.order}}"}' } },
        ...steps().slice(1),
      ] as StepInput[];
      const body = (thanks: string) => shortcutWorkflow({ name: 'Ship notice', trigger: { type: 'shortcut', name: 'Ship notice', form }, steps: [...logged.slice(0, 2), { ...logged[2]!, config: { text: thanks } }] as StepInput[] });
      const wf = await createWorkflow(w.server, body('Thanks, {{$trigger.order}} is in our books'));
      const { conversationId } = await customer('14155550128');
      const res0 = await admin().post(`/shortcuts/${wf.id}/launch`, { conversationId, values: { order: 'F-6' } });
      const failed = await waitForRun(db(), res0.body.runId);
      expect(failed.stepLog.map((s) => [s.stepId, s.status])).toEqual([['log', 'completed'], ['crm', 'failed']]);
      // Version 1 as a release before the HTTP step's timeout and response mappings stored it.
      const v1 = await db().selectFrom('workflow_versions').select('definition').where('workflow_id', '=', wf.id).where('version', '=', 1).executeTakeFirstOrThrow();
      const def = JSON.parse(v1.definition) as { steps: { config: Record<string, unknown> }[] };
      delete def.steps[0]!.config.timeoutMs;
      delete def.steps[0]!.config.responseMappings;
      await db().updateTable('workflow_versions').set({ definition: JSON.stringify(def) }).where('workflow_id', '=', wf.id).where('version', '=', 1).execute();
      const saved = await admin().put(`/workflows/${wf.id}`, body('Thank you!'));
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      crm.up = true;

      expect(Run.parse((await admin().get(`/runs/${failed.id}`)).body).failedStep).toMatchObject({ step: 2, refused: null });
      const res = await sam.post(`/runs/${failed.id}/rerun`, fromFailedStep);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect((await waitForRun(db(), res.body.id)).stepLog.map((s) => [s.stepId, s.status])).toEqual([['crm', 'completed'], ['thanks', 'completed']]);
      expect(toCustomer()).toEqual(['Thank you!']);
    });

    it('is refused with a 409 naming the step once a step before the failed one changed since the run, which still runs again from the start', async () => {
      const wf = await shipNotice();
      const { conversationId } = await customer('14155550124');
      const failed = await failedAtCrm(wf.id, conversationId, 'B-2');
      await edit(wf.id, { shipped: 'Your order {{$trigger.order}} is on its way', thanks: 'Thank you!' });
      crm.up = true;

      const changed = 'workflow “Ship notice” was changed before its failed step since it ran (it ran version 1; version 2 is published now): step 1 (“shipped”) was edited. Run it again from the start, or from the failed step with the original workflow (version 1)';
      expect(Run.parse((await admin().get(`/runs/${failed.id}`)).body).failedStep).toEqual({ step: 2, stepId: 'crm', refused: changed, originalRefused: null });
      expect(refusal(await sam.post(`/runs/${failed.id}/rerun`, fromFailedStep))).toEqual({
        status: 409, code: 'workflow_changed', message: `Run ${failed.id} cannot run again from its failed step: ${changed}`,
      });
      expect(await runsOf(wf.id)).toHaveLength(1);

      const again = await sam.post(`/runs/${failed.id}/rerun`, { from: 'start' });
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      const done = await waitForRun(db(), again.body.id);
      expect(done).toMatchObject({ status: 'completed', workflowVersion: 2 });
      expect(Run.parse(again.body)).not.toHaveProperty('rerunFromStep');
      // From the start: the customer is told again, as the confirmation warns.
      expect(toCustomer()).toEqual(['Your order B-2 shipped', 'Your order B-2 is on its way', 'Thank you!']);
    });

    it('refuses a `from` it does not know, and a run that did not fail, with a clear 4xx', async () => {
      const wf = await shipNotice();
      const { conversationId } = await customer('14155550125');
      crm.up = true;
      const ok = await admin().post(`/shortcuts/${wf.id}/launch`, { conversationId, values: { order: 'C-3' } });
      const completed = await waitForRun(db(), ok.body.runId);
      expect(completed.status).toBe('completed');
      const bad = await sam.post(`/runs/${completed.id}/rerun`, { from: 'middle' });
      expect(bad.status).toBe(422);
      expect(JSON.stringify(bad.body)).toContain('Give `from` as \\"start\\" (step 1, the default) or \\"failed_step\\"');
      expect(refusal(await sam.post(`/runs/${completed.id}/rerun`, fromFailedStep))).toMatchObject({ status: 409, code: 'not_failed' });
    });

    it('with an Idempotency-Key, a repeat answers the rerun it started and sends nothing more; the key with the other `from` is refused', async () => {
      const wf = await shipNotice();
      const { conversationId } = await customer('14155550126');
      const failed = await failedAtCrm(wf.id, conversationId, 'D-4');
      crm.up = true;
      const key = { headers: { 'idempotency-key': 'resume-1' } };

      const burst = await Promise.all(Array.from({ length: 4 }, () => sam.post(`/runs/${failed.id}/rerun`, fromFailedStep, key)));
      expect(burst.map((r) => r.status), JSON.stringify(burst.map((r) => r.body))).toEqual([201, 201, 201, 201]);
      expect(new Set(burst.map((r) => r.body.id)).size).toBe(1);
      const repeat = await sam.post(`/runs/${failed.id}/rerun`, fromFailedStep, key);
      expect(repeat.status).toBe(201);
      expect(repeat.headers.get('x-duplicate-delivery')).toBe('true');
      expect(Run.parse(repeat.body)).toMatchObject({ id: burst[0]!.body.id, rerunFromStep: 2 });
      expect(refusal(await sam.post(`/runs/${failed.id}/rerun`, { from: 'start' }, key))).toMatchObject({ status: 409, code: 'idempotency_key_reused' });

      expect((await waitForRun(db(), repeat.body.id)).status).toBe('completed');
      expect(toCustomer()).toEqual(['Your order D-4 shipped', 'Thanks, D-4 is in our books']);
      expect((await runsOf(wf.id)).filter((r) => r.rerunOf)).toHaveLength(1);
    });
  });

  describe('POST /workflows/:id/runs/rerun with from: failed_step', () => {
    it('runs again the failures whose steps before the failed one the saved version keeps, counts the others apart, and tells no customer twice', async () => {
      const wf = await shipNotice();
      const [ana, bob, cleo] = [await customer('14155550131'), await customer('14155550132'), await customer('14155550133')];
      const old = await failedAtCrm(wf.id, ana.conversationId, 'A-1');
      await edit(wf.id, { shipped: 'Your order {{$trigger.order}} is on its way' });
      const bobs = await failedAtCrm(wf.id, bob.conversationId, 'B-1');
      // Version 3 changes only the step after the failed one: version 2's failure goes on with it; version 1's does not.
      await edit(wf.id, { shipped: 'Your order {{$trigger.order}} is on its way', thanks: 'Thank you!' });
      const failed = [bobs, await failedAtCrm(wf.id, cleo.conversationId, 'C-1')];
      crm.up = true;
      const rerun = (body: unknown) => sam.post(`/workflows/${wf.id}/runs/rerun`, body);

      const first = RerunRunsResult.parse((await rerun({ ...fromFailedStep, limit: 1 })).body);
      expect(first).toMatchObject({ started: 1, remaining: 1, earlierVersion: 1, reruns: [{ rerunOf: failed[0]!.id }] });
      const second = RerunRunsResult.parse((await rerun(fromFailedStep)).body);
      expect(second).toMatchObject({ started: 1, remaining: 0, earlierVersion: 1, reruns: [{ rerunOf: failed[1]!.id }] });
      for (const r of [...first.reruns, ...second.reruns]) {
        const done = await waitForRun(db(), r.runId);
        expect(done.stepLog.map((s) => [s.stepId, s.status])).toEqual([['crm', 'completed'], ['thanks', 'completed']]);
        expect(Run.parse((await admin().get(`/runs/${r.runId}`)).body)).toMatchObject({ rerunOf: r.rerunOf, rerunFromStep: 2, workflowVersion: 3 });
      }
      expect(RerunRunsResult.parse((await rerun(fromFailedStep)).body)).toEqual({ started: 0, reruns: [], remaining: 0, earlierVersion: 1 });
      // Version 1's failure (its step 1 was changed since) runs again from the start only.
      const fromStart = RerunRunsResult.parse((await rerun({})).body);
      expect(fromStart).toMatchObject({ started: 1, remaining: 0, reruns: [{ rerunOf: old.id }] });
      expect((await waitForRun(db(), fromStart.reruns[0]!.runId)).status).toBe('completed');
      expect(toCustomer().filter((t) => t.startsWith('Your order')).sort()).toEqual(['Your order A-1 is on its way', 'Your order A-1 shipped', 'Your order B-1 is on its way', 'Your order C-1 is on its way']);
      expect(toCustomer().filter((t) => t === 'Thank you!')).toHaveLength(3);
      expect(refusal(await rerun({ from: 'later' }))).toMatchObject({ status: 422 });
    });
  });
}
