import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { Conversation } from '../../../lib/contracts/conversations';
import { UserCreated } from '../../../lib/contracts/users';
import type { Run } from '../../../lib/contracts/runs';
import { waitForRun } from '../../support/builders';
import { startTestServer, type Api, type TestServer } from '../../support/server';
import { createWorkflow, defineField, runsOf, type WorkflowInput } from '../engine-support';

// The trigger rules of the documentation this product follows, through the HTTP API as an admin,
// an agent and a bot would use it.

let server: TestServer;
let admin: Api;
beforeEach(async () => {
  server = await startTestServer();
  admin = server.api(server.adminToken);
});
afterEach(async () => { await server.close(); });

const comment = (text: string) => [{ id: 'note', type: 'add_comment' as const, config: { text } }];

async function newContact(api: Api = admin, body: Record<string, unknown> = {}) {
  const res = await api.post('/contacts', { firstName: 'Maria', lastName: 'Garcia', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return Contact.parse(res.body);
}
async function open(api: Api, contactId: string) {
  const res = await api.post('/conversations', { contactId });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return Conversation.parse(res.body);
}
/** The one run of a workflow, finished. */
async function onlyRun(workflowId: string): Promise<Run> {
  let runs: Run[] = [];
  for (let i = 0; i < 100 && runs.length === 0; i++) {
    runs = await runsOf(server, workflowId);
    if (runs.length === 0) await new Promise((r) => setTimeout(r, 20));
  }
  expect(runs).toHaveLength(1);
  return waitForRun(server.app.services.db, runs[0]!.id);
}
const triggerVars = (run: Run) => run.variables.trigger as Record<string, unknown>;

describe('manual trigger', () => {
  it('receives the caller\'s variables flat as {{$trigger.<name>}}, and may be limited to once per contact', async () => {
    const manual = await createWorkflow(server, {
      name: 'Callee', trigger: { type: 'manual' }, oncePerContact: true, steps: comment('reason={{$trigger.reason}} by={{$trigger.launchedBy}}'),
    });
    expect(manual.oncePerContact).toBe(true);
    const caller = await createWorkflow(server, {
      name: 'Caller',
      trigger: { type: 'shortcut', name: 'Escalate', form: { fields: [{ label: 'Reason', type: 'text', variable: 'reason', required: true }] } },
      steps: [{ id: 'call', type: 'trigger_workflow', config: { workflowId: manual.id } }],
    });
    const contact = await newContact();
    const conversation = await open(admin, contact.id);
    for (const reason of ['late delivery', 'again']) {
      const res = await admin.post(`/shortcuts/${caller.id}/launch`, { conversationId: conversation.id, values: { reason } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      await waitForRun(server.app.services.db, res.body.runId);
    }
    const run = await onlyRun(manual.id);
    expect(run.status).toBe('completed');
    expect(triggerVars(run)).toMatchObject({ reason: 'late delivery' });
    const detail = await admin.get(`/conversations/${conversation.id}`);
    const notes = detail.body.messages.filter((m: { kind: string }) => m.kind === 'comment').map((m: { text: string }) => m.text);
    expect(notes).toEqual([expect.stringMatching(/^reason=late delivery by=usr_/)]);
  });
});

describe('incoming webhook', () => {
  it('refuses the same JSON key mapped twice with 422 naming both rows', async () => {
    const res = await admin.post('/workflows', {
      name: 'Hook', steps: [],
      trigger: {
        type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' },
        mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }, { jsonKey: '$.total', variable: 'total' }, { jsonKey: '$.order.id', variable: 'order2' }],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/"\$\.order\.id" is mapped twice \(rows 1 and 3\)/);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContainEqual(expect.stringMatching(/trigger\.mappings\.2\.jsonKey$/));
  });

  it('refuses one key spelled two ways ($.order.id and $["order"][\'id\']) as the same key', async () => {
    const res = await admin.post('/workflows', {
      name: 'Hook', steps: [],
      trigger: {
        type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' },
        mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }, { jsonKey: '$["order"][\'id\']', variable: 'order2' }],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toContainEqual({
      path: 'body.trigger.mappings.1.jsonKey', message: 'The JSON key "$["order"][\'id\']" is the same path as "$.order.id" (rows 1 and 2); map each key once',
    });
  });
});

describe('closing categories', () => {
  const closedOn = (category: string): WorkflowInput => ({
    name: `Closed ${category}`, steps: comment('x'),
    trigger: { type: 'conversation_closed', conditions: { logic: 'or', rules: [{ field: 'category', operator: 'is', value: category }] } },
  });

  it('publishes a Conversation Closed trigger only on categories that exist (422 otherwise)', async () => {
    await admin.put('/settings/closing-categories', { categories: ['Resolved'] });
    const res = await admin.post('/workflows', { ...closedOn('Spam'), status: 'published' });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toContainEqual({ path: 'body.trigger.conditions.rules.0.value', message: expect.stringMatching(/no closing category "Spam"; use one of: Resolved/) });
    await createWorkflow(server, closedOn('Resolved'));
  });

  it.each([
    ['deleting', ['Spam']],
    ['renaming', ['Solved', 'Spam']],
  ])('refuses %s a category a published trigger uses (409 naming the workflow); drafts do not hold it', async (_how, next) => {
    await admin.put('/settings/closing-categories', { categories: ['Resolved', 'Spam'] });
    const wf = await createWorkflow(server, closedOn('Resolved'));
    const refused = await admin.put('/settings/closing-categories', { categories: next });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`"Closed Resolved" (${wf.id}) uses "Resolved"`);
    expect((await admin.get('/settings/closing-categories')).body.categories).toEqual(['Resolved', 'Spam']);
    expect((await admin.post(`/workflows/${wf.id}/unpublish`)).status).toBe(200);
    expect((await admin.put('/settings/closing-categories', { categories: next })).status).toBe(200);
  });
});

describe('contact field updated on standard fields', () => {
  it.each([
    ['firstName', { firstName: 'Mia' }, 'Maria', 'Mia'],
    ['lastName', { lastName: 'López' }, 'Garcia', 'López'],
    ['email', { email: 'mia@example.com' }, 'maria@example.com', 'mia@example.com'],
    ['phone', { phone: '+34600111333' }, '+34600111222', '+34600111333'],
    ['phone (removed)', { phone: null }, '+34600111222', null],
  ])('%s fires with old and new value and who changed it', async (name, patch, oldValue, newValue) => {
    const field = name.split(' ')[0]!;
    const wf = await createWorkflow(server, { name: 'Field', trigger: { type: 'contact_field_updated', field }, steps: comment('{{$trigger.oldValue}}') });
    const { user, token } = await server.createUser('agent');
    const contact = await newContact(admin, { email: 'maria@example.com', phone: '+34600111222' });
    expect((await server.api(token).patch(`/contacts/${contact.id}`, patch)).status).toBe(200);
    const run = await onlyRun(wf.id);
    expect(triggerVars(run)).toEqual({ field, oldValue, newValue, changedBy: user.id, changedByType: 'user' });
  });

  it('refuses a custom field that takes a standard field\'s key', async () => {
    const res = await admin.put('/fields/email', { label: 'Email', type: 'email' });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error)).toMatch(/standard contact field/);
  });
});

describe('trigger variables', () => {
  it('conversation opened and closed give the assignee, channel and the opening/closing user', async () => {
    await admin.put('/settings/closing-categories', { categories: ['Resolved'] });
    const opened = await createWorkflow(server, { name: 'Opened', trigger: { type: 'conversation_opened' }, steps: [] });
    const closed = await createWorkflow(server, { name: 'Closed', trigger: { type: 'conversation_closed' }, steps: [] });
    const { user: agent, token } = await server.createUser('agent');
    const contact = await newContact();
    const conversation = await open(server.api(token), contact.id);
    expect((await admin.post(`/conversations/${conversation.id}/assign`, { userId: agent.id })).status).toBe(200);
    expect((await server.api(token).post(`/conversations/${conversation.id}/close`, { category: 'Resolved', summary: 'Done' })).status).toBe(200);
    expect(triggerVars(await onlyRun(opened.id))).toEqual({
      source: 'user', conversationId: conversation.id, firstIncomingMessage: null, assigneeId: null, channel: 'built_in', openedBy: agent.id,
      inboxName: null, channelType: 'inbox',
    });
    expect(triggerVars(await onlyRun(closed.id))).toEqual({
      source: 'user', conversationId: conversation.id, category: 'Resolved', summary: 'Done', resolutionTimeSeconds: expect.any(Number),
      firstResponseTimeSeconds: null, assigneeId: agent.id, channel: 'built_in', closedBy: agent.id, inboxName: null, channelType: 'inbox',
    });
  });

  it('a tag changed by a workflow names that workflow; by a person, that user', async () => {
    const tagged = await createWorkflow(server, { name: 'VIP', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, steps: [] });
    const tagger = await createWorkflow(server, {
      name: 'Tagger', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['lead'] },
      steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } }],
    });
    const contact = await newContact();
    expect((await admin.post(`/contacts/${contact.id}/tags`, { tags: ['lead'] })).status).toBe(200);
    const byPerson = await onlyRun(tagger.id);
    expect(triggerVars(byPerson)).toMatchObject({ tag: 'lead', changedBy: expect.stringMatching(/^usr_/), changedByType: 'user' });
    expect(triggerVars(await onlyRun(tagged.id))).toEqual({ tag: 'vip', action: 'added', changedBy: tagger.id, changedByType: 'workflow' });
  });

  it('a custom field changed by a workflow names it', async () => {
    await defineField(server, 'plan');
    const watcher = await createWorkflow(server, { name: 'Watch', trigger: { type: 'contact_field_updated', field: 'plan' }, steps: [] });
    const setter = await createWorkflow(server, {
      name: 'Setter', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['pro'] },
      steps: [{ id: 'f', type: 'update_contact_field', config: { field: 'plan', value: 'pro' } }],
    });
    const contact = await newContact();
    await admin.post(`/contacts/${contact.id}/tags`, { tags: ['pro'] });
    expect(triggerVars(await onlyRun(watcher.id))).toEqual({ field: 'plan', oldValue: null, newValue: 'pro', changedBy: setter.id, changedByType: 'workflow' });
  });
});

describe('bot users', () => {
  it('an admin creates a bot with an API token; its opens and closes have source bot, a person\'s close stays user', async () => {
    await admin.put('/settings/closing-categories', { categories: ['Resolved'] });
    const byBot = await createWorkflow(server, {
      name: 'Bot closed', steps: [],
      trigger: { type: 'conversation_closed', conditions: { logic: 'and', rules: [{ field: 'source', operator: 'is', value: 'bot' }] } },
    });
    const created = await admin.post('/users', { name: 'Answer bot', email: 'bot@example.com', role: 'agent', kind: 'bot' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { user: bot, token } = UserCreated.parse(created.body);
    expect(bot.kind).toBe('bot');
    const botApi = server.api(token);

    const first = await open(botApi, (await newContact(admin, { email: 'a@example.com' })).id);
    expect(first.openedBySource).toBe('bot');
    const closedByBot = await botApi.post(`/conversations/${first.id}/close`, { category: 'Resolved' });
    expect(closedByBot.body.closedBySource).toBe('bot');

    const second = await open(admin, (await newContact(admin, { email: 'b@example.com' })).id);
    const closedByPerson = await admin.post(`/conversations/${second.id}/close`, {});
    expect(closedByPerson.body.closedBySource).toBe('user');

    const run = await onlyRun(byBot.id);
    expect(triggerVars(run)).toMatchObject({ source: 'bot', closedBy: bot.id, conversationId: first.id });
    expect((await admin.get('/users')).body.users).toContainEqual(expect.objectContaining({ id: bot.id, kind: 'bot' }));
  });

  it('agents cannot create bots', async () => {
    const { token } = await server.createUser('agent');
    expect((await server.api(token).post('/users', { name: 'B', email: 'b@example.com', role: 'agent', kind: 'bot' })).status).toBe(403);
  });
});
