import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePg, pgUrl } from '../support/postgres';
import { migrateUpTo, onBothStores } from '../support/migration-scenario';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './webhooks/support';

// A workflow's messages and notes say which workflow wrote them (the inbox shows "Workflow: Order
// shipped", as Chatwoot names the bot): the message carries the workflow's name, written with it.

async function deliver(s: TestServer, path: string, phone: string, orderId: string) {
  const res = await s.request('POST', path, { body: { phone, order: { id: orderId } } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  for (const id of res.body.runIds as string[]) expect((await waitForRun(s, id)).status).toBe('completed');
}

async function authorScenario(s: TestServer) {
  const admin: Api = s.api(s.adminToken);
  const steps = [
    { id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}} shipped' } },
    { id: 'tell', type: 'send_message', config: { text: 'Your order {{$trigger.orderId}} is on its way' } },
  ];
  const wf = await publishWebhookWorkflow(s, {}, steps);
  const contact = await makeContact(s, { firstName: 'Ana', lastName: 'Author', phone: '+34600555111' });
  const conv = (await admin.post('/conversations', { contactId: contact.id })).body;
  await deliver(s, wf.path, '+34600555111', 'A-1');

  const messages = async () => (await admin.get(`/conversations/${conv.id}`)).body.messages as { kind: string; text: string; author: unknown }[];
  expect((await messages()).map((m) => [m.kind, m.text, m.author])).toEqual([
    ['comment', 'Order A-1 shipped', { type: 'workflow', id: wf.id, name: 'Order shipped' }],
    ['message', 'Your order A-1 is on its way', { type: 'workflow', id: wf.id, name: 'Order shipped' }],
  ]);

  // Renamed: its next messages say the new name; those written before keep theirs.
  const current = (await admin.get(`/workflows/${wf.id}`)).body;
  const renamed = await admin.put(`/workflows/${wf.id}`, { name: 'Order dispatched', trigger: current.trigger, steps: current.steps, oncePerContact: current.oncePerContact });
  expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
  expect((await admin.post(`/workflows/${wf.id}/publish`)).status).toBe(200);
  await deliver(s, wf.path, '+34600555111', 'A-2');
  const names = ['Order shipped', 'Order shipped', 'Order dispatched', 'Order dispatched'];
  expect((await messages()).map((m) => (m.author as { name?: string }).name)).toEqual(names);

  // Deleted: the messages still say who wrote them.
  expect((await admin.del(`/workflows/${wf.id}`)).status).toBe(204);
  expect((await messages()).map((m) => (m.author as { name?: string }).name)).toEqual(names);
  // People's messages carry no name (the reader names users; the contact is the conversation's).
  const reply = await admin.post(`/conversations/${conv.id}/messages`, { text: 'Thanks!', direction: 'incoming' });
  expect(reply.body.author).toEqual({ type: 'contact', id: null });
}

describe('messages written by a workflow (SQLite)', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s?.close(); });
  it('name the workflow (as named when the run wrote them), in the conversation and after a rename or delete', () => authorScenario(s));
});

describePg('messages written by a workflow (PostgreSQL)', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer({ databaseUrl: pgUrl()! }); });
  afterAll(async () => { await s?.close(); });
  it('name the workflow (as named when the run wrote them), in the conversation and after a rename or delete', () => authorScenario(s));
});

// Migration 069: messages written by workflows before it get their workflow's current name.

async function upgradeScenario(db: Kysely<any>, schema?: string) {
  await migrateUpTo(db, '068-conversation-activity', schema);
  const at = '2026-03-01T10:00:00.000Z';
  await db.insertInto('contacts').values({ id: 'con_a', first_name: 'A', last_name: '', phone: null, email: null, tags: '[]', fields: '{}', created_at: at, updated_at: at }).execute();
  await db.insertInto('conversations').values({ id: 'cnv_a', contact_id: 'con_a', status: 'open', opened_by_source: 'api', opened_at: at }).execute();
  await db.insertInto('workflows').values({ id: 'wf_live', name: 'Order shipped', status: 'published', trigger_type: 'manual', definition: '{}', version: 1, created_at: at, updated_at: at }).execute();
  const message = (id: string, type: string, authorId: string | null) => ({
    id, conversation_id: 'cnv_a', direction: type === 'contact' ? 'incoming' : 'outgoing', kind: 'message', author_type: type, author_id: authorId, text: id, created_at: at,
  });
  await db.insertInto('messages').values([
    message('msg_1', 'workflow', 'wf_live'), message('msg_2', 'workflow', 'wf_gone'), message('msg_3', 'workflow', null),
    message('msg_4', 'contact', 'con_a'), message('msg_5', 'user', 'wf_live'),
  ]).execute();

  await migrateUpTo(db, undefined, schema);
  const names = Object.fromEntries((await db.selectFrom('messages').select(['id', 'author_name']).orderBy('id').execute()).map((r) => [r.id, r.author_name]));
  expect(names).toEqual({ msg_1: 'Order shipped', msg_2: null, msg_3: null, msg_4: null, msg_5: null });
}

onBothStores('069', 'names the messages workflows wrote before it by their workflow\'s name', upgradeScenario);
