import { sql } from 'kysely';
import { UNFINISHED_RUN_STATUSES, type CancelRunsResult, type UnfinishedRunStatus } from '../../../lib/contracts/runs';
import { settleRetryingSends } from '../../channels/retrying-sends';
import { endQuestionWaits } from '../../domain/question-replies';
import { inTransaction, type UnitOfWork } from '../../events/unit-of-work';
import { notFound } from '../../http-error';
import { nowIso } from '../../ids';
import type { Services } from '../../services';
import { unblockNextOfPairs } from '../executor/run-queue';
import { isTransactionConflict } from '../../store/transient-errors';
import { launcherOf } from './launched-by';
import type { ActivityLine } from '../../domain/activity';
import { writeStoppedLines } from './stopped-line';

/** Which unfinished runs: a workflow's, or one contact's in it (a pair), optionally only those after a run. */
export interface RunSelection {
  workflowId: string;
  contactId?: string;
  /** Only runs after this one (ids sort by creation): those queued behind it. */
  after?: string;
  statuses?: readonly UnfinishedRunStatus[];
}

const CHUNK = 500;

/**
 * Cancels many runs in the caller's transaction, each as cancelRunIn cancels one: a queued or
 * waiting run never starts again; a running one stops at its next checkpoint (the executor's write
 * is fenced on status 'running', so the step in flight rolls back; an outside call it already made
 * stays made); sends waiting to be retried are settled and question waits ended; the pairs' next
 * queued runs are released. Returns the ids cancelled, oldest first.
 *
 * PostgreSQL: the runs are locked first (after their question waits), in id order, as a round
 * takes a pair's runs. A round that holds one (it is starting or advancing it) commits before the
 * cancel reads it, and the cancel then sees what the round left: ended (not cancelled) or waiting
 * (cancelled, its wait ended). One the cancel holds is passed over by every pick and claim (SKIP
 * LOCKED) and found cancelled after the commit. Either way a run is cancelled whole or not at
 * all, and never started after the cancel.
 */
export async function cancelRunsIn(uow: UnitOfWork, services: Services, selection: RunSelection, error: string, lines: { author?: ActivityLine['author'] } | null = {}): Promise<string[]> {
  const { workflowId, contactId, after, statuses = UNFINISHED_RUN_STATUSES } = selection;
  const postgres = services.store.dialect === 'postgres';
  if (postgres) {
    // Their question waits first, as everyone else takes a wait and then its run (a customer's
    // answer, the step reading it). Taken the other way round, a cancel and an answer arriving
    // together each held what the other wanted (deadlock_detected: the answer failed with a 500).
    await sql`SELECT q.run_id FROM question_waits q JOIN runs r ON r.id = q.run_id
      WHERE r.workflow_id = ${workflowId} AND r.status IN (${sql.join([...statuses])})
      ${contactId ? sql`AND r.contact_id = ${contactId}` : sql``} ${after ? sql`AND r.id > ${after}` : sql``}
      ORDER BY q.run_id FOR UPDATE OF q`.execute(uow.trx);
  }
  // variables: who launched each (its cancel's reason goes to them and admins only, routes/stream).
  let query = uow.trx.selectFrom('runs').select(['id', 'contact_id', 'status', 'attempts', 'variables', 'conversation_id', 'event_type', 'workflow_version'])
    .where('workflow_id', '=', workflowId).where('status', 'in', [...statuses]);
  if (contactId) query = query.where('contact_id', '=', contactId);
  if (after) query = query.where('id', '>', after);
  query = query.orderBy('id');
  const rows = await (postgres ? query.forUpdate() : query).execute();
  if (rows.length === 0) return [];

  const now = nowIso();
  for (let i = 0; i < rows.length; i += CHUNK) {
    await uow.trx.updateTable('runs')
      .set({ status: 'cancelled', error, ended_at: now, updated_at: now, wake_at: null, lease_until: null, blocked: 0 })
      .where('id', 'in', rows.slice(i, i + CHUNK).map((r) => r.id)).where('status', 'in', [...UNFINISHED_RUN_STATUSES])
      .execute();
  }
  // Only a run that has been taken once may have left sends to retry or a question waiting.
  const unsent: { conversation_id: string; contactId: string }[] = [];
  for (const run of rows.filter((r) => r.status !== 'queued' || r.attempts > 0)) {
    const settled = await settleRetryingSends(uow.trx, run.id, `Not sent: the run was ${error[0]!.toLowerCase()}${error.slice(1)}`);
    unsent.push(...settled.map((m) => ({ conversation_id: m.conversation_id, contactId: run.contact_id })));
    await endQuestionWaits(uow, services, run.id, run.contact_id);
  }
  if (lines) await writeStoppedLines(uow, services, rows, workflowId, error, lines.author);
  // A pair's run queued behind them (created meanwhile, or not selected) is its new head.
  const pairs = [...new Set(rows.map((r) => r.contact_id))];
  for (let i = 0; i < pairs.length; i += CHUNK) {
    await unblockNextOfPairs(uow.trx, services.store.dialect, pairs.slice(i, i + CHUNK).map((c) => ({ id: '', workflowId, contactId: c })));
  }
  uow.afterCommit(() => {
    for (const m of unsent) services.live.publish({ type: 'conversation.changed', conversationId: m.conversation_id, contactId: m.contactId });
    for (const run of rows) services.live.publish({ type: 'run.updated', runId: run.id, workflowId, status: 'cancelled', error, launchedBy: launcherOf(run.variables) });
    // Those executing may have a request in flight; one claimed since the read stops before its next attempt.
    services.runAborts.cancelled(rows.filter((r) => r.status === 'running').map((r) => r.id));
    services.runSignal.notify();
  });
  return rows.map((r) => r.id);
}

/**
 * POST /workflows/:id/runs/cancel: the workflow's unfinished runs (of these statuses) cancelled
 * together, "Cancelled by <name>" as a single cancel says it. 404 for an unknown workflow.
 */
export async function cancelWorkflowRuns(services: Services, workflowId: string, by: { id?: string; name: string }, statuses?: readonly UnfinishedRunStatus[]): Promise<CancelRunsResult> {
  return retryingLockConflicts(() => inTransaction(services.db, async (uow) => {
    const found = await uow.trx.selectFrom('workflows').select('id').where('id', '=', workflowId).executeTakeFirst();
    if (!found) throw notFound(`Workflow ${workflowId}`);
    const runIds = await cancelRunsIn(uow, services, { workflowId, ...(statuses ? { statuses } : {}) }, `Cancelled by ${by.name}`, by.id ? { author: { type: 'user', id: by.id } } : {});
    return { cancelled: runIds.length, runIds };
  }));
}

const ATTEMPTS = 5;

/**
 * PostgreSQL: a transaction that locks many runs can meet a round's locks in a cycle (a round
 * writes its claimed runs' checkpoints in one statement, in its own order) and be chosen to fail
 * (deadlock_detected, 40P01). It rolled back whole, so it is tried again, as deleting a contact is.
 */
export async function retryingLockConflicts<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= ATTEMPTS || !isTransactionConflict(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}
