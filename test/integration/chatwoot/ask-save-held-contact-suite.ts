import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { Run } from '../../../lib/contracts/runs';
import { cwFaults, type CwStandinContact } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

/**
 * Ask a Question's *save answer to field* on a conversation that is not Chatwoot's (here the
 * built-in inbox's) for a contact that Chatwoot also knows: the answer goes to the Chatwoot
 * contact first (PUT …/contacts/{id}), then here, as Update Contact Field writes it
 * (contact-step-suite.ts); it was saved here only, so the agent in Chatwoot never saw it.
 * Chatwoot busy or down puts the step off with the answer kept. Registered by
 * ask-save-held-contact.test.ts (SQLite) and ask-save-held-contact.pg.test.ts (PostgreSQL).
 */
export function askSaveHeldContactSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  let cwJane: CwStandinContact;
  let janeId: string;
  let conversationId: string;
  beforeEach(async () => {
    p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() });
    expect((await admin().put('/fields/plan', { label: 'Plan', type: 'text' })).status).toBe(200);
    // Jane writes in the built-in inbox; Chatwoot learns of her (same email) with no conversation there.
    janeId = Contact.parse((await admin().post('/contacts', { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' })).body).id;
    const opened = await admin().post('/conversations', { contactId: janeId });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.connectionId).toBeNull();
    conversationId = opened.body.id;
    cwJane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    expect((await p.hook(p.cw.contactPayload(cwJane.id, 'contact_created'))).status).toBe(200);
    expect((await admin().get('/contacts')).body.contacts.map((c: { id: string }) => c.id)).toEqual([janeId]);
    p.cw.requests.length = 0;
  });
  afterEach(async () => { await p.close(); });
  const admin = () => p.server.api(p.server.adminToken);
  const runOf = async (id: string) => Run.parse((await admin().get(`/runs/${id}`)).body);

  /** Starts a workflow asking `config` on Jane; its run id once the question waits. */
  async function ask(config: Record<string, unknown>) {
    const flow = await createWorkflow(p.server, { name: 'Ask Jane', trigger: { type: 'manual' }, steps: [{ id: 'ask', type: 'ask_question', config: { ...config, timeoutSeconds: 3600 } as never }] });
    const started = await admin().post(`/workflows/${flow.id}/start`, { contact: { id: janeId } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const runId = started.body.runIds[0] as string;
    await waitFor('the question', async () => ((await runOf(runId)).status === 'waiting' ? true : undefined));
    // Asked here only: the conversation is the built-in inbox's.
    expect(p.cw.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    return runId;
  }
  const answer = async (text: string) => expect((await admin().post(`/conversations/${conversationId}/messages`, { text, direction: 'incoming', kind: 'message' })).status).toBe(201);
  const ended = (runId: string) => waitFor('the run to end', async () => { const r = await runOf(runId); return ['completed', 'failed'].includes(r.status) ? r : undefined; });
  const writes = () => p.cw.requests.filter((r) => r.method !== 'GET').map((r) => [`${r.method} ${r.path}`, r.body]);
  const PLAN = { question: 'Which plan?', answerType: 'choice', choices: ['Basic', 'Pro'], presentation: 'text', saveToField: 'plan' };

  it.each([
    ['a custom field: the Chatwoot contact\'s attribute', PLAN, '2', { custom_attributes: { plan: 'Pro' } }, { fields: { plan: 'Pro' } }],
    ['the first name: the Chatwoot contact\'s name', { question: 'What should we call you?', answerType: 'text', saveToField: 'firstName' }, 'Janet',
      { name: 'Janet Doe' }, { firstName: 'Janet', lastName: 'Doe' }],
  ])('%s gets the answer, then the contact here', async (_name, config, reply, put, here) => {
    const runId = await ask(config);
    await answer(reply);
    const run = await ended(runId);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog.at(-1)!.output).toMatchObject({ outcome: 'answered', savedToField: config.saveToField });
    expect(writes()).toEqual([[`PUT /api/v1/accounts/1/contacts/${cwJane.id}`, put]]);
    expect(Contact.parse((await admin().get(`/contacts/${janeId}`)).body)).toMatchObject(here);
  });

  it('Chatwoot down when the answer comes: the step waits with the answer kept, and its next try saves it there, then here', async () => {
    const runId = await ask(PLAN);
    p.cw.failNext(/^PUT \/api\/v1\/accounts\/1\/contacts\/\d+$/, cwFaults.unavailable());
    await answer('2');
    const waiting = await waitFor('the step to wait for a retry', async () => {
      const r = await runOf(runId);
      return r.status === 'waiting' && r.stepLog.at(-1)?.status === 'retrying' ? r : undefined;
    });
    expect(waiting.stepLog.at(-1)!.error).toMatch(/503 Service Temporarily Unavailable/);
    expect(Contact.parse((await admin().get(`/contacts/${janeId}`)).body).fields).toEqual({});

    await p.server.store.db.updateTable('runs').set({ wake_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', runId).execute();
    p.server.app.services.runSignal.notify();
    const run = await ended(runId);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog.at(-1)!.output).toMatchObject({ outcome: 'answered', answer: 'Pro', savedToField: 'plan' });
    expect(writes()).toEqual([[`PUT /api/v1/accounts/1/contacts/${cwJane.id}`, { custom_attributes: { plan: 'Pro' } }], [`PUT /api/v1/accounts/1/contacts/${cwJane.id}`, { custom_attributes: { plan: 'Pro' } }]]);
    expect(cwJane.custom_attributes).toEqual({ plan: 'Pro' });
    expect(Contact.parse((await admin().get(`/contacts/${janeId}`)).body).fields).toEqual({ plan: 'Pro' });
  });
}
