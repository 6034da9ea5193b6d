import { expect } from 'vitest';
import type { Step } from '../../lib/contracts/steps';
import { makeStep, makeWorkflowDefinition } from '../../lib/contracts/workflow.fixtures';
import { getContact } from '../../server/domain/contacts';
import { getConversation, listMessages } from '../../server/domain/conversations';
import { setSetting } from '../../server/domain/settings';
import { createUser } from '../../server/domain/users';
import { writeTriggerIndex } from '../../server/engine/dispatch/trigger-index';
import { executeQueuedRound } from '../../server/engine/executor/batch-round';
import type { Services } from '../../server/services';
import { getRun, insertContact, insertRun, insertWorkflow, makeWorkflow } from '../support/builders';

/** What one run round cost per run: the store's statements, and its round trips on PostgreSQL. */
export interface RoundCost { statements: number; roundTrips: number }

/**
 * Run rounds (no worker running: the test takes them) of `count` runs of `steps`, on as many
 * contacts with an open conversation each, until all have completed. Returns what the rounds cost
 * per run, for the caller to hold to its dialect's budget; the contacts, for its checks.
 */
async function roundOf(services: Services, count: number, steps: Step[]) {
  const contacts: Awaited<ReturnType<typeof insertContact>>[] = [];
  for (let i = 0; i < count; i++) contacts.push(await insertContact(services, { firstName: `C${i}` }));
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps }));
  const ids = await services.db.transaction().execute(async (trx) => {
    const out: string[] = [];
    for (const [n, c] of contacts.entries()) out.push(await insertRun(trx, { workflowId: wf.id, contactId: c.contact.id, conversationId: c.conversation!.id, trigger: { n } }));
    return out;
  });
  const counters = services.store.counters!;
  const before = { statements: counters.statements, roundTrips: counters.roundTrips ?? 0 };
  // Rounds until none is left (a PostgreSQL round may take fewer than asked).
  let done = 0;
  for (let round = 0; done < count && round < count; round++) {
    const results = await executeQueuedRound({ services, owner: 'test-instance', stopping: () => false }, count, 60_000);
    if (!Array.isArray(results)) break;
    done += results.length;
  }
  const cost: RoundCost = { statements: (counters.statements - before.statements) / count, roundTrips: ((counters.roundTrips ?? 0) - before.roundTrips) / count };
  expect(done).toBe(count);
  for (const id of ids) expect((await getRun(services.db, id)).status).toBe('completed');
  return { cost, contacts };
}

/**
 * A comment, a message (built-in inbox) and a comment. Every comment and message lands once, in
 * order, on its contact's conversation; the workflow's message is not the conversation's first
 * response (only a person's reply is, as in Chatwoot).
 */
export async function roundOfComments(services: Services, count: number): Promise<RoundCost> {
  const { cost, contacts } = await roundOf(services, count, [
    makeStep('add_comment', { text: 'a {{$trigger.n}}' }, 'a'),
    makeStep('send_message', { text: 'Hello {{$trigger.n}}' }, 'hi'),
    makeStep('add_comment', { text: 'b {{$trigger.n}}' }, 'b'),
  ]);
  for (const [n, { conversation }] of contacts.entries()) {
    const messages = await listMessages(services.db, conversation!.id);
    expect(messages.map((m) => `${m.kind}:${m.text}`)).toEqual([`comment:a ${n}`, `message:Hello ${n}`, `comment:b ${n}`]);
    expect((await getConversation(services.db, conversation!.id)).firstResponseAt).toBeNull();
  }
  return cost;
}

/**
 * A lifecycle stage, an assignment to an agent and a close with a category, while another
 * workflow listens for closed conversations (a satisfaction survey): each contact is a Customer,
 * its conversation assigned and closed once, as asked, and the survey queued once for it.
 */
export async function roundOfClosings(services: Services, count: number): Promise<RoundCost> {
  await setSetting(services.db, 'lifecycle_stages', ['Lead', 'Customer']);
  const agent = await createUser(services.db, { name: 'Agent', email: 'agent@round.test', role: 'agent' });
  const survey = makeWorkflowDefinition({ name: 'Survey', trigger: { type: 'conversation_closed' }, steps: [makeStep('add_comment', { text: 'How did we do?' }, 'ask')] });
  const surveyWf = await insertWorkflow(services.db, survey);
  await writeTriggerIndex(services.db, surveyWf.id, survey.trigger);
  const { cost, contacts } = await roundOf(services, count, [
    makeStep('update_lifecycle_stage', { stage: 'Customer' }, 'stage'),
    makeStep('assign_to', { userId: agent.user.id }, 'assign'),
    makeStep('close_conversation', { category: 'Sale' }, 'close'),
  ]);
  for (const { contact, conversation } of contacts) {
    expect((await getContact(services.db, contact.id)).lifecycle).toBe('Customer');
    expect(await getConversation(services.db, conversation!.id)).toMatchObject({ status: 'closed', category: 'Sale', closedBySource: 'workflow', assigneeId: agent.user.id });
    // The thread says what the workflow did: one line per change (domain/activity.ts, writeStepLine).
    expect((await listMessages(services.db, conversation!.id)).map((m) => `${m.kind}:${m.text}`)).toEqual([
      'activity:Assigned to Agent by workflow “Test workflow”', 'activity:Conversation was closed by workflow “Test workflow” (Sale)',
    ]);
  }
  for (const type of ['conversation.assigned', 'conversation.closed']) {
    expect((await services.db.selectFrom('events').select('id').where('type', '=', type).execute()).length).toBe(count);
  }
  const surveys = await services.db.selectFrom('runs').select(['contact_id', 'status']).where('workflow_id', '=', surveyWf.id).execute();
  expect(surveys.map((r) => r.contact_id).sort()).toEqual(contacts.map((c) => c.contact.id).sort());
  expect(new Set(surveys.map((r) => r.status))).toEqual(new Set(['queued']));
  const enrolled = await services.db.selectFrom('enrollments').select('contact_id').where('workflow_id', '=', surveyWf.id).execute();
  expect(enrolled.length).toBe(count);
  return cost;
}
