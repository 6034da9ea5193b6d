import { sql } from 'kysely';
import type { AwaitingAnswerState } from '../../lib/contracts/conversations';
import type { UnitOfWork } from '../events/unit-of-work';
import { nowIso } from '../ids';
import type { Services } from '../services';
import type { Executor } from '../store/database';
import { addPassedOverNote, passedOverNote, workflowNameOfRun, type PassedBy } from './passed-over';
import { repliedRun, type ReplyTarget } from './question-target';
import { shortcutLabel } from './shortcut-label';
import { replaceHeldAnswer, settleUntil } from './late-replies';

/**
 * A question waits until its time limit, and no longer: past it, it has timed out, whether or not
 * the engine has woken its run yet (the run takes its timed-out exit when it does, ask-question.ts,
 * since no answer was stored). One rule for every reader: a reply routed here, the notices that
 * say where the customer's next message goes (GET /conversations/:id, /awaiting-answer, read by the
 * inbox, the launcher and the Dashboard App through lib/workflow/waiting-on.ts questionsWaiting,
 * which hides a question at its `until`), Take over, and a close (closing-questions.ts). Before,
 * the notices hid a question at its time while a reply typed then could still become its answer,
 * however late the engine got to the run; a reply after the limit the workflow was built with is
 * a message to the agent, the limit being what the workflow's builder chose (as RapidPro's
 * timeouts: "Contacts who reply within the 5-minute limit will immediately receive the next
 * message… For those who do not respond within the allotted time, a ‘No Response’ message can be
 * sent", https://rapidpro.app/?p=24543), not how busy the engine was.
 * The bound a wait's `expires_at` (ISO 8601 in UTC, as nowIso writes it) must be past to still wait.
 */
export const waitingCutoff = () => nowIso();

/**
 * The question waits an incoming message on this conversation could answer, the one put to the
 * customer last first. Only a run that still waits (or is being run right now) takes one: the
 * row of a cancelled or failed run must not swallow a reply meant for a later question, nor one
 * whose question a channel has not taken yet (unsent: the customer has not seen it), nor one past
 * its time limit (waitingCutoff).
 */
const openQuestions = (db: Executor, conversationId: string) => db.selectFrom('question_waits').innerJoin('runs', 'runs.id', 'question_waits.run_id')
  .where('question_waits.conversation_id', '=', conversationId).where('question_waits.answer', 'is', null)
  .where('question_waits.unsent', '=', 0).where('runs.status', 'in', ['waiting', 'running'])
  .where('question_waits.expires_at', '>', waitingCutoff())
  .orderBy(sql`coalesce(question_waits.asked_at, question_waits.created_at)`, 'desc').orderBy('question_waits.run_id', 'desc');

/**
 * A message the customer wrote before the question was put to them (asked, or asked again) answers
 * nothing: Chatwoot sends its webhooks from a queue in no set order, so one written earlier may
 * come after the question went out, and Meta's may come late too. It goes to the usual triggers,
 * as any message before a question does; the customer's first message written after it answers
 * (a respond.io or Chatwoot bot handoff takes the reply by the inbox's time, not by arrival).
 * `writtenAt` is the inbox's own time (Chatwoot's created_at, Meta's sent_at); without one, the
 * message arrived now, after any question. Compared in whole seconds: WhatsApp's and Chatwoot's
 * embedded times have no milliseconds, so a reply in the second the question went out still counts.
 */
const writtenBefore = (writtenAt: string | undefined, askedAt: string) =>
  writtenAt !== undefined && Date.parse(writtenAt) < Math.floor(Date.parse(askedAt) / 1000) * 1000;

/**
 * An incoming message on a conversation where a run waits on an Ask a Question step: stored as that
 * run's answer and the run woken at once (a reply from Chatwoot a moment later: late-replies.ts),
 * in the message's transaction. Called before the message
 * is recorded, so no other trigger logic sees it first. Returns the run id it went to, if any.
 *
 * Two workflows may ask the same customer at once (a later one is not held off). A reply that
 * names a question (a tapped button or list row, a quick reply, a quoted message: question-target.ts)
 * goes to that question, and to none when it waits no more (as a reply after a timeout is only a
 * message); any other goes to the question asked last, the one the customer has just read (n8n's
 * waiting executions are each resumed by their own URL; a chat has only the thread). The other
 * questions keep waiting, and their runs' logs say where the message went (passed-over.ts).
 */
export async function routeReplyToWaitingRun(uow: UnitOfWork, services: Services, conversationId: string, messageId: string, text: string, target?: ReplyTarget, written?: { at: string; settle: boolean }): Promise<string | null> {
  const writtenAt = written?.at;
  if (written?.settle) {
    const replaced = await replaceHeldAnswer(uow.trx, conversationId, messageId, text, written.at, (askedAt) => writtenBefore(written.at, askedAt), waitingCutoff());
    if (replaced) return replaced;
  }
  const rows = await openQuestions(uow.trx, conversationId).select(['question_waits.run_id as run_id', 'question_waits.asked_at as asked_at', 'question_waits.created_at as created_at']).execute();
  const open = rows.filter((q) => !writtenBefore(writtenAt, q.asked_at ?? q.created_at));
  if (open.length === 0) return null;
  const named = target?.payload || target?.inReplyTo ? await repliedRun(uow.trx, target) : null;
  const chosen = named ? open.find((q) => q.run_id === named)?.run_id ?? null : open[0]!.run_id;
  const passed = open.map((q) => q.run_id).filter((id) => id !== chosen);
  let note: string | null = null;
  if (passed.length) {
    const by: PassedBy = !named ? { kind: 'latest', to: chosen! } : chosen ? { kind: 'named', to: chosen } : { kind: 'gone', to: named };
    note = passedOverNote(text, by, await workflowNameOfRun(uow.trx, by.to));
  }
  // Waits first, then their runs, each in id order, as a cancel takes them (cancel-runs.ts).
  const ids = open.map((q) => q.run_id).sort();
  for (const id of ids) {
    if (id === chosen) await uow.trx.updateTable('question_waits').set({ answer: text, answer_message_id: messageId }).where('run_id', '=', id).execute();
    else await addPassedOverNote(uow.trx, id, note!);
  }
  const now = nowIso();
  // Held a moment for a late webhook of a reply written before it (late-replies.ts).
  const settle = written?.settle ? settleUntil(written.at) : null;
  let wokenChosen = false;
  // The runs passed over are woken too, so their logs say so now, not at their timeout.
  for (const id of ids) {
    const woken = await uow.trx.updateTable('runs').set({ wake_at: id === chosen && settle ? new Date(settle).toISOString() : now }).where('id', '=', id).where('status', '=', 'waiting').executeTakeFirst();
    if (id === chosen) wokenChosen = Number(woken.numUpdatedRows) > 0;
  }
  // The customer waits on the next message: the run goes ahead of any backlog, as a shortcut's does.
  uow.afterCommit(() => {
    services.runSignal.notify();
    if (wokenChosen && settle) setTimeout(() => { services.runSignal.notify(); services.runSignal.express([chosen!]); }, settle - Date.now() + 5).unref();
    else if (wokenChosen) services.runSignal.express([chosen!]);
  });
  return chosen;
}

/**
 * For the agent: the questions waiting on the customer's answer here, the one asked last first:
 * their next typed message goes to it (routeReplyToWaitingRun, by the same rule: openQuestions),
 * a tapped or quoted one to the question it names. Another workflow's question asked before is
 * shown first once that one has ended. One list for every view (GET /conversations/:id, the
 * polled /awaiting-answer, Take over's answer, the inbox's Close dialog): `awaitingAnswer` is its
 * first and `awaitingAnswers` all of it. They were two queries with two rules for a run's status,
 * so a question could be listed with a Take over that then found nothing to stop, and the route
 * the Dashboard App polls paid for both. With `runId`: that run's question, if it waits here (the
 * one an agent was shown may not be the last asked any more).
 */
export async function questionsWaitingOn(db: Executor, conversationId: string, runId?: string) {
  let open = openQuestions(db, conversationId);
  if (runId) open = open.where('question_waits.run_id', '=', runId);
  const rows = await open.innerJoin('workflows', 'workflows.id', 'runs.workflow_id')
    // The label of the shortcut a run was launched from (its version's trigger): named as the agent knows it.
    .leftJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'runs.workflow_id').onRef('v.version', '=', 'runs.workflow_version'))
    .select(['runs.id as run_id', 'runs.workflow_id as workflow_id', 'workflows.name as workflow_name', 'question_waits.expires_at as expires_at', 'runs.event_type as event_type', 'v.definition as definition'])
    .execute();
  return rows.map((r) => ({ runId: r.run_id, workflowId: r.workflow_id, workflowName: r.workflow_name, shortcutName: shortcutLabel(r.event_type, r.definition), until: r.expires_at }));
}

/** The question asked last of questionsWaitingOn (null: none waits); with `runId`, that run's. */
export const awaitingAnswerOn = async (db: Executor, conversationId: string, runId?: string) =>
  (await questionsWaitingOn(db, conversationId, runId))[0] ?? null;

/** What a conversation's views say waits on the customer: the list of questionsWaitingOn and its first, from one read. */
export async function awaitingAnswerState(db: Executor, conversationId: string): Promise<AwaitingAnswerState> {
  const list = await questionsWaitingOn(db, conversationId);
  return { awaitingAnswer: list[0] ?? null, awaitingAnswers: list };
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
