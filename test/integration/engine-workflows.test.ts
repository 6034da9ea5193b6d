import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { Workflow } from '../../lib/contracts/workflow';
import { WorkflowSummaryList } from '../../server/engine/workflows/queries';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, defineField, makeContact, openFor, parseRun, runsOf, shortcutWorkflow } from './engine-support';

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ workers: false }); });
afterEach(async () => { await server.close(); });

const admin = () => server.api(server.adminToken);

describe('Workflow API', () => {
  it('creates a draft, reads, lists and deletes it', async () => {
    const created = await admin().post('/workflows', shortcutWorkflow());
    expect(created.status).toBe(201);
    const wf = Workflow.parse(created.body);
    expect(wf).toMatchObject({ status: 'draft', version: 1, publishedAt: null });

    expect(Workflow.parse((await admin().get(`/workflows/${wf.id}`)).body)).toEqual(wf);
    const list = WorkflowSummaryList.parse((await admin().get('/workflows')).body);
    expect(list.workflows).toEqual([expect.objectContaining({ id: wf.id, triggerType: 'shortcut', status: 'draft', version: 1, lastRunAt: null })]);

    expect((await admin().del(`/workflows/${wf.id}`)).status).toBe(204);
    expect((await admin().get(`/workflows/${wf.id}`)).status).toBe(404);
    expect((await admin().del(`/workflows/${wf.id}`)).status).toBe(404);
  });

  it('gives an incoming webhook a secret URL under PUBLIC_URL, kept across edits', async () => {
    const body = {
      name: 'Order shipped',
      trigger: { type: 'incoming_webhook' as const, identifier: { type: 'phone' as const, jsonKey: '$.phone' }, url: 'https://evil.example/x' },
      steps: [{ id: 'note', type: 'add_comment' as const, config: { text: 'Shipped' } }],
    };
    const wf = await createWorkflow(server, body, false);
    const url = wf.trigger.type === 'incoming_webhook' ? wf.trigger.url : undefined;
    expect(url).toMatch(new RegExp(`^${server.url}/hooks/[A-Za-z0-9_-]{43}$`));
    // 256 random bits, stored sealed (the URL can be shown again) and found by its hash.
    const token = url!.split('/').pop()!;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const row = await server.app.services.db.selectFrom('workflows').select(['webhook_token', 'webhook_token_hash']).where('id', '=', wf.id).executeTakeFirstOrThrow();
    expect(row.webhook_token).not.toContain(token);
    expect(server.app.services.vault.open(row.webhook_token!)).toBe(token);
    const edited = Workflow.parse((await admin().put(`/workflows/${wf.id}`, { ...body, name: 'Renamed' })).body);
    expect(edited.trigger).toMatchObject({ url });
  });

  it('requires the admin role', async () => {
    const wf = await createWorkflow(server, shortcutWorkflow(), false);
    for (const role of ['agent', 'supervisor'] as const) {
      const { token } = await server.createUser(role);
      const api = server.api(token);
      expect((await api.get('/workflows')).status).toBe(403);
      expect((await api.post('/workflows', shortcutWorkflow())).status).toBe(403);
      expect((await api.post(`/workflows/${wf.id}/publish`)).status).toBe(403);
      expect((await api.del(`/workflows/${wf.id}`)).status).toBe(403);
    }
    expect((await server.api().get('/workflows')).status).toBe(401);
  });

  it('answers 422 with the path of a contract problem', async () => {
    const res = await admin().post('/workflows', shortcutWorkflow({ steps: Array.from({ length: 101 }, (_, i) => ({ id: `s${i}`, type: 'add_comment' as const, config: { text: 'x' } })) }));
    expect(res.status).toBe(422);
    expect(ErrorBody.parse(res.body).error.details).toEqual([expect.objectContaining({ path: 'body.steps' })]);
  });
});

describe('publishing', () => {
  it('lists every problem by path: structure and workspace', async () => {
    const notManual = await createWorkflow(server, shortcutWorkflow({ name: 'Other' }));
    const draftManual = await createWorkflow(server, { name: 'Manual draft', trigger: { type: 'manual' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }, false);
    const wf = await createWorkflow(server, {
      name: 'Broken',
      trigger: { type: 'mini_app', appId: 'app_missing', triggerKey: 'paid' },
      steps: [
        { id: 'jump', type: 'jump_to', config: { stepId: 'nowhere' } },
        { id: 'field', type: 'update_contact_field', config: { field: 'undefined_field', value: 'x' } },
        { id: 'assign', type: 'assign_to', config: { userId: 'usr_nobody' } },
        { id: 'call1', type: 'trigger_workflow', config: { workflowId: 'wf_missing' } },
        { id: 'call2', type: 'trigger_workflow', config: { workflowId: notManual.id } },
        { id: 'call3', type: 'trigger_workflow', config: { workflowId: draftManual.id } },
        { id: 'app', type: 'mini_app_action', config: { appId: 'app_missing', actionKey: 'ticket' } },
      ],
    }, false);
    const res = await admin().post(`/workflows/${wf.id}/publish`);
    expect(res.status).toBe(422);
    const details = ErrorBody.parse(res.body).error.details ?? [];
    expect(details.map((d) => d.path).sort()).toEqual([
      'steps.0.config.stepId',
      'steps.1.config.field',
      'steps.2.config.userId',
      'steps.3.config.workflowId',
      'steps.4.config.workflowId',
      'steps.5.config.workflowId',
      'steps.6.config.appId',
      'trigger.appId',
    ]);
    expect(Workflow.parse((await admin().get(`/workflows/${wf.id}`)).body).status).toBe('draft');
  });

  it('accepts references that exist: a published manual workflow, a defined field, a user, unassign', async () => {
    await defineField(server, 'order_id');
    const manual = await createWorkflow(server, { name: 'Callee', trigger: { type: 'manual' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] });
    const { user } = await server.createUser('agent');
    const wf = await createWorkflow(server, shortcutWorkflow({
      steps: [
        { id: 'field', type: 'update_contact_field', config: { field: 'order_id', value: '{{$trigger.launchedBy}}' } },
        { id: 'assign', type: 'assign_to', config: { userId: user.id } },
        { id: 'unassign', type: 'assign_to', config: { userId: 'unassign' } },
        { id: 'call', type: 'trigger_workflow', config: { workflowId: manual.id } },
      ],
    }));
    expect(wf.status).toBe('published');
    expect(wf.publishedAt).not.toBeNull();
  });

  it('keeps a manual workflow live while a published workflow starts it (409 names the caller)', async () => {
    const manual = await createWorkflow(server, { name: 'Callee', trigger: { type: 'manual' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] });
    const caller = await createWorkflow(server, shortcutWorkflow({ name: 'Caller', steps: [{ id: 'call', type: 'trigger_workflow', config: { workflowId: manual.id } }] }));
    for (const attempt of [() => admin().post(`/workflows/${manual.id}/unpublish`), () => admin().del(`/workflows/${manual.id}`)]) {
      const res = await attempt();
      expect(res.status).toBe(409);
      expect(ErrorBody.parse(res.body).error.message).toMatch(/started by "Caller"/);
    }
    expect((await admin().post(`/workflows/${caller.id}/unpublish`)).status).toBe(200);
    expect((await admin().post(`/workflows/${manual.id}/unpublish`)).status).toBe(200);
    expect((await admin().del(`/workflows/${manual.id}`)).status).toBe(204);
  });

  it('refuses ads missing from the catalog', async () => {
    const wf = await createWorkflow(server, { name: 'Ads', trigger: { type: 'click_to_chat_ads', adAccountId: 'acc', adIds: ['ad_unknown'] }, steps: [] }, false);
    const res = await admin().post(`/workflows/${wf.id}/publish`);
    expect(res.status).toBe(422);
    expect(ErrorBody.parse(res.body).error.details).toEqual([{ path: 'trigger.adIds.0', message: expect.stringMatching(/not in the ads catalog/) }]);
  });

  it('takes publish with an empty JSON body as no body', async () => {
    const wf = await createWorkflow(server, shortcutWorkflow(), false);
    const res = await server.request('POST', `/api/v1/workflows/${wf.id}/publish`, { token: server.adminToken, headers: { 'content-type': 'application/json' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const malformed = await server.request('PUT', `/api/v1/workflows/${wf.id}`, { token: server.adminToken, headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(malformed.status).toBe(400);
  });

  it('validates a create that publishes at once, and an edit of a published workflow', async () => {
    const bad = { ...shortcutWorkflow({ steps: [{ id: 'j', type: 'jump_to' as const, config: { stepId: 'nowhere' } }] }), status: 'published' as const };
    const created = await admin().post('/workflows', bad);
    expect(created.status).toBe(422);
    expect(ErrorBody.parse(created.body).error.details).toEqual([expect.objectContaining({ path: 'body.steps.0.config.stepId' })]);
    expect(WorkflowSummaryList.parse((await admin().get('/workflows')).body).workflows).toHaveLength(0);

    const wf = await createWorkflow(server, shortcutWorkflow());
    const edit = await admin().put(`/workflows/${wf.id}`, bad);
    expect(edit.status).toBe(422);
    expect(Workflow.parse((await admin().get(`/workflows/${wf.id}`)).body).version).toBe(1);
  });

  it('unpublish stops triggering; publish again resumes', async () => {
    const wf = await createWorkflow(server, { name: 'Opened', trigger: { type: 'conversation_opened' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] });
    expect(Workflow.parse((await admin().post(`/workflows/${wf.id}/unpublish`)).body).status).toBe('draft');
    const contact = await makeContact(server);
    await openFor(server, contact.id);
    expect(await runsOf(server, wf.id)).toHaveLength(0);
    await admin().post(`/workflows/${wf.id}/publish`);
    const other = await makeContact(server);
    await openFor(server, other.id);
    expect(await runsOf(server, wf.id)).toHaveLength(1);
  });
});

describe('versions and runs', () => {
  it('an edit bumps the version and stores it; a run keeps the version it started with', async () => {
    const wf = await createWorkflow(server, { name: 'Opened', trigger: { type: 'conversation_opened' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'v1' } }] });
    const first = await makeContact(server);
    await openFor(server, first.id);

    const edited = await admin().put(`/workflows/${wf.id}`, { name: 'Opened', trigger: { type: 'conversation_opened' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'v2' } }] });
    expect(edited.status).toBe(200);
    expect(Workflow.parse(edited.body)).toMatchObject({ version: 2, status: 'published' });
    const second = await makeContact(server);
    await openFor(server, second.id);

    const runs = await runsOf(server, wf.id);
    expect(runs.map((r) => [r.contactId, r.workflowVersion]).sort()).toEqual([[first.id, 1], [second.id, 2]].sort());
    const versions = await server.app.services.db.selectFrom('workflow_versions').select(['version', 'definition']).where('workflow_id', '=', wf.id).orderBy('version').execute();
    expect(versions.map((v) => [v.version, JSON.parse(v.definition).steps[0].config.text])).toEqual([[1, 'v1'], [2, 'v2']]);
  });

  it('GET /runs/:id parses into the Run contract; the list shows lastRunAt', async () => {
    const wf = await createWorkflow(server, { name: 'Opened', trigger: { type: 'conversation_opened' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] });
    const contact = await makeContact(server);
    const conversation = await openFor(server, contact.id);
    const [listed] = await runsOf(server, wf.id);
    const res = await admin().get(`/runs/${listed!.id}`);
    expect(res.status).toBe(200);
    expect(parseRun(res.body)).toMatchObject({ workflowId: wf.id, contactId: contact.id, conversationId: conversation.id, status: 'queued', triggerEvent: { type: 'conversation.opened' } });
    const list = WorkflowSummaryList.parse((await admin().get('/workflows')).body);
    expect(list.workflows[0]?.lastRunAt).toBe(listed!.createdAt);
    expect((await admin().get('/runs/run_nope')).status).toBe(404);
  });

  it('deleting a workflow cancels its queued runs and removes it from dispatch', async () => {
    const wf = await createWorkflow(server, { name: 'Opened', trigger: { type: 'conversation_opened' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] });
    const contact = await makeContact(server);
    await openFor(server, contact.id);
    const [run] = await runsOf(server, wf.id);
    await admin().del(`/workflows/${wf.id}`);
    expect(parseRun((await admin().get(`/runs/${run!.id}`)).body).status).toBe('cancelled');
    const index = await server.app.services.db.selectFrom('trigger_index').selectAll().execute();
    expect(index).toEqual([]);
  });
});
