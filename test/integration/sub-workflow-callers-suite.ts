import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../lib/contracts/runs';
import { WebhookAck } from '../../lib/contracts/webhooks';
import { Workflow } from '../../lib/contracts/workflow';
import { WorkflowFile, WorkflowImportResult } from '../../lib/contracts/workflow-file';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { ok } from './api-fixtures';
import { waitForRun } from './webhooks/support';

/**
 * Registered by sub-workflow-callers.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A published
 * sub-workflow (trigger manual) that published workflows start with Trigger workflow: an edit
 * giving it another trigger is refused as unpublish, delete and an import's replace are (409
 * naming the callers), since every caller's run would fail at that step. And an import's dry run
 * says what the import will say about a replaced workflow starting a workflow of the same file.
 */
export function subWorkflowCallersSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl() });
    admin = server.api(server.adminToken);
  });
  afterEach(async () => {
    await server.close();
  });

  const tagging = (tag: string) => [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: [tag] } }];
  const create = async (body: object, publish = true) => Workflow.parse(ok(await admin.post('/workflows', { ...body, ...(publish ? { status: 'published' } : {}) }), 201));
  const get = async (id: string) => Workflow.parse(ok(await admin.get(`/workflows/${id}`), 200));
  const definition = (w: Workflow) => ({ name: w.name, trigger: w.trigger, steps: w.steps });
  const callStep = (workflowId: string) => [{ id: 'call', type: 'trigger_workflow', config: { workflowId } }];
  const hook = { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [] };

  /** Sub (manual) started by a published webhook workflow, and a contact for its deliveries. */
  const subAndCaller = async () => {
    ok(await admin.post('/contacts', { firstName: 'Ana', phone: '+14155550123' }), 201);
    const sub = await create({ name: 'Fulfil order (sub)', trigger: { type: 'manual' }, steps: tagging('fulfilled') });
    const caller = await create({ name: 'Order paid', trigger: hook, steps: callStep(sub.id) });
    return { sub, caller };
  };
  const callerRun = async (caller: Workflow) => {
    const url = caller.trigger.type === 'incoming_webhook' ? new URL(caller.trigger.url!).pathname : '';
    const res = await server.request('POST', url, { body: JSON.stringify({ phone: '+14155550123' }), headers: { 'content-type': 'application/json' } });
    return Run.parse(await waitForRun(server, WebhookAck.parse(ok(res, 202)).runIds[0]!));
  };

  it.each([
    ['another event', { type: 'conversation_opened' }],
    ['a webhook', hook],
  ])('refuses (409 workflow_in_use, naming the callers) an edit giving a published sub-workflow %s as trigger; its callers\' runs still start it', async (_, trigger) => {
    const { sub, caller } = await subAndCaller();
    const second = await create({ name: 'Refund', trigger: { type: 'conversation_closed' }, steps: callStep(sub.id) });

    const res = await admin.put(`/workflows/${sub.id}`, { ...definition(sub), trigger });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.code).toBe('workflow_in_use');
    expect(res.body.error.message).toBe('Cannot change the trigger of "Fulfil order (sub)": it is started by "Order paid", "Refund". Change or unpublish those workflows first.');
    const after = await get(sub.id);
    expect([after.trigger.type, after.status, after.version]).toEqual(['manual', 'published', 1]);
    const run = await callerRun(caller);
    expect(run.status, JSON.stringify(run)).toBe('completed');
    ok(await admin.del(`/workflows/${second.id}`), 204);

    // Any other edit stays live at once; once no published workflow starts it, the trigger may change.
    ok(await admin.put(`/workflows/${sub.id}`, { ...definition(sub), steps: tagging('shipped') }), 200);
    ok(await admin.post(`/workflows/${caller.id}/unpublish`), 200);
    const changed = Workflow.parse(ok(await admin.put(`/workflows/${sub.id}`, { ...definition(sub), trigger }), 200));
    expect([changed.trigger.type, changed.status, changed.version]).toEqual([trigger.type, 'published', 3]);
  });

  it('a draft sub-workflow, or one only drafts start, takes another trigger', async () => {
    const sub = await create({ name: 'Sub', trigger: { type: 'manual' }, steps: tagging('s') });
    await create({ name: 'Draft caller', trigger: { type: 'conversation_opened' }, steps: callStep(sub.id) }, false);
    ok(await admin.put(`/workflows/${sub.id}`, { ...definition(sub), trigger: { type: 'conversation_opened' } }), 200);
    expect((await get(sub.id)).trigger.type).toBe('conversation_opened');
  });

  // The file's caller replaces the one here (staying published); the sub-workflow it starts is
  // new from the same file (a draft once imported), or replaces this one's with another trigger.
  it.each([
    ['a new workflow of the same file', 'new', 'Publish the workflow to start first'],
    ['a workflow of the same file replaced with another trigger', 'retrigger', 'The workflow to start must have the "started by another workflow" (manual) trigger'],
  ] as const)('a dry run says what the import says of a replaced published workflow starting %s', async (_, how, why) => {
    const { sub, caller } = await subAndCaller();
    const file = WorkflowFile.parse(ok(await admin.get(`/workflows/export?ids=${caller.id},${sub.id}`), 200));
    const at = (id: string) => file.workflows.findIndex((w) => w.id === id);
    const replace: Record<string, string> = { [at(caller.id)]: caller.id };
    if (how === 'retrigger') {
      replace[at(sub.id)] = sub.id;
      const entry = file.workflows[at(sub.id)]!;
      file.workflows[at(sub.id)] = { ...entry, definition: { ...entry.definition, trigger: { type: 'conversation_opened' } } };
    }

    const plan = WorkflowImportResult.parse(ok(await admin.post('/workflows/import', { file, replace, dryRun: true }), 200));
    const res = await admin.post('/workflows/import', { file, replace });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    const refused = res.body.error.details.find((d: { path: string }) => d.path === `body.replace.${at(caller.id)}`);
    expect(refused.message).toContain(`Step 1 (“call”) › workflow: ${why}.`);
    const warned = `"Order paid" is published and stays published, but this version cannot go live, so the import would be refused: Step 1 (“call”) › workflow: ${why}. Fix that first, or replace it as a draft`;
    expect(plan.workflows[at(caller.id)]!.warnings).toContain(warned);
    expect(plan.workflows[at(caller.id)]!.replaceable![0]!.warnings).toContain(warned);
    // Nothing was imported: both as they were, and the caller still starts the sub-workflow.
    expect((await get(sub.id)).version).toBe(1);
    expect((await get(caller.id)).version).toBe(1);
    expect((await callerRun(caller)).status).toBe('completed');
  });
}
