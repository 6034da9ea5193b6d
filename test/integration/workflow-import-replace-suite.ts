import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../lib/contracts/runs';
import { WebhookAck } from '../../lib/contracts/webhooks';
import { Workflow } from '../../lib/contracts/workflow';
import { WorkflowFile, WorkflowImportResult } from '../../lib/contracts/workflow-file';
import { generateSigningSecret, signHeaders } from '../../server/signing/standard-webhooks';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { ok } from './api-fixtures';
import { waitForRun } from './webhooks/support';

/**
 * Registered by workflow-import-replace.test.ts (SQLite) and .pg.test.ts (PostgreSQL). Importing
 * the newer version of a workflow that is here already offers to replace it (n8n: a workflow of
 * the same id): it keeps its id, webhook URL, signing secret and runs, and the file's version
 * becomes its version: a published one stays published, live at once as an edit is (checked as
 * a publish; 422 otherwise), unless it is replaced as a draft. Before, every import made another
 * workflow with another URL, and then replacing made a published one a draft whose URL answered
 * 404 until someone published it again.
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

  const webhookWorkflow = async (steps: object[]) => {
    ok(await admin.post('/contacts', { firstName: 'Ana', phone: '+14155550123' }), 201);
    const secret = generateSigningSecret();
    const live = await create({ name: 'Order paid', trigger: webhook(secret), steps });
    return { live, secret, url: live.trigger.type === 'incoming_webhook' ? live.trigger.url! : '' };
  };
  const withSteps = (file: WorkflowFile, steps: object[]): WorkflowFile => ({ ...file, workflows: [{ ...file.workflows[0]!, definition: { ...file.workflows[0]!.definition, steps: steps as WorkflowFile['workflows'][0]['definition']['steps'] } }] });

  it('replaces a published webhook workflow with the file\'s version: same id, URL, secret and runs, still published, and the next delivery runs the new version', async () => {
    const { live, secret, url } = await webhookWorkflow(tagging('v1'));
    const first = await runOf(url, secret);
    expect(first.workflowVersion).toBe(1);

    // The newer version, as another server (or an n8n user's text editor) made it.
    const file = withSteps(await exported(live.id), tagging('v2'));
    const plan = await importFile({ file, dryRun: true }, 200);
    expect(plan.workflows[0]!.replaceable).toEqual([{
      id: live.id, name: 'Order paid', detail: `published, version 1, ${live.id}`, status: 'published', how: 'id',
      warnings: ['"Order paid" is published and stays published: this version is live once imported (its webhook URL runs it); runs already started finish on the version they began with'],
    }]);
    // As a new one, as before: another name, URL and a new signing secret.
    expect(plan.workflows[0]).toMatchObject({ importedAs: 'Order paid (2)' });
    expect(plan.workflows[0]!.warnings[0]).toBe('A workflow named "Order paid" exists here: this one is imported as "Order paid (2)" (rename or delete either afterwards)');

    const done = await importFile({ file, replace: { 0: live.id } });
    expect(done.created).toEqual([]);
    expect(done.replaced).toEqual([{ id: live.id, name: 'Order paid', status: 'published', unpublished: false }]);
    expect(done.workflows[0]!.replaces).toEqual({ id: live.id, name: 'Order paid', detail: `published, version 1, ${live.id}` });
    expect((await workflows()).map((w) => [w.id, w.name, w.status, w.version])).toEqual([[live.id, 'Order paid', 'published', 2]]);
    const after = Workflow.parse(ok(await admin.get(`/workflows/${live.id}`), 200));
    expect(after.trigger).toMatchObject({ url, signingSecret: secret });
    expect(after.steps).toEqual(tagging('v2'));
    expect(after.publishedAt).toBe(live.publishedAt);

    // Right away, the shop's next delivery is taken (202) and runs the file's version.
    const second = await runOf(url, secret);
    expect(second.workflowVersion).toBe(2);
    expect(await tagsOf('+14155550123')).toEqual(['v1', 'v2']);
    const runs = ok(await admin.get(`/workflows/${live.id}/runs`), 200) as { runs: { id: string }[] };
    expect(runs.runs.map((r) => r.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('replacing as a draft (replaceAs: draft) stops the URL (404) until the admin publishes', async () => {
    const { live, secret, url } = await webhookWorkflow(tagging('v1'));
    const file = withSteps(await exported(live.id), tagging('v2'));
    const plan = await importFile({ file, dryRun: true, replaceAs: 'draft' }, 200);
    expect(plan.workflows[0]!.replaceable![0]!.warnings).toEqual(['"Order paid" is published: replacing it as a draft leaves nothing starting it (its webhook URL refuses deliveries) until you publish it again']);

    const done = await importFile({ file, replace: { 0: live.id }, replaceAs: 'draft' });
    expect(done.replaced).toEqual([{ id: live.id, name: 'Order paid', status: 'draft', unpublished: true }]);
    expect((await workflows()).map((w) => [w.status, w.version])).toEqual([['draft', 2]]);
    // Not live until published: the sender is refused (and retries), the old version does not run.
    expect((await deliver(url, secret)).status).toBe(404);
    ok(await admin.post(`/workflows/${live.id}/publish`), 200);
    expect((await runOf(url, secret)).workflowVersion).toBe(2);
    expect(await tagsOf('+14155550123')).toEqual(['v2']);
  });

  it('refuses (422 at body.replace.N, nothing saved) a published workflow\'s version that cannot go live; the URL keeps running the old one', async () => {
    const { live, secret, url } = await webhookWorkflow(tagging('v1'));
    const loyalty = [{ id: 'points', type: 'update_contact_field', config: { field: 'loyalty', value: 'gold' } }];
    const other = await create({ name: 'Other', trigger: { type: 'conversation_opened' }, steps: tagging('o') });
    const file = await exported(live.id, other.id);
    const at = file.workflows.findIndex((w) => w.id === live.id);
    file.workflows[at] = { ...file.workflows[at]!, definition: { ...file.workflows[at]!.definition, steps: loyalty as WorkflowFile['workflows'][0]['definition']['steps'] } };
    // The step as the editor names it (the options page shows this after "Workflow 1 in the file"), not `steps.0.config.field`.
    const why = 'Step 1 (“points”) › field: There is no contact field "loyalty"; define it first';

    const plan = await importFile({ file, dryRun: true }, 200);
    expect(plan.workflows[at]!.replaceable![0]!.warnings).toContain(`"Order paid" is published and stays published, but this version cannot go live, so the import would be refused: ${why}. Fix that first, or replace it as a draft`);
    const res = await admin.post('/workflows/import', { file, replace: { [at]: live.id, [1 - at]: other.id } });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toEqual([{
      path: `body.replace.${at}`,
      message: `"Order paid" is published and stays published with the file's version, which cannot go live: ${why}. Fix the file or this server, or replace it as a draft (replaceAs: "draft")`,
    }]);
    expect((await workflows()).map((w) => [w.name, w.status, w.version]).sort()).toEqual([['Order paid', 'published', 1], ['Other', 'published', 1]]);
    expect((await runOf(url, secret)).workflowVersion).toBe(1);
    expect(await tagsOf('+14155550123')).toEqual(['v1']);

    // Once the field exists here, the same file goes live.
    ok(await admin.put('/fields/loyalty', { label: 'Loyalty', type: 'text' }), 200);
    expect((await importFile({ file, replace: { [at]: live.id } })).replaced).toEqual([{ id: live.id, name: 'Order paid', status: 'published', unpublished: false }]);
  });

  it('runs already started keep the version they began with; deliveries after the replace run the new one', async () => {
    const { live, secret, url } = await webhookWorkflow([...tagging('v1'), { id: 'pause', type: 'wait', config: { seconds: 2 } }, { id: 'then', type: 'update_contact_tag', config: { action: 'add', tags: ['v1-after-wait'] } }]);
    const res = await deliver(url, secret);
    const started = WebhookAck.parse(ok(res, 202)).runIds[0]!;
    await expect.poll(async () => (ok(await admin.get(`/runs/${started}`), 200) as { status: string }).status).toBe('waiting');

    await importFile({ file: withSteps(await exported(live.id), tagging('v2')), replace: { 0: live.id } });
    expect((await runOf(url, secret)).workflowVersion).toBe(2);
    const waited = Run.parse(await waitForRun(server, started));
    expect([waited.status, waited.workflowVersion]).toEqual(['completed', 1]);
    expect((await tagsOf('+14155550123')).sort()).toEqual(['v1', 'v1-after-wait', 'v2']);
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
    expect(replaced.replaced).toEqual([{ id: draft.id, name: 'Welcome', status: 'draft', unpublished: false }]);
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

  it('a sub-workflow that published workflows start stays published when replaced; not as a draft, nor with another trigger, under them (409); replaced together with its caller, it may', async () => {
    const sub = await create({ name: 'Sub', trigger: { type: 'manual' }, steps: tagging('sub') });
    const caller = await create({ name: 'Caller', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] }, steps: [{ id: 'call', type: 'trigger_workflow', config: { workflowId: sub.id } }] });
    const file = await exported(sub.id, caller.id);
    const at = (name: string) => String(file.workflows.findIndex((w) => w.definition.name === name));
    const alone = { ...file, workflows: file.workflows.filter((w) => w.id === sub.id) };

    const asDraft = await admin.post('/workflows/import', { file: alone, replace: { 0: sub.id }, replaceAs: 'draft' });
    expect(asDraft.status, JSON.stringify(asDraft.body)).toBe(409);
    expect(asDraft.body.error.message).toBe('Cannot replace as a draft "Sub": it is started by "Caller". Change or unpublish that workflow first.');
    const retriggered = { ...alone, workflows: [{ ...alone.workflows[0]!, definition: { ...alone.workflows[0]!.definition, trigger: { type: 'conversation_opened' as const } } }] };
    const other = await admin.post('/workflows/import', { file: retriggered, replace: { 0: sub.id } });
    expect(other.status, JSON.stringify(other.body)).toBe(409);
    expect(other.body.error.message).toBe('Cannot replace with a version not started by another workflow (manual) "Sub": it is started by "Caller". Change or unpublish that workflow first.');
    expect((await workflows()).map((w) => [w.name, w.status, w.version]).sort()).toEqual([['Caller', 'published', 1], ['Sub', 'published', 1]]);

    expect((await importFile({ file: alone, replace: { 0: sub.id } })).replaced).toEqual([{ id: sub.id, name: 'Sub', status: 'published', unpublished: false }]);
    const both = await importFile({ file, replace: { [at('Sub')]: sub.id, [at('Caller')]: caller.id }, replaceAs: 'draft' });
    expect(both.replaced!.map((r) => [r.name, r.status, r.unpublished]).sort()).toEqual([['Caller', 'draft', true], ['Sub', 'draft', true]]);
    // The caller's step still starts the sub-workflow by its id here, which the replace kept.
    expect(Workflow.parse(ok(await admin.get(`/workflows/${caller.id}`), 200)).steps[0]).toMatchObject({ config: { workflowId: sub.id } });
    ok(await admin.post(`/workflows/${sub.id}/publish`), 200);
    ok(await admin.post(`/workflows/${caller.id}/publish`), 200);
    // Both live again, replaced together as they are: the caller is checked against the sub-workflow as replaced.
    expect((await importFile({ file, replace: { [at('Sub')]: sub.id, [at('Caller')]: caller.id } })).replaced!.map((r) => r.status)).toEqual(['published', 'published']);
  });
}
