import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../lib/contracts/runs';
import { WebhookAck } from '../../lib/contracts/webhooks';
import { Workflow } from '../../lib/contracts/workflow';
import { WorkflowFile, WorkflowImportResult } from '../../lib/contracts/workflow-file';
import { generateSigningSecret, signHeaders } from '../../server/signing/standard-webhooks';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { waitForRun } from './webhooks/support';

/**
 * Registered by workflow-import-replace.test.ts (SQLite) and .pg.test.ts (PostgreSQL). Importing
 * the newer version of a workflow that is here already offers to replace it (n8n: a workflow of
 * the same id): it keeps its id, webhook URL, signing secret and runs, and the file's version
 * becomes its draft. Before, every import made another workflow with another URL, and the
 * senders pointing at the old one kept running the old version.
 */
export function workflowImportReplaceSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let other: TestServer | undefined;
  let admin: Api;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl() });
    admin = server.api(server.adminToken);
  });
  afterEach(async () => {
    await server.close();
    await other?.close();
    other = undefined;
  });

  const ok = (res: { status: number; body: unknown }, status: number) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const tagging = (tag: string) => [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: [tag] } }];
  const webhook = (secret?: string) => ({ type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [], ...(secret ? { signingSecret: secret } : {}) });
  const create = async (body: object, publish = true) => {
    const made = Workflow.parse(ok(await admin.post('/workflows', { ...body, ...(publish ? { status: 'published' } : {}) }), 201));
    return made;
  };
  const exported = async (...ids: string[]) => WorkflowFile.parse(ok(await admin.get(`/workflows/export?ids=${ids.join(',')}`), 200));
  const importFile = async (body: object, status = 201) => WorkflowImportResult.parse(ok(await admin.post('/workflows/import', body), status));
  const workflows = async () => (ok(await admin.get('/workflows'), 200) as { workflows: Workflow[] }).workflows;

  const body = JSON.stringify({ phone: '+14155550123' });
  let sent = 0;
  const deliver = (url: string, secret: string) => server.request('POST', new URL(url).pathname, {
    body, headers: { 'content-type': 'application/json', ...signHeaders(secret, { id: `msg_${++sent}`, timestamp: new Date(), body }) },
  });
  const runOf = async (url: string, secret: string) => {
    const res = await deliver(url, secret);
    const ack = WebhookAck.parse(ok(res, 202));
    expect(ack.runIds).toHaveLength(1);
    return Run.parse(await waitForRun(server, ack.runIds[0]!));
  };
  const tagsOf = async (phone: string) => (ok(await admin.get(`/contacts?phone=${encodeURIComponent(phone)}`), 200) as { contacts: { tags: string[] }[] }).contacts[0]!.tags;

  it('replaces a published webhook workflow with the file\'s version: same id, URL, secret and runs; a draft until published, then deliveries run the new version', async () => {
    ok(await admin.post('/contacts', { firstName: 'Ana', phone: '+14155550123' }), 201);
    const secret = generateSigningSecret();
    const live = await create({ name: 'Order paid', trigger: webhook(secret), steps: tagging('v1') });
    const url = live.trigger.type === 'incoming_webhook' ? live.trigger.url! : '';
    const first = await runOf(url, secret);
    expect(first.workflowVersion).toBe(1);

    // The newer version, as another server (or an n8n user's text editor) made it.
    const file = await exported(live.id);
    file.workflows[0]!.definition.steps = tagging('v2') as typeof file.workflows[0]['definition']['steps'];
    const plan = await importFile({ file, dryRun: true }, 200);
    expect(plan.workflows[0]!.replaceable).toEqual([{
      id: live.id, name: 'Order paid', detail: `published, version 1, ${live.id}`, status: 'published', how: 'id',
      warnings: ['"Order paid" is published: replacing it makes it a draft holding this version, and nothing starts it (its webhook URL refuses deliveries) until you publish it again'],
    }]);
    // As a new one, as before: another name, URL and a new signing secret.
    expect(plan.workflows[0]).toMatchObject({ importedAs: 'Order paid (2)' });
    expect(plan.workflows[0]!.warnings[0]).toBe('A workflow named "Order paid" exists here: this one is imported as "Order paid (2)" (rename or delete either afterwards)');

    const done = await importFile({ file, replace: { 0: live.id } });
    expect(done.created).toEqual([]);
    expect(done.replaced).toEqual([{ id: live.id, name: 'Order paid', unpublished: true }]);
    expect(done.workflows[0]!.replaces).toEqual({ id: live.id, name: 'Order paid', detail: `published, version 1, ${live.id}` });
    expect((await workflows()).map((w) => [w.id, w.name, w.status, w.version])).toEqual([[live.id, 'Order paid', 'draft', 2]]);
    const after = Workflow.parse(ok(await admin.get(`/workflows/${live.id}`), 200));
    expect(after.trigger).toMatchObject({ url, signingSecret: secret });
    expect(after.steps).toEqual(tagging('v2'));

    // Not live until published: the sender is refused (and retries), the old version does not run.
    expect((await deliver(url, secret)).status).toBe(404);
    ok(await admin.post(`/workflows/${live.id}/publish`), 200);
    const second = await runOf(url, secret);
    expect(second.workflowVersion).toBe(2);
    expect(await tagsOf('+14155550123')).toEqual(['v1', 'v2']);
    const runs = ok(await admin.get(`/workflows/${live.id}/runs`), 200) as { runs: { id: string }[] };
    expect(runs.runs.map((r) => r.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('offers the workflow of the same name for a file from elsewhere; without a choice a new one is made, as before', async () => {
    const draft = await create({ name: 'Welcome', trigger: { type: 'conversation_opened' }, steps: tagging('old') }, false);
    const file = { ...(await exported(draft.id)) };
    file.workflows = [{ ...file.workflows[0]!, id: 'wf_from_staging' }];
    const plan = await importFile({ file, dryRun: true }, 200);
    expect(plan.workflows[0]!.replaceable).toEqual([{ id: draft.id, name: 'Welcome', detail: `draft, version 1, ${draft.id}`, status: 'draft', how: 'name', warnings: [] }]);

    const asNew = await importFile({ file });
    expect(asNew.created).toEqual([{ id: expect.not.stringMatching(draft.id), name: 'Welcome (2)' }]);
    expect(asNew.replaced).toEqual([]);
    const replaced = await importFile({ file: { ...file, workflows: [{ ...file.workflows[0]!, definition: { ...file.workflows[0]!.definition, steps: tagging('new') } }] }, replace: { 0: draft.id } });
    expect(replaced.replaced).toEqual([{ id: draft.id, name: 'Welcome', unpublished: false }]);
    expect(Object.fromEntries((await workflows()).map((w) => [w.name, [w.status, w.version]]))).toEqual({ 'Welcome': ['draft', 2], 'Welcome (2)': ['draft', 1] });
    expect(Workflow.parse(ok(await admin.get(`/workflows/${draft.id}`), 200)).steps).toEqual(tagging('new'));
  });

  it('refuses (422, nothing saved) a replace of a workflow deleted meanwhile, of another workspace\'s, of a place not in the file, or of one twice', async () => {
    const a = await create({ name: 'A', trigger: { type: 'manual' }, steps: tagging('a') }, false);
    const b = await create({ name: 'B', trigger: { type: 'manual' }, steps: tagging('b') }, false);
    const file = await exported(a.id, b.id);
    const at = (name: string) => file.workflows.findIndex((w) => w.definition.name === name);
    other = await startTestServer({ databaseUrl: databaseUrl() });
    const theirs = Workflow.parse(ok(await other.api(other.adminToken).post('/workflows', { name: 'A', trigger: { type: 'manual' }, steps: [] }), 201));
    ok(await admin.del(`/workflows/${b.id}`), 204);

    const refused = async (replace: Record<string, string>, path: string, message: string) => {
      const res = await admin.post('/workflows/import', { file, replace });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.details).toEqual([{ path, message }]);
    };
    await refused({ [at('B')]: b.id }, `body.replace.${at('B')}`, `There is no workflow ${b.id} here (deleted since, or another server's): review the import again`);
    await refused({ [at('A')]: theirs.id }, `body.replace.${at('A')}`, `There is no workflow ${theirs.id} here (deleted since, or another server's): review the import again`);
    await refused({ 2: a.id }, 'body.replace.2', 'The file holds 2 workflows: there is no workflow 2 in it');
    await refused({ 0: a.id, 1: a.id }, 'body.replace.1', 'Workflow 0 of the file replaces "A" already: a workflow is replaced by one only');
    const bad = await admin.post('/workflows/import', { file, replace: { first: a.id } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toMatch(/^body\.replace/);
    expect((await workflows()).map((w) => [w.name, w.version])).toEqual([['A', 1]]);
    expect((await other.api(other.adminToken).get(`/workflows/${theirs.id}`)).body.version).toBe(1);
  });

  it('a sub-workflow that published workflows start is not made a draft under them (409); replaced together with its caller, both are', async () => {
    const sub = await create({ name: 'Sub', trigger: { type: 'manual' }, steps: tagging('sub') });
    const caller = await create({ name: 'Caller', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] }, steps: [{ id: 'call', type: 'trigger_workflow', config: { workflowId: sub.id } }] });
    const file = await exported(sub.id, caller.id);
    const at = (name: string) => String(file.workflows.findIndex((w) => w.definition.name === name));

    const alone = await admin.post('/workflows/import', { file: { ...file, workflows: file.workflows.filter((w) => w.id === sub.id) }, replace: { 0: sub.id } });
    expect(alone.status, JSON.stringify(alone.body)).toBe(409);
    expect(alone.body.error.message).toBe('Cannot replace (which makes it a draft) "Sub": it is started by "Caller". Change or unpublish that workflow first.');
    expect((await workflows()).map((w) => [w.name, w.status, w.version]).sort()).toEqual([['Caller', 'published', 1], ['Sub', 'published', 1]]);

    const both = await importFile({ file, replace: { [at('Sub')]: sub.id, [at('Caller')]: caller.id } });
    expect(both.replaced!.map((r) => [r.name, r.unpublished]).sort()).toEqual([['Caller', true], ['Sub', true]]);
    // The caller's step still starts the sub-workflow by its id here, which the replace kept.
    expect(Workflow.parse(ok(await admin.get(`/workflows/${caller.id}`), 200)).steps[0]).toMatchObject({ config: { workflowId: sub.id } });
    ok(await admin.post(`/workflows/${sub.id}/publish`), 200);
    ok(await admin.post(`/workflows/${caller.id}/publish`), 200);
  });
}
