import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { ConversationDetail, ConversationList } from '../../lib/contracts/conversations';
import { Run } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { inTransaction } from '../../server/events/unit-of-work';
import { openConversation } from '../../server/domain/conversations';
import { insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow, runsOf } from './engine-support';

/**
 * Registered by assign-ask-open-first.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A respond.io
 * admin's webhook flow ("order paid" → assign to Ava / ask the order number) failed for a customer
 * with no open conversation: "Cannot assign: the contact has no open conversation". respond.io's
 * Assign To opens the conversation, and asking sends a message, which opens one as Send message
 * does; both now open it first the same way (last channel, Conversation Opened with source
 * Workflow, the seeds' rule), and a step run again after a crash opens nothing twice.
 */
export function assignAskOpenFirstSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let ava: { id: string; api: Api };
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl() });
    admin = server.api(server.adminToken);
    const made = await server.createUser('agent', { name: 'Ava' });
    ava = { id: made.user.id, api: server.api(made.token) };
  });
  afterEach(async () => { await server.close(); });

  const ASK: StepInput = { id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'number', timeoutSeconds: 600, saveToVariable: 'order' } } as StepInput;
  const SAID: StepInput = { id: 'said', type: 'add_comment', config: { text: 'Order {{$step.order}}' } };
  const assignAva = (): StepInput => ({ id: 'assign', type: 'assign_to', config: { userId: ava.id } });

  /** A customer whose last conversation was closed: nothing open when the webhook comes. */
  async function customerWithNothingOpen() {
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Maria', phone: '+14155550123' })).body);
    const first = await admin.post('/conversations', { contactId: contact.id });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect((await admin.post(`/conversations/${first.body.id}/close`, {})).status).toBe(200);
    return contact;
  }
  /** "Order paid" from the shop: an incoming webhook naming the customer by phone. */
  async function webhookRun(steps: StepInput[]) {
    const flow = await createWorkflow(server, { name: 'Order paid', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' } }, steps });
    const hook = new URL((flow.trigger as { url: string }).url).pathname;
    const res = await server.request('POST', hook, { body: { phone: '+14155550123' } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.runIds[0] as string;
  }
  const openOf = async (contactId: string) => ConversationList.parse((await admin.get(`/conversations?contactId=${contactId}&status=open`)).body).conversations;
  const allOf = async (contactId: string) => ConversationList.parse((await admin.get(`/conversations?contactId=${contactId}`)).body).conversations;
  const detail = async (id: string) => ConversationDetail.parse((await admin.get(`/conversations/${id}`)).body);
  const runOf = async (id: string) => Run.parse((await admin.get(`/runs/${id}`)).body);
  const OPENED_NOTE = /^The contact had no open conversation: this step opened cnv_\w+ first, as an "Open conversation" step \(last channel\) would$/;

  it('Assign to with no conversation open opens one (source workflow) and assigns it; the run log says so', async () => {
    const contact = await customerWithNothingOpen();
    const run = await waitForRun(server.app.services.db, await webhookRun([assignAva()]));
    expect(run.status, run.error ?? '').toBe('completed');
    const open = await openOf(contact.id);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ openedBySource: 'workflow', assigneeId: ava.id });
    expect(run.stepLog[0]!.notes).toContainEqual(expect.stringMatching(OPENED_NOTE));
    // Ava sees it as hers.
    expect(ConversationList.parse((await ava.api.get('/conversations?status=open&assigneeId=me')).body).conversations.map((c) => c.id)).toEqual([open[0]!.id]);
  });

  it('Ask a Question with no conversation open opens one, asks once there, and the customer\'s answer resumes the run', async () => {
    const contact = await customerWithNothingOpen();
    const runId = await webhookRun([ASK, SAID]);
    await waitForRun(server.app.services.db, runId, ['waiting']);
    const [open] = await openOf(contact.id);
    expect(open).toMatchObject({ openedBySource: 'workflow' });
    expect((await detail(open!.id)).messages.filter((m) => m.kind === 'message').map((m) => [m.direction, m.text])).toEqual([['outgoing', 'Your order number?']]);

    const answer = await admin.post(`/conversations/${open!.id}/messages`, { text: '4711', direction: 'incoming' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const run = await waitForRun(server.app.services.db, runId);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog[0]!.notes).toContainEqual(expect.stringMatching(OPENED_NOTE));
    expect(run.stepLog.at(-2)!.output).toMatchObject({ outcome: 'answered', answer: 4711 });
    const thread = (await detail(open!.id)).messages.filter((m) => m.kind !== 'activity').map((m) => [m.kind, m.direction, m.text]);
    expect(thread).toEqual([['message', 'outgoing', 'Your order number?'], ['message', 'incoming', '4711'], ['comment', 'outgoing', 'Order 4711']]);
    expect(await allOf(contact.id)).toHaveLength(2);
  });

  it.each([
    ['Assign to', () => [assignAva()]],
    ['Ask a Question', () => [ASK]],
  ])('%s opening the conversation fires Conversation Opened once with source Workflow, not a Contact-source trigger', async (_name, steps) => {
    const byWorkflow = await createWorkflow(server, {
      name: 'Opened by a workflow',
      trigger: { type: 'conversation_opened', conditions: { logic: 'and', rules: [{ field: 'source', operator: 'is', value: 'workflow' }] } },
      steps: [{ id: 'note', type: 'add_comment', config: { text: 'opened by {{$trigger.source}}' } }],
    });
    const byContact = await createWorkflow(server, {
      name: 'Customer wrote first',
      trigger: { type: 'conversation_opened', conditions: { logic: 'and', rules: [{ field: 'source', operator: 'is', value: 'contact' }] } },
      steps: [{ id: 'hi', type: 'send_message', config: { text: 'Welcome!' } }],
    });
    const contact = await customerWithNothingOpen();
    const runId = await webhookRun(steps());
    await waitForRun(server.app.services.db, runId, ['completed', 'waiting', 'failed']);
    const [open] = await openOf(contact.id);
    const [listener] = await waitFor('the Conversation Opened run', async () => {
      const runs = await runsOf(server, byWorkflow.id);
      return runs.length && runs[0]!.status === 'completed' ? runs : undefined;
    });
    expect(await runsOf(server, byWorkflow.id)).toHaveLength(1);
    expect(listener).toMatchObject({ contactId: contact.id, conversationId: open!.id, variables: { trigger: { source: 'workflow', conversationId: open!.id } } });
    expect(await runsOf(server, byContact.id)).toEqual([]);
    const opened = (await server.events('conversation.opened')).filter((e) => e.payload.conversationId === open!.id);
    expect(opened.map((e) => e.source)).toEqual(['workflow']);
    expect((await detail(open!.id)).messages.filter((m) => m.kind === 'comment').map((m) => m.text)).toEqual(['opened by workflow']);
  });

  it('a retry after a crash between the open and the assignment finds the opened conversation and does not open another', async () => {
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Maria', phone: '+14155550123' })).body);
    const services = server.app.services;
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [assignAva()] }));
    // What the crash leaves: the step's own transaction that opened the conversation (source
    // workflow, Opened recorded) committed; no assignment, no checkpoint (the run still queued).
    const opened = await inTransaction(services.db, (uow) => openConversation(uow, services, contact.id, { source: 'workflow', depth: 1, by: wf.id }));
    const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
    services.runSignal.notify();
    const run = await waitForRun(services.db, runId);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(await allOf(contact.id)).toMatchObject([{ id: opened.id, status: 'open', assigneeId: ava.id }]);
    expect((await server.events('conversation.opened')).filter((e) => e.contactId === contact.id)).toHaveLength(1);
    expect(run.stepLog[0]!.notes ?? []).not.toContainEqual(expect.stringMatching(OPENED_NOTE));
  });

  it('a retry after a crash past the assignment, the conversation closed meanwhile, opens no second conversation', async () => {
    const contact = await customerWithNothingOpen();
    const runId = await webhookRun([assignAva()]);
    expect((await waitForRun(server.app.services.db, runId)).status).toBe('completed');
    const [open] = await openOf(contact.id);
    // Ava closes it at once; the run, as a crash before its checkpoint leaves it, is back at the step.
    expect((await ava.api.post(`/conversations/${open!.id}/close`, {})).status).toBe(200);
    await server.store.db.updateTable('runs').set({ status: 'queued', cursor: 0, step_log: '[]', wake_at: null, ended_at: null }).where('id', '=', runId).execute();
    server.app.services.runSignal.notify();
    const again = await waitFor('the resumed run to end', async () => {
      const run = await runOf(runId);
      return run.status === 'completed' && run.stepLog.length === 1 ? run : run.status === 'failed' ? run : undefined;
    });
    expect(again.status, again.error ?? '').toBe('completed');
    expect(again.stepLog[0]!.notes).toContainEqual('The assignment was made before a restart, in a conversation closed since; no conversation was opened again');
    expect(await openOf(contact.id)).toEqual([]);
    expect(await allOf(contact.id)).toHaveLength(2);
  });

  it('Unassign with no conversation open opens none: there is nobody to unassign', async () => {
    const contact = await customerWithNothingOpen();
    const run = await waitForRun(server.app.services.db, await webhookRun([{ id: 'assign', type: 'assign_to', config: { userId: 'unassign' } }]));
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog[0]!.notes).toEqual(['The contact has no open conversation: there was nobody to unassign']);
    expect(await openOf(contact.id)).toEqual([]);
  });
}
