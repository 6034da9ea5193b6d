import type { Run } from '../../../lib/contracts/runs';
import { inTransaction, type UnitOfWork } from '../../events/unit-of-work';
import { HttpError } from '../../http-error';
import { nowIso } from '../../ids';
import { settleRetryingSends } from '../../channels/retrying-sends';
import { endQuestionWaits } from '../../domain/question-replies';
import type { Services } from '../../services';
import { unblockNext } from '../executor/run-queue';
import { getRun } from './queries';
import { launcherOf } from './launched-by';
import type { ActivityLine } from '../../domain/activity';
import { writeStoppedLines } from './stopped-line';

/**
 * Stops a run that has not ended. A queued or waiting run never starts again; a running one
 * stops at its next checkpoint: the executor's write is fenced on status 'running', so the step
 * in flight rolls back with its own changes. An outside step's request in flight is aborted and
 * no further attempt starts (run-aborts.ts); what it already sent is logged in the cancelled run.
 * The next queued run of the same contact in the workflow may then start.
 */
export async function cancelRun(services: Services, id: string, by: { id?: string; name: string }): Promise<Run> {
  return inTransaction(services.db, async (uow) => {
    const error = `Cancelled by ${by.name}`;
    if (!(await cancelRunIn(uow, services, id, error, by.id ? { author: { type: 'user', id: by.id } } : undefined))) {
      const ended = await getRun(uow.trx, id);
      throw new HttpError(409, 'run_ended', `Run ${id} has already ended (${ended.status})`);
    }
    return getRun(uow.trx, id);
  });
}

/**
 * What a stopped run leaves in its conversation (domain/activity.ts): "Workflow “X” stopped:
 * <error>", by the rule every cancel follows (stopped-line.ts), `author` the one who stopped it,
 * else the workflow; null: none (the caller says it in a line of its own: a take over, a close).
 */
export type StopLine = { author?: ActivityLine['author'] } | null;

/**
 * The cancel itself, in the caller's transaction: false when the run has already ended.
 * `error` is what the run history says ("Cancelled by Ana"), in a sentence's first words.
 */
export async function cancelRunIn(uow: UnitOfWork, services: Services, id: string, error: string, line?: StopLine): Promise<boolean> {
  const current = await getRun(uow.trx, id);
  // PostgreSQL: its question wait before the run, as a customer's answer takes them (else the two
  // at once deadlocked, and one of them failed with a 500; see cancel-runs.ts).
  if (services.store.dialect === 'postgres') await uow.trx.selectFrom('question_waits').select('run_id').where('run_id', '=', id).forUpdate().execute();
  const now = nowIso();
  const result = await uow.trx.updateTable('runs')
    .set({ status: 'cancelled', error, ended_at: now, updated_at: now, wake_at: null, lease_until: null, blocked: 0 })
    .where('id', '=', id).where('status', 'in', ['queued', 'waiting', 'running'])
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await unblockNext(uow.trx, services.store.dialect, current.workflowId, current.contactId);
  const unsent = await settleRetryingSends(uow.trx, id, `Not sent: the run was ${error[0]!.toLowerCase()}${error.slice(1)}`);
  // A question it waits on takes no reply any more (routing already skips ended runs' rows), and
  // the inboxes showing it hear so (a take over by one agent, seen by all).
  await endQuestionWaits(uow, services, id, current.contactId);
  // Its conversation says it stopped, in place of a line that said it would try again.
  if (line !== null) {
    const run = {
      id, contact_id: current.contactId, conversation_id: current.conversationId, status: current.status, attempts: current.attempts, variables: current.variables,
      event_type: current.triggerEvent.type, workflow_version: current.workflowVersion,
    };
    await writeStoppedLines(uow, services, [run], current.workflowId, error, line?.author);
  }
  uow.afterCommit(() => {
    for (const m of unsent) services.live.publish({ type: 'conversation.changed', conversationId: m.conversation_id, contactId: current.contactId });
    services.live.publish({ type: 'run.updated', runId: id, workflowId: current.workflowId, status: 'cancelled', error, launchedBy: launcherOf(current.variables) });
    // Whatever it was when read: an executor may have claimed it since (a request of its to abort).
    services.runAborts.cancelled([id]);
    services.runSignal.notify();
  });
  return true;
}
