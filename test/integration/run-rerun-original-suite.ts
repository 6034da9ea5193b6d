import { describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { Run } from '../../lib/contracts/runs';
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
 * n8n's two retries of a failed execution over real HTTP, with a customer on WhatsApp (the Graph
 * stand-in takes the messages): "Retry with currently saved workflow" (`workflow: saved`, the
 * default) and "Retry with original workflow" (`workflow: original`): from the failed step with
 * the version the failed run ran, whatever the admin saved since, so a change before the failed
 * step no longer forces a rerun from the start (the customer told twice). The run history links a
 * rerun to its failed run both ways and says which version each ran. Registered by
 * run-rerun-original.test.ts and .pg.test.ts.
 */
export function runRerunOriginalSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  let crm: SwitchableCrm;
  let sam: Api;
  eachRerunChannelWorld(databaseUrl, (world) => { ({ w, crm, sam } = world); });

  const admin = () => w.server.api(w.server.adminToken);
  const db = () => w.server.app.services.db;
  const form = { fields: [{ label: 'Order', type: 'text' as const, variable: 'order', required: true }] };
  const steps = (shipped: string): StepInput[] => [
    { id: 'shipped', type: 'send_message', config: { text: shipped } },
    { id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm`, body: '{"order": "{{$trigger.order}}"}' } },
    { id: 'thanks', type: 'send_message', config: { text: 'Thanks, {{$trigger.order}} is in our books' } },
  ] as StepInput[];
  const notice = (shipped: string) => shortcutWorkflow({ name: 'Ship notice', trigger: { type: 'shortcut', name: 'Ship notice', form }, steps: steps(shipped) });
  const V1 = 'Your order {{$trigger.order}} shipped';
  const V2 = 'Your order {{$trigger.order}} is on its way';
  /** The admin rewords step 1, before the step that fails: the saved workflow can no longer go on from step 2. */
  async function rewordStep1(id: string) {
    const res = await admin().put(`/workflows/${id}`, notice(V2));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  async function customer(waId: string) {
    await w.deliver(whatsappPlainMessage({ waId, text: 'Where is my order?', id: nextWamid() }));
    return (await conversationOf(w.server, `phone=%2B${waId}`)).conversation.id as string;
  }
  async function failedAtCrm(workflowId: string, conversationId: string, order: string) {
    const res = await admin().post(`/shortcuts/${workflowId}/launch`, { conversationId, values: { order } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = await waitForRun(db(), res.body.runId);
    expect(run.stepLog.map((s) => [s.stepId, s.status])).toEqual([['shipped', 'completed'], ['crm', 'failed']]);
    return run;
  }
  const toCustomer = () => w.graph.sent.map((s) => s.body.text?.body as string);
  const lines = async (conversationId: string) => ((await admin().get(`/conversations/${conversationId}`)).body.messages as { kind: string; text: string }[])
    .filter((m) => m.kind === 'activity' && m.text.includes('again')).map((m) => m.text);
  const history = async (id: string) => Run.parse((await admin().get(`/runs/${id}`)).body);
  const refusal = (res: { status: number; body: unknown }) => ({ status: res.status, ...ErrorBody.parse(res.body).error });
  const original = { from: 'failed_step', workflow: 'original' };

  describe('POST /runs/:id/rerun with workflow: original', () => {
    it('goes on at the failed step with the version the run ran after a step before it changed: the customer is told once, in the words they were told', async () => {
      const wf = await createWorkflow(w.server, notice(V1));
      const conversationId = await customer('14155550141');
      const failed = await failedAtCrm(wf.id, conversationId, 'A-17');
      await rewordStep1(wf.id);
      crm.up = true;

      // The history offers it beside the saved workflow's refusal, which now names it too.
      expect((await history(failed.id)).failedStep).toEqual({
        step: 2, stepId: 'crm', originalRefused: null,
        refused: 'workflow “Ship notice” was changed before its failed step since it ran (it ran version 1; version 2 is published now): step 1 (“shipped”) was edited. Run it again from the start, or from the failed step with the original workflow (version 1)',
      });
      const res = await sam.post(`/runs/${failed.id}/rerun`, original);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(Run.parse(res.body)).toMatchObject({ workflowVersion: 1, cursor: 1, variables: failed.variables, rerunOf: failed.id, rerunFromStep: 2, rerunOfVersion: 1 });
      const done = await waitForRun(db(), res.body.id);
      expect(done.status, JSON.stringify(done.stepLog)).toBe('completed');
      expect(done.stepLog.map((s) => [s.stepId, s.status])).toEqual([['crm', 'completed'], ['thanks', 'completed']]);
      expect(toCustomer()).toEqual(['Your order A-17 shipped', 'Thanks, A-17 is in our books']);
      expect(await lines(conversationId)).toEqual(['Sam Supervisor ran “Ship notice” again from step 2, with the workflow as it was when that run started (version 1)']);
      // Linked both ways: the failed run names its rerun, the rerun the failed run and the version it ran.
      expect((await history(failed.id)).rerunAs).toBe(res.body.id);
      expect(await history(res.body.id)).toMatchObject({ rerunOf: failed.id, rerunOfVersion: 1, workflowVersion: 1, rerunBy: { name: 'Sam Supervisor' } });
    });

    it('says which version a rerun with the saved workflow ran beside the one its failed run ran', async () => {
      const wf = await createWorkflow(w.server, notice(V1));
      const conversationId = await customer('14155550142');
      const failed = await failedAtCrm(wf.id, conversationId, 'B-2');
      // Saved again unchanged before the failed step: the saved workflow may go on from there too.
      const res0 = await admin().put(`/workflows/${wf.id}`, notice(V1));
      expect(res0.status).toBe(200);
      crm.up = true;
      expect((await history(failed.id)).failedStep).toMatchObject({ refused: null, originalRefused: null });
      const res = await sam.post(`/runs/${failed.id}/rerun`, { from: 'failed_step', workflow: 'saved' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(await history(res.body.id)).toMatchObject({ rerunOf: failed.id, rerunOfVersion: 1, workflowVersion: 2 });
    });

    it('refuses `workflow: original` from the start, and a `workflow` it does not know, with a 422 saying what to send; a key used for the saved workflow is not reused for the original', async () => {
      const wf = await createWorkflow(w.server, notice(V1));
      const conversationId = await customer('14155550143');
      const failed = await failedAtCrm(wf.id, conversationId, 'C-3');
      await rewordStep1(wf.id);
      const fromStart = await sam.post(`/runs/${failed.id}/rerun`, { workflow: 'original' });
      expect(fromStart.status).toBe(422);
      expect(JSON.stringify(fromStart.body)).toContain('runs again from the failed step only: send `from: \\"failed_step\\"` with it');
      const unknown = await sam.post(`/runs/${failed.id}/rerun`, { from: 'failed_step', workflow: 'newest' });
      expect(unknown.status).toBe(422);
      expect(JSON.stringify(unknown.body)).toContain('Give `workflow` as \\"saved\\"');
      const bulk = await sam.post(`/workflows/${wf.id}/runs/rerun`, { workflow: 'original' });
      expect(bulk.status).toBe(422);
      const key = { headers: { 'idempotency-key': 'retry-7' } };
      expect(refusal(await sam.post(`/runs/${failed.id}/rerun`, { from: 'failed_step' }, key))).toMatchObject({ status: 409, code: 'workflow_changed' });
      crm.up = true;
      const res = await sam.post(`/runs/${failed.id}/rerun`, original, key);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(refusal(await sam.post(`/runs/${failed.id}/rerun`, { from: 'failed_step' }, key))).toMatchObject({ status: 409, code: 'idempotency_key_reused' });
      expect((await waitForRun(db(), res.body.id)).status).toBe('completed');
    });
  });

  describe('POST /workflows/:id/runs/rerun with workflow: original', () => {
    it('runs every failure again from its failed step with the version it ran: no customer is told twice, none in the other version\'s words', async () => {
      const wf = await createWorkflow(w.server, notice(V1));
      const [ana, bob] = [await customer('14155550151'), await customer('14155550152')];
      const old = await failedAtCrm(wf.id, ana, 'A-1');
      await rewordStep1(wf.id);
      const newer = await failedAtCrm(wf.id, bob, 'B-1');
      crm.up = true;

      const saved = RerunRunsResult.parse((await sam.post(`/workflows/${wf.id}/runs/rerun`, { from: 'failed_step', limit: 1 })).body);
      expect(saved).toMatchObject({ started: 1, earlierVersion: 1, reruns: [{ rerunOf: newer.id }] });
      const res = await sam.post(`/workflows/${wf.id}/runs/rerun`, original);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const result = RerunRunsResult.parse(res.body);
      expect(result).toMatchObject({ started: 1, remaining: 0, reruns: [{ rerunOf: old.id }] });
      expect(result.earlierVersion ?? 0).toBe(0);
      for (const r of [...saved.reruns, ...result.reruns]) expect((await waitForRun(db(), r.runId)).status).toBe('completed');
      expect(await history(result.reruns[0]!.runId)).toMatchObject({ workflowVersion: 1, rerunOfVersion: 1, rerunFromStep: 2 });
      expect(toCustomer().sort()).toEqual(['Thanks, A-1 is in our books', 'Thanks, B-1 is in our books', 'Your order A-1 shipped', 'Your order B-1 is on its way']);
      expect(await lines(ana)).toEqual(['Sam Supervisor ran “Ship notice” again from step 2, with the workflow as it was when that run started (version 1)']);
    });
  });
}
