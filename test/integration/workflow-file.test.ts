import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowFile, WorkflowImportResult } from '../../lib/contracts/workflow-file';
import { startAppSink } from '../support/app-sink';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { manifest, ok } from './api-fixtures';

// Workflows move between servers by file: GET /workflows/export on one, POST /workflows/import on
// another. Ids are each server's own: users are matched again by email, apps by key, workflows a
// step starts by name (or among the file's own); what has no match is said before saving.

let one: TestServer;
let two: TestServer;
// Installed apps' servers (sinks) listen on loopback.
const opts = { workers: false, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } };
beforeEach(async () => { [one, two] = await Promise.all([startTestServer(opts), startTestServer(opts)]); });
afterEach(async () => { await one?.close(); await two?.close(); });
const as = (s: TestServer): Api => s.api(s.adminToken);

/** A workspace with Ana, the Payments app installed, the "tier" field, and a manual "Existing helper" workflow. */
async function workspace(s: TestServer, opts: { ana?: boolean; app?: 'installed' | 'registered' | false; field?: boolean } = {}) {
  const api = as(s);
  const ana = opts.ana === false ? undefined : (await s.createUser('agent', { name: 'Ana', email: 'ana@example.com' })).user.id;
  let appId: string | undefined;
  if (opts.app !== false) {
    appId = ok(await api.post('/apps', manifest('payments', (await startAppSink(s)).urls)), 201).app.id;
    if (opts.app !== 'registered') ok(await api.post(`/apps/${appId}/install`, { authValues: {} }), 201);
  }
  if (opts.field !== false) ok(await api.put('/fields/tier', { label: 'Tier', type: 'list', options: ['gold', 'silver'] }), 200);
  const helper = ok(await api.post('/workflows', { name: 'Existing helper', trigger: { type: 'manual' }, steps: [], status: 'published' }), 201).id as string;
  return { ana, appId, helper };
}

/** Six workflows naming a user, an app, a field and other workflows (one in the file, one not). */
async function sixWorkflows(s: TestServer, w: Awaited<ReturnType<typeof workspace>>) {
  const api = as(s);
  const create = async (body: object) => ok(await api.post('/workflows', { ...body, status: 'published' }), 201).id as string;
  const sub = await create({ name: 'Sub flow', trigger: { type: 'manual' }, steps: [{ id: 'note', type: 'add_comment', config: { text: 'sub' } }] });
  await create({ name: 'Assign to Ana', trigger: { type: 'conversation_opened' }, steps: [{ id: 'assign', type: 'assign_to', config: { userId: w.ana } }] });
  await create({ name: 'On payment', trigger: { type: 'mini_app', appId: w.appId, triggerKey: 'paid' }, steps: [] });
  await create({ name: 'Caller', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] }, steps: [{ id: 'call', type: 'trigger_workflow', config: { workflowId: sub } }] });
  await create({ name: 'Calls the helper', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['help'] }, steps: [{ id: 'call', type: 'trigger_workflow', config: { workflowId: w.helper } }] });
  await create({ name: 'Tier watch', trigger: { type: 'contact_field_updated', field: 'tier' }, steps: [{ id: 'note', type: 'add_comment', config: { text: 'Tier {{$contact.fields.tier}}' } }] });
  return sub;
}

const exported = async (s: TestServer) => {
  const res = await as(s).get('/workflows/export');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return WorkflowFile.parse(res.body);
};
const byName = async (s: TestServer) => Object.fromEntries(((await as(s).get('/workflows')).body.workflows as { id: string; name: string; status: string }[]).map((w) => [w.name, w]));

describe('moving workflows to another server', () => {
  it('exports what each id is, and imports with this server\'s ids: every draft publishes', async () => {
    const there = await workspace(one);
    await sixWorkflows(one, there);
    const file = await exported(one);
    expect(file.workflows.map((x) => x.definition.name).sort()).toEqual(['Assign to Ana', 'Caller', 'Calls the helper', 'Existing helper', 'On payment', 'Sub flow', 'Tier watch']);
    expect(file.references).toMatchObject({
      users: { [there.ana!]: { name: 'Ana', email: 'ana@example.com' } },
      apps: { [there.appId!]: { key: 'payments' } },
      workflows: { [there.helper]: { name: 'Existing helper' } },
      fields: { tier: { label: 'Tier', type: 'list', options: ['gold', 'silver'] } },
    });
    // Only the workflows themselves, without the helper that exists on the other side already.
    const six = { ...file, workflows: file.workflows.filter((x) => x.definition.name !== 'Existing helper') };

    const here = await workspace(two);
    const plan = WorkflowImportResult.parse(ok(await as(two).post('/workflows/import', { file: six, dryRun: true }), 200));
    expect(plan.created).toEqual([]);
    expect(plan.references.map((r) => [r.kind, r.how, r.match?.id, r.problem])).toEqual(expect.arrayContaining([
      ['user', 'email', here.ana, null], ['app', 'key', here.appId, null], ['workflow', 'name', here.helper, null], ['workflow', 'file', expect.any(String), null],
    ]));
    expect(plan.workflows.flatMap((x) => x.warnings)).toEqual([]);
    expect(Object.keys(await byName(two))).toEqual(['Existing helper']);

    const done = WorkflowImportResult.parse(ok(await as(two).post('/workflows/import', { file: six }), 201));
    expect(done.created).toHaveLength(6);
    const made = await byName(two);
    const get = async (name: string) => ok(await as(two).get(`/workflows/${made[name]!.id}`), 200);
    expect((await get('Assign to Ana')).steps[0].config.userId).toBe(here.ana);
    expect((await get('On payment')).trigger.appId).toBe(here.appId);
    expect((await get('Caller')).steps[0].config.workflowId).toBe(made['Sub flow']!.id);
    expect((await get('Calls the helper')).steps[0].config.workflowId).toBe(here.helper);
    expect(new Set(done.created.map((c) => made[c.name]!.status))).toEqual(new Set(['draft']));
    for (const name of ['Sub flow', 'Assign to Ana', 'On payment', 'Caller', 'Calls the helper', 'Tier watch']) {
      const res = await as(two).post(`/workflows/${made[name]!.id}/publish`);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
    }
  });

  it('says per workflow what has no match before saving anything, and imports with the admin\'s choices', async () => {
    const there = await workspace(one);
    await sixWorkflows(one, there);
    const file = await exported(one);
    await workspace(two, { ana: false, app: false, field: false });
    const bea = (await two.createUser('agent', { name: 'Bea', email: 'bea@example.com' })).user.id;

    const at = (name: string) => file.workflows.findIndex((x) => x.definition.name === name);
    const plan = WorkflowImportResult.parse(ok(await as(two).post('/workflows/import', { file, dryRun: true }), 200));
    const user = plan.references.find((r) => r.kind === 'user')!;
    expect(user).toMatchObject({
      ref: there.ana, label: 'Ana <ana@example.com>', match: null, problem: 'no user with email ana@example.com here; pick one',
      usedBy: [{ workflow: 'Assign to Ana', where: 'step "assign" (assign_to)', path: `file.workflows.${at('Assign to Ana')}.definition.steps.0.config.userId` }],
    });
    expect(user.candidates.map((c) => c.id)).toContain(bea);
    expect(plan.references.find((r) => r.kind === 'app')).toMatchObject({ match: null, problem: 'the app App payments (key payments) is not registered here; register and install it, or pick another app' });
    expect(plan.workflows.find((x) => x.name === 'Tier watch')!.warnings).toEqual([
      'The contact field "tier" (Tier, list: gold, silver) is not defined here: define it under Settings before publishing',
    ]);

    const refused = await as(two).post('/workflows/import', { file });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('unresolved_references');
    expect(refused.body.error.details).toEqual(expect.arrayContaining([
      { path: `body.file.workflows.${at('Assign to Ana')}.definition.steps.0.config.userId`, message: '"Assign to Ana", step "assign" (assign_to): no user with email ana@example.com here; pick one' },
      { path: `body.file.workflows.${at('On payment')}.definition.trigger.appId`, message: expect.stringMatching(/^"On payment", the trigger: the app App payments \(key payments\) is not registered here/) },
    ]));
    expect(Object.keys(await byName(two))).toEqual(['Existing helper']);

    // The admin picks Bea, and leaves the app workflow out.
    const withoutApp = { ...file, workflows: file.workflows.filter((x) => x.definition.name !== 'On payment') };
    const bad = await as(two).post('/workflows/import', { file: withoutApp, choices: { users: { [there.ana!]: 'usr_nobody' } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ path: `body.choices.users.${there.ana}`, message: 'There is no active user usr_nobody here' }]);
    const done = ok(await as(two).post('/workflows/import', { file: withoutApp, choices: { users: { [there.ana!]: bea } } }), 201);
    expect(done.references.find((r: { kind: string }) => r.kind === 'user')).toMatchObject({ how: 'chosen', match: { id: bea } });
    const made = await byName(two);
    expect(ok(await as(two).get(`/workflows/${made['Assign to Ana']!.id}`), 200).steps[0].config.userId).toBe(bea);
    expect((await as(two).post(`/workflows/${made['Assign to Ana']!.id}/publish`)).status).toBe(200);
  });

  it('reads a single definition as files were exported before: its raw ids are matched on this server or said to be unknown', async () => {
    const w = await workspace(two);
    const definition = (id: string) => ({ name: 'Old file', trigger: { type: 'conversation_opened' }, oncePerContact: false, steps: [{ id: 'assign', type: 'assign_to', config: { userId: id } }] });
    const foreign = ok(await as(two).post('/workflows/import', { file: definition('usr_from_elsewhere'), dryRun: true }), 200);
    expect(foreign.references).toEqual([expect.objectContaining({ kind: 'user', match: null, problem: 'no user usr_from_elsewhere here (the file does not say who it was); pick one' })]);
    const same = ok(await as(two).post('/workflows/import', { file: definition(w.ana!) }), 201);
    expect(same.references).toEqual([expect.objectContaining({ how: 'id', match: expect.objectContaining({ id: w.ana }) })]);
    expect(same.created).toEqual([{ id: expect.stringMatching(/^wf_/), name: 'Old file' }]);

    const invalid = await as(two).post('/workflows/import', { file: { ...definition(w.ana!), name: '' } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details).toEqual([{ path: 'body.file.name', message: 'Give the workflow a name' }]);
  });

  it('a server without workflows exports an empty file, which imports nothing (422)', async () => {
    const empty = await exported(two);
    expect(empty.workflows).toEqual([]);
    const res = await as(one).post('/workflows/import', { file: empty });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'body.file.workflows', message: 'The file holds no workflow' }]);
    expect((await as(two).get('/workflows/export?ids=')).status).toBe(200);
    expect((await as(two).get('/workflows/export?ids=wf_nope')).status).toBe(404);
  });

  it('an app id this server never had: publishing says it is not installed here, not that it was deleted', async () => {
    const draft = ok(await as(two).post('/workflows', { name: 'Pay', trigger: { type: 'mini_app', appId: 'app_elsewhere', triggerKey: 'paid' }, steps: [] }), 201);
    const res = await as(two).post(`/workflows/${draft.id}/publish`);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'trigger.appId', message: 'The app app_elsewhere is not installed here; install it, or choose another app' }]);
  });
});
