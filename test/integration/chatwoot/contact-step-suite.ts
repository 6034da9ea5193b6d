import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { Run } from '../../../lib/contracts/runs';
import type { StepInput } from '../../../lib/contracts/steps';
import { cwFaults, type CwStandinContact } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { eventsOf, startChatwootPair, type ChatwootPair } from './harness';

/**
 * A workflow writing a contact that lives in Chatwoot while none of its Chatwoot conversations is
 * open (resolved, or none ever) writes the Chatwoot contact first (PUT …/contacts/{id}), then
 * here, as on a conversation and as an agent's edit: Chatwoot's echo and the next sync change
 * nothing back, a refusal there fails the step and changes neither side, and a request whose
 * outcome is unknown is looked up before it is sent again. Registered by contact-step.test.ts
 * (SQLite) and contact-step.pg.test.ts (PostgreSQL: the echo waits for the mirror's lock).
 */
export function chatwootContactStepSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  let jane: CwStandinContact;
  let janeId: string;
  beforeEach(async () => {
    p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() });
    expect((await admin().put('/fields/plan', { label: 'Plan', type: 'text' })).status).toBe(200);
    // Jane wrote once; an agent resolved the conversation. Nothing of hers is open, here or there.
    jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com', custom_attributes: { plan: 'pro' } });
    const conv = p.cw.addConversation({ contactId: jane.id, labels: ['shipping'], firstMessage: { content: 'Hi', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
    conv.status = 'resolved';
    p.cw.touch(conv);
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null))).status).toBe(200);
    janeId = Contact.parse((await admin().get('/contacts?email=jane@example.com')).body.contacts[0]).id;
    expect((await admin().get('/conversations?status=open')).body.conversations).toEqual([]);
    p.cw.requests.length = 0;
  });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const set = (id: string, field: string, value: string): StepInput => ({ id, type: 'update_contact_field', config: { field, value } });
  const writes = () => p.cw.requests.filter((r) => r.method !== 'GET').map((r) => [`${r.method} ${r.path}`, r.body]);
  const reads = () => p.cw.requests.filter((r) => r.method === 'GET').map((r) => r.path);
  const janeHere = async () => Contact.parse((await admin().get(`/contacts/${janeId}`)).body);
  const watch = (field: string) => createWorkflow(p.server, { name: `Watch ${field}`, trigger: { type: 'contact_field_updated', field }, steps: [] });
  const runOf = async (id: string) => Run.parse((await admin().get(`/runs/${id}`)).body);
  const ended = (id: string) => waitFor(`run ${id} to end`, async () => { const r = await runOf(id); return ['completed', 'failed'].includes(r.status) ? r : undefined; });
  const waitingToRetry = (id: string) => waitFor(`run ${id} to wait for a retry`, async () => {
    const r = await runOf(id);
    return r.status === 'waiting' && r.stepLog.at(-1)?.status === 'retrying' ? r : undefined;
  });
  /** A workflow with `steps` started on `contactId` (as "Start workflow" does): its run id. */
  async function start(steps: StepInput[], contactId = janeId) {
    const flow = await createWorkflow(p.server, { name: 'Update Jane', trigger: { type: 'manual' }, steps });
    const res = await admin().post(`/workflows/${flow.id}/start`, { contact: { id: contactId } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.runIds[0] as string;
  }
  /** Chatwoot's contact_updated for what its contact holds now (Contact#webhook_data, changes from previous_changes). */
  const contactUpdated = (cw: CwStandinContact, changed: Record<string, [unknown, unknown]>) => p.hook(p.cw.contactPayload(cw.id, 'contact_updated', {
    ...Object.fromEntries(Object.entries(changed).map(([k, [previous_value, current_value]]) => [k, { previous_value, current_value }])),
    updated_at: { previous_value: new Date(Date.now() - 1000).toISOString(), current_value: new Date().toISOString() },
  }));
  const echo = (cw: CwStandinContact) => contactUpdated(cw, {
    name: ['Jane Doe', cw.name], email: ['jane@example.com', cw.email], custom_attributes: [{ plan: 'pro' }, cw.custom_attributes],
  });

  it.each(['after', 'before'] as const)('custom and own fields go to the Chatwoot contact, then here; the echo %s the answer and the next sync change nothing back', async (when) => {
    const watchers = await Promise.all(['plan', 'email', 'firstName'].map(watch));
    if (when === 'before') p.cw.beforeNextContactAnswer = async (id) => { expect((await echo(p.cw.contacts.get(id)!)).status).toBe(200); };
    const run = await ended(await start([
      set('plan', 'plan', 'enterprise'), set('email', 'email', 'Janet@Example.com'), set('first', 'firstName', 'Janet'),
      // Tags are the labels of a conversation (none open): the tag stays here, as with labels of resolved conversations.
      { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } },
    ]));
    expect(run.status, run.error ?? '').toBe('completed');
    const put = `PUT /api/v1/accounts/1/contacts/${jane.id}`;
    expect(writes()).toEqual([[put, { custom_attributes: { plan: 'enterprise' } }], [put, { email: 'janet@example.com' }], [put, { name: 'Janet Doe' }]]);
    expect(p.cw.contacts.get(jane.id)).toMatchObject({ name: 'Janet Doe', email: 'janet@example.com', custom_attributes: { plan: 'enterprise' } });
    expect(run.stepLog.slice(0, 2).map((s) => [s.output, s.notes])).toEqual([
      [{ field: 'plan', oldValue: 'pro', newValue: 'enterprise', chatwootContactId: jane.id, chatwoot: [{ request: put, status: 200, answer: 'ok' }] }, [`Chatwoot ${put} → 200 ok`]],
      [{ field: 'email', oldValue: 'jane@example.com', newValue: 'janet@example.com', chatwootContactId: jane.id, chatwoot: [{ request: put, status: 200, answer: 'ok' }] }, [`Chatwoot ${put} → 200 ok`]],
    ]);
    expect(p.cw.beforeNextContactAnswer).toBeUndefined();
    if (when === 'after') expect(await echo(jane)).toMatchObject({ status: 200, body: { handled: true, duplicate: false } });
    expect(await janeHere()).toMatchObject({ firstName: 'Janet', lastName: 'Doe', email: 'janet@example.com', fields: { plan: 'enterprise' }, tags: expect.arrayContaining(['shipping', 'vip']) });

    // Sync now reads her (her resolved conversation is in the recent list): Chatwoot holds what she holds here.
    const synced = await admin().post(`/chatwoot/accounts/${p.account.id}/sync`);
    expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    expect(reads()).toContain(`/api/v1/accounts/1/conversations?status=all&assignee_type=all&page=1`);
    expect(await janeHere()).toMatchObject({ firstName: 'Janet', email: 'janet@example.com', fields: { plan: 'enterprise' } });
    for (const w of watchers) expect(await runsOf(p.server, w.id)).toHaveLength(1);
    const changes = (await eventsOf(p.server, 'contact.field_updated')).filter((e) => e.payload.oldValue !== null);
    expect(changes.map((e) => [e.payload.field, e.payload.newValue, e.source])).toEqual([
      ['plan', 'enterprise', 'workflow'], ['email', 'janet@example.com', 'workflow'], ['firstName', 'Janet', 'workflow'],
    ]);

    // A contact Chatwoot does not have is written here only, inside the run's transaction as before.
    const bob = Contact.parse((await admin().post('/contacts', { firstName: 'Bob' })).body);
    p.cw.requests.length = 0;
    expect((await ended(await start([set('plan', 'plan', 'basic')], bob.id))).status).toBe('completed');
    expect(p.cw.requests).toEqual([]);
  });

  it('an email another Chatwoot contact has: the step fails with Chatwoot\'s reason, neither side changes; the agent\'s later change there still comes here', async () => {
    const watcher = await watch('email');
    const other = p.cw.addContact({ name: 'Other Person', email: 'other@example.com' });
    const run = await ended(await start([set('plan', 'plan', 'enterprise'), set('email', 'email', 'other@example.com'), set('first', 'firstName', 'not reached')]));
    expect(run.status).toBe('failed');
    expect(run.error).toBe(`Chatwoot refused to set the email of its contact ${jane.id} to other@example.com ("Email has already been taken"): another Chatwoot contact has this email (if they are the same person, merge the two in Chatwoot). Nothing was changed, here or in Chatwoot`);
    expect(run.stepLog.map((s) => [s.stepId, s.status])).toEqual([['plan', 'completed'], ['email', 'failed']]);
    expect(run.stepLog[1]!.notes).toEqual([`Chatwoot PUT /api/v1/accounts/1/contacts/${jane.id} → 422 Email has already been taken`]);
    expect(p.cw.contacts.get(jane.id)).toMatchObject({ name: 'Jane Doe', email: 'jane@example.com', custom_attributes: { plan: 'enterprise' } });
    expect(await janeHere()).toMatchObject({ firstName: 'Jane', email: 'jane@example.com', fields: { plan: 'enterprise' } });
    expect(await runsOf(p.server, watcher.id)).toHaveLength(0);

    // The old address went back into the mirror's state: an agent giving Jane that address in Chatwoot is news.
    other.email = null;
    p.cw.contacts.get(jane.id)!.email = 'other@example.com';
    expect((await contactUpdated(jane, { email: ['jane@example.com', 'other@example.com'] })).status).toBe(200);
    expect((await janeHere()).email).toBe('other@example.com');
    expect(await runsOf(p.server, watcher.id)).toHaveLength(1);
  });

  it.each([
    ['was saved all the same', true, 1],
    ['never reached Chatwoot', false, 2],
  ] as const)('a 502 whose request %s: the step waits, and its next try reads the contact before sending the PUT again', async (_, saved, puts) => {
    const watcher = await watch('plan');
    p.cw.failNext(/^PUT \/api\/v1\/accounts\/1\/contacts\/\d+$/, cwFaults.badGateway());
    const runId = await start([set('plan', 'plan', 'enterprise')]);
    const waiting = await waitingToRetry(runId);
    expect(waiting.stepLog.at(-1)!.error).toMatch(/Chatwoot answered HTTP 502 to PUT .*: 502 Bad Gateway$/);
    expect((await janeHere()).fields).toEqual({ plan: 'pro' });
    if (saved) jane.custom_attributes = { plan: 'enterprise' };

    await p.server.store.db.updateTable('runs').set({ wake_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', runId).execute();
    p.server.app.services.runSignal.notify();
    const run = await ended(runId);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog.at(-1)!.notes).toEqual([
      `Chatwoot GET /api/v1/accounts/1/contacts/${jane.id} → 200 ok`,
      ...(saved ? [] : [`Chatwoot PUT /api/v1/accounts/1/contacts/${jane.id} → 200 ok`]),
    ]);
    expect(writes()).toHaveLength(puts);
    expect(jane.custom_attributes).toEqual({ plan: 'enterprise' });
    expect((await janeHere()).fields).toEqual({ plan: 'enterprise' });
    expect(await runsOf(p.server, watcher.id)).toHaveLength(1);
  });
}
