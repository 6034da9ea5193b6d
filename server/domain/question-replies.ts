import type { UnitOfWork } from '../events/unit-of-work';
import { nowIso } from '../ids';
import type { Services } from '../services';
import type { Executor } from '../store/database';

/**
 * The question wait an incoming message on this conversation would answer: the oldest one still
 * open. Only a run that still waits (or is being run right now) takes it: the row of a cancelled
 * or failed run must not swallow a reply meant for a later question, nor one whose question a
 * channel has not taken yet (unsent: the customer has not seen it).
 */
const openQuestion = (db: Executor, conversationId: string) => db.selectFrom('question_waits').innerJoin('runs', 'runs.id', 'question_waits.run_id')
  .where('question_waits.conversation_id', '=', conversationId).where('question_waits.answer', 'is', null)
  .where('question_waits.unsent', '=', 0).where('runs.status', 'in', ['waiting', 'running'])
  .orderBy('question_waits.created_at').limit(1);

/**
 * An incoming message on a conversation where a run waits on an Ask a Question step: stored as that
 * run's answer and the run woken at once, in the message's transaction. Called before the message
 * is recorded, so no other trigger logic sees it first. Returns the run id it went to, if any.
 */
export async function routeReplyToWaitingRun(uow: UnitOfWork, services: Services, conversationId: string, messageId: string, text: string): Promise<string | null> {
  const wait = await openQuestion(uow.trx, conversationId).select(['question_waits.run_id as run_id']).executeTakeFirst();
  if (!wait) return null;
  await uow.trx.updateTable('question_waits').set({ answer: text, answer_message_id: messageId }).where('run_id', '=', wait.run_id).execute();
  const woken = await uow.trx.updateTable('runs').set({ wake_at: nowIso() }).where('id', '=', wait.run_id).where('status', '=', 'waiting').executeTakeFirst();
  // The customer waits on the next message: the run goes ahead of any backlog, as a shortcut's does.
  uow.afterCommit(() => {
    services.runSignal.notify();
    if (Number(woken.numUpdatedRows) > 0) services.runSignal.express([wait.run_id]);
  });
  return wait.run_id;
}

/**
 * For the agent: a workflow waits on the customer's answer here, so their next message goes to it
 * (routeReplyToWaitingRun), not to the agent's thread of thought. Null when none does.
 */
export async function awaitingAnswerOn(db: Executor, conversationId: string) {
  const row = await openQuestion(db, conversationId).innerJoin('workflows', 'workflows.id', 'runs.workflow_id')
    .select(['runs.id as run_id', 'runs.workflow_id as workflow_id', 'workflows.name as workflow_name', 'question_waits.expires_at as expires_at'])
    .executeTakeFirst();
  return row ? { runId: row.run_id, workflowId: row.workflow_id, workflowName: row.workflow_name, until: row.expires_at } : null;
}

/**
 * A run's questions stop waiting (answered, timed out, invalid, taken over, cancelled, failed):
 * their rows go, and the conversations they were on are told (`conversation.changed`), so an
 * inbox showing "waiting for the customer's answer" drops it at once for every agent, not at
 * its next refresh. Returns those conversations.
 */
export async function deleteQuestionWaits(db: Executor, runId: string): Promise<string[]> {
  const rows = await db.deleteFrom('question_waits').where('run_id', '=', runId).returning('conversation_id').execute();
  return [...new Set(rows.map((r) => r.conversation_id))];
}

/** deleteQuestionWaits in a transaction, the conversations told once it commits. */
export async function endQuestionWaits(uow: UnitOfWork, services: Services, runId: string, contactId: string): Promise<void> {
  const conversations = await deleteQuestionWaits(uow.trx, runId);
  if (conversations.length) uow.afterCommit(() => publishQuestionEnded(services, conversations, contactId));
}

export function publishQuestionEnded(services: Services, conversationIds: string[], contactId: string) {
  for (const conversationId of conversationIds) services.live.publish({ type: 'conversation.changed', conversationId, contactId });
}
