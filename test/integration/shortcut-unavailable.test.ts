import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { LaunchResult, SHORTCUT_UNAVAILABLE } from '../../lib/contracts/shortcuts';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, shortcutWorkflow } from './engine-support';

// POST /shortcuts/:id/launch over HTTP: what a launcher gets when the shortcut went away while its
// form was open (a specific code, the shortcut's name and why, never a raw id to retry), and who
// a launched run is about (the toast names them).

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ workers: false }); });
afterEach(async () => { await server.close(); });

const admin = () => server.api(server.adminToken);
const lookup = () => shortcutWorkflow({ name: 'Lookup workflow', trigger: { type: 'shortcut', name: 'Order lookup', icon: '🔎' } });

async function conversationOf(contact: Record<string, unknown>) {
  const created = await admin().post('/contacts', contact);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const conversation = await admin().post('/conversations', { contactId: created.body.id });
  expect(conversation.status, JSON.stringify(conversation.body)).toBe(201);
  return conversation.body.id as string;
}

describe('launching a shortcut that is not (or no longer) one', () => {
  it.each<[string, (id: string) => Promise<unknown>, string]>([
    ['unpublished', (id) => admin().post(`/workflows/${id}/unpublish`), '“Order lookup” is no longer available (unpublished by an admin)'],
    ['deleted', (id) => admin().del(`/workflows/${id}`), '“Order lookup” is no longer available (deleted by an admin)'],
    ['made to start another way', (id) => admin().put(`/workflows/${id}`, { ...lookup(), trigger: { type: 'manual' } }),
      '“Order lookup” is no longer available (an admin changed how it starts)'],
  ])('%s: 404 shortcut_unavailable naming it as the menu did', async (_how, takeAway, message) => {
    const wf = await createWorkflow(server, lookup());
    const conversationId = await conversationOf({ firstName: 'Maria', lastName: 'Garcia' });
    const { token } = await server.createUser('agent');
    const done = await takeAway(wf.id) as { status: number };
    expect(done.status).toBeLessThan(300);

    const res = await server.api(token).post(`/shortcuts/${wf.id}/launch`, { conversationId, values: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(404);
    expect(ErrorBody.parse(res.body)).toEqual({ error: { code: SHORTCUT_UNAVAILABLE, message } });
    expect(await server.events('shortcut.launched')).toHaveLength(0);
  });

  it.each([
    ['an id that never was a workflow', async () => 'wf_nope', 'There is no shortcut wf_nope'],
    ['a workflow that never was a shortcut', async () => (await createWorkflow(server, {
      name: 'Manual one', trigger: { type: 'manual' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }],
    })).id, 'Workflow “Manual one” is not a shortcut'],
  ])('%s: the same code, saying what it is', async (_what, idOf, message) => {
    const conversationId = await conversationOf({ firstName: 'Maria' });
    const res = await admin().post(`/shortcuts/${await idOf()}/launch`, { conversationId, values: {} });
    expect(res.status).toBe(404);
    expect(ErrorBody.parse(res.body).error).toEqual({ code: SHORTCUT_UNAVAILABLE, message });
  });
});

describe('a launched run names its contact', () => {
  it.each([
    ['first and last name', { firstName: 'Maria', lastName: 'Garcia', phone: '+34600111222' }, 'Maria Garcia'],
    ['a first name only', { firstName: 'Noor' }, 'Noor'],
    ['a phone only', { phone: '+34600111333' }, '+34600111333'],
    ['an email only', { email: 'lee@example.com' }, 'lee@example.com'],
  ])('%s', async (_what, contact, name) => {
    const wf = await createWorkflow(server, lookup());
    const conversationId = await conversationOf(contact);
    const res = await admin().post(`/shortcuts/${wf.id}/launch`, { conversationId, values: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(LaunchResult.parse(res.body)).toEqual({ runId: expect.stringMatching(/^run_/), contactName: name });
  });
});
