import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { Run } from '../../../lib/contracts/runs';
import type { StepInput } from '../../../lib/contracts/steps';
import type { CwStandinContact } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { eventsOf, startChatwootPair, type ChatwootPair } from './harness';

/**
 * A workflow writing the contact's own email, phone or name on a Chatwoot conversation: the
 * Chatwoot contact gets it (PUT …/contacts/{id}), a refusal there fails the step with Chatwoot's
 * reason and changes nothing, and Chatwoot's contact_updated echo of the write starts nothing
 * again, whether it comes after the answer or before it. Registered by standard-fields.test.ts
 * (SQLite) and standard-fields.pg.test.ts (PostgreSQL: the echo takes the mirror's lock).
 */
export function chatwootStandardFieldsSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() }); });
  afterEach(async () => { await p.close(); });

  const set = (id: string, field: string, value: string): StepInput => ({ id, type: 'update_contact_field', config: { field, value } });
  const puts = (cw: CwStandinContact) => p.cw.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/contacts/${cw.id}`)).map((r) => r.body);
  const admin = () => p.server.api(p.server.adminToken);
  const contactOf = async (id: string) => Contact.parse((await admin().get(`/contacts/${id}`)).body);
  const watch = (field: string) => createWorkflow(p.server, { name: `Watch ${field}`, trigger: { type: 'contact_field_updated', field }, steps: [] });
  const finished = (runId: string) => waitFor(`run ${runId} to end`, async () => {
    const run = Run.parse((await admin().get(`/runs/${runId}`)).body);
    return ['completed', 'failed'].includes(run.status) ? run : undefined;
  });

  /** Jane's Chatwoot conversation opens (its webhook) and `steps` run on it; the finished run. */
  async function runOnChatwoot(steps: StepInput[]) {
    const flow = await createWorkflow(p.server, { name: 'Set', trigger: { type: 'conversation_opened' }, steps });
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: jane.id, labels: ['shipping'], firstMessage: { content: 'Hi', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
    const [started] = await runsOf(p.server, flow.id);
    return { jane, conv, run: await finished(started!.id) };
  }

  /** Chatwoot's contact_updated for what its contact holds now (Contact#webhook_data, changes from previous_changes). */
  const contactUpdated = (cw: CwStandinContact, changed: Record<string, [unknown, unknown]>) => p.hook(p.cw.contactPayload(cw.id, 'contact_updated', {
    ...Object.fromEntries(Object.entries(changed).map(([k, [previous_value, current_value]]) => [k, { previous_value, current_value }])),
    updated_at: { previous_value: new Date(Date.now() - 1000).toISOString(), current_value: new Date().toISOString() },
  }));

  it('writes email, phone and name to the Chatwoot contact too; Chatwoot\'s echo of them starts nothing again', async () => {
    const watchers = await Promise.all(['email', 'phone', 'firstName'].map(watch));
    const { jane, run } = await runOnChatwoot([
      set('email', 'email', 'Jane.New@Example.com'), set('phone', 'phone', '+1 415 555 0199'), set('first', 'firstName', 'Janet'),
    ]);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(puts(jane)).toEqual([{ email: 'jane.new@example.com' }, { phone_number: '+14155550199' }, { name: 'Janet Doe' }]);
    expect(p.cw.contacts.get(jane.id)).toMatchObject({ name: 'Janet Doe', email: 'jane.new@example.com', phone_number: '+14155550199' });
    expect(run.stepLog[0]).toMatchObject({
      output: { field: 'email', oldValue: 'jane@example.com', newValue: 'jane.new@example.com', chatwootContactId: jane.id },
      notes: [expect.stringMatching(new RegExp(`^Chatwoot PUT /api/v1/accounts/1/contacts/${jane.id} → 200 ok$`))],
    });
    expect(await contactOf(run.contactId)).toMatchObject({ firstName: 'Janet', lastName: 'Doe', email: 'jane.new@example.com', phone: '+14155550199' });
    for (const w of watchers) expect(await runsOf(p.server, w.id)).toHaveLength(1);

    const echo = await contactUpdated(jane, { email: ['jane@example.com', 'jane.new@example.com'], phone_number: [null, '+14155550199'], name: ['Jane Doe', 'Janet Doe'] });
    expect(echo).toMatchObject({ status: 200, body: { handled: true, duplicate: false } });
    for (const w of watchers) expect(await runsOf(p.server, w.id)).toHaveLength(1);
    expect((await eventsOf(p.server, 'contact.field_updated')).map((e) => [e.payload.field, e.source])).toEqual([['email', 'workflow'], ['phone', 'workflow'], ['firstName', 'workflow']]);
  });

  it('an echo that comes before Chatwoot answers the PUT starts nothing either; the workflow\'s change fires once', async () => {
    const watcher = await watch('email');
    p.cw.beforeNextContactAnswer = async (id) => {
      const cw = p.cw.contacts.get(id)!;
      expect((await contactUpdated(cw, { email: ['jane@example.com', cw.email] })).status).toBe(200);
    };
    const { jane, run } = await runOnChatwoot([set('email', 'email', 'jane.new@example.com')]);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(p.cw.beforeNextContactAnswer).toBeUndefined();
    expect(p.cw.contacts.get(jane.id)!.email).toBe('jane.new@example.com');
    expect(await runsOf(p.server, watcher.id)).toHaveLength(1);
    expect(await eventsOf(p.server, 'contact.field_updated')).toMatchObject([{ source: 'workflow', payload: { field: 'email', oldValue: 'jane@example.com', newValue: 'jane.new@example.com' } }]);
  });

  it('a value whose variables are empty asks nothing of Chatwoot: the name and the custom attribute stay on both sides', async () => {
    for (const key of ['plan', 'nickname']) expect((await admin().put(`/fields/${key}`, { label: key, type: 'text' })).status).toBe(200);
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com', custom_attributes: { plan: 'pro' } });
    const flow = await createWorkflow(p.server, { name: 'Set', trigger: { type: 'conversation_opened' }, steps: [
      set('first', 'firstName', '{{$contact.fields.nickname}}'), set('plan', 'plan', '{{$contact.fields.nickname}}'),
    ] });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Hi', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
    const [started] = await runsOf(p.server, flow.id);
    const run = await finished(started!.id);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog.map((s) => ({ output: s.output, notes: s.notes }))).toEqual([
      { output: { field: 'firstName', unchanged: true, oldValue: 'Jane' }, notes: ['{{$contact.fields.nickname}} was empty: first name kept as "Jane"'] },
      { output: { field: 'plan', unchanged: true, oldValue: 'pro' }, notes: ['{{$contact.fields.nickname}} was empty: plan kept as "pro"'] },
    ]);
    expect(p.cw.requests.filter((r) => r.method !== 'GET' && r.path.includes(`/contacts/${jane.id}`))).toEqual([]);
    expect(p.cw.contacts.get(jane.id)).toMatchObject({ name: 'Jane Doe', custom_attributes: { plan: 'pro' } });
    expect(await contactOf(run.contactId)).toMatchObject({ firstName: 'Jane', lastName: 'Doe', fields: { plan: 'pro' } });
  });

  it('an email another Chatwoot contact has: the step fails with Chatwoot\'s reason, nothing changes, earlier steps stay done', async () => {
    const watcher = await watch('email');
    const other = p.cw.addContact({ name: 'Other Person', email: 'other@example.com' });
    const { jane, conv, run } = await runOnChatwoot([
      { id: 'label', type: 'update_contact_tag', config: { action: 'add', tags: ['refund'] } },
      set('email', 'email', 'Other@Example.com'),
      { id: 'note', type: 'add_comment', config: { text: 'not reached' } },
    ]);
    expect(run.status).toBe('failed');
    expect(run.error).toBe(`Chatwoot refused to set the email of its contact ${jane.id} to other@example.com ("Email has already been taken"): another Chatwoot contact has this email (if they are the same person, merge the two in Chatwoot). Nothing was changed, here or in Chatwoot`);
    expect(run.stepLog.map((s) => [s.stepId, s.status])).toEqual([['label', 'completed'], ['email', 'failed']]);
    expect(run.stepLog[1]!.notes).toEqual([`Chatwoot PUT /api/v1/accounts/1/contacts/${jane.id} → 422 Email has already been taken`]);
    expect(p.cw.contacts.get(jane.id)!.email).toBe('jane@example.com');
    expect(conv.labels).toEqual(['shipping', 'refund']);
    expect(await contactOf(run.contactId)).toMatchObject({ email: 'jane@example.com', tags: expect.arrayContaining(['refund']) });
    expect(await runsOf(p.server, watcher.id)).toHaveLength(0);

    // Later an agent frees the address and gives it to Jane in Chatwoot: it comes here as her change.
    other.email = null;
    p.cw.contacts.get(jane.id)!.email = 'other@example.com';
    expect((await contactUpdated(jane, { email: ['jane@example.com', 'other@example.com'] })).status).toBe(200);
    expect((await contactOf(run.contactId)).email).toBe('other@example.com');
    expect(await runsOf(p.server, watcher.id)).toHaveLength(1);
  });

  it('a phone another companion contact has fails the step before Chatwoot is asked', async () => {
    const taken = Contact.parse((await admin().post('/contacts', { firstName: 'Ray', phone: '+14155550199' })).body);
    const { jane, run } = await runOnChatwoot([set('phone', 'phone', '+1 415 555 0199')]);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(new RegExp(`^Cannot set phone to \\+14155550199: contact ${taken.id} \\(Ray\\) already has it`));
    expect(puts(jane)).toEqual([]);
  });

  it('Ask a Question saves an email answer to the Chatwoot contact too', async () => {
    const flow = await createWorkflow(p.server, { name: 'ask', trigger: { type: 'conversation_opened' }, steps: [
      { id: 'ask', type: 'ask_question', config: { question: 'Your email?', answerType: 'email', saveToField: 'email' } },
    ] });
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Hi', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const [started] = await runsOf(p.server, flow.id);
    await waitFor('the question', async () => (Run.parse((await admin().get(`/runs/${started!.id}`)).body).status === 'waiting' ? true : undefined));

    const reply = { id: 77002, content: 'Jane@Work.example', message_type: 0 as const, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'Contact' as const };
    conv.messages.push(reply);
    expect((await p.hook(p.cw.messagePayload(conv.id, reply.id))).status).toBe(200);
    const run = await finished(started!.id);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog.at(-1)!.output).toMatchObject({ outcome: 'answered', savedToField: 'email' });
    expect(puts(jane)).toEqual([{ email: 'jane@work.example' }]);
    expect(p.cw.contacts.get(jane.id)!.email).toBe('jane@work.example');
    expect((await contactOf(run.contactId)).email).toBe('jane@work.example');
  });
}
