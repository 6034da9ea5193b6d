import type { StepLogEntry } from '../../../lib/contracts/runs';
import type { UnitOfWork } from '../../events/unit-of-work';
import { nowIso } from '../../ids';
import type { Services } from '../../services';
import { runShaped } from '../../store/compiled-sql';
import { toJson, type Db } from '../../store/database';
import { unblockNext } from './run-queue';
import { launcherOf } from '../workflows/launched-by';
import type { NextState } from './transition';
import type { RunsTable } from '../../store/schema';
import { hasRunLine, writeRunLines } from './run-activity';

/**
 * Who holds a run: its id, the owner and the claim number (attempts) that fence stale writers.
 * `conversationId` and `version`: where its activity line goes and the version naming its workflow
 * (run-activity.ts); a fence without them writes none.
 */
export interface RunFence { id: string; workflowId: string; contactId: string; owner: string; attempts: number; conversationId?: string | null; version?: number }

/** The fence of a run row as `owner` holds it. */
export const fenceOf = (row: RunsTable, owner: string): RunFence => ({
  id: row.id, workflowId: row.workflow_id, contactId: row.contact_id, owner, attempts: row.attempts, conversationId: row.conversation_id, version: row.workflow_version,
});

/** The run was claimed again by someone else (our lease ran out) or cancelled: stop, write nothing. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

/**
 * Writes cursor, variables, step log and status, in the transaction that holds the step's own
 * changes. Only the holder of the current claim may write; otherwise the whole step rolls back.
 * (A run round writes its runs' checkpoints together: checkpoint-many.ts.)
 */
export async function checkpoint(uow: UnitOfWork, services: Services, fence: RunFence, next: NextState, since?: number): Promise<void> {
  const set = { ...checkpointSet(next, nowIso()), ...(next.status === 'running' ? {} : { lease_until: null }) };
  // RETURNING: the direct path gives rows, not a count of changes.
  const written = await runShaped(uow.trx, `checkpoint:${next.status === 'running'}`, [...Object.values(set), fence.id, fence.owner, fence.attempts, 'running'], () =>
    uow.trx.updateTable('runs').set(set)
      .where('id', '=', fence.id).where('lease_owner', '=', fence.owner).where('attempts', '=', fence.attempts).where('status', '=', 'running')
      .returning('id'));
  if (written.length !== 1) throw new LeaseLostError(`Run ${fence.id} is no longer held by ${fence.owner}`);
  if (next.status === 'completed' || next.status === 'failed') {
    if (await unblockNext(uow.trx, services.store.dialect, fence.workflowId, fence.contactId, fence.id) > 0) uow.afterCommit(() => services.runSignal.released());
  }
  // Failed, waiting to try a step again, or through after a retry: its conversation says so (`since`: the log's length before this checkpoint's steps).
  if (hasRunLine(fence, next, since)) await writeRunLines(uow, services, [{ fence, next, since }]);
  const error = next.status === 'failed' ? next.error : null;
  const launchedBy = error ? launcherOf(next.variables) : null;
  uow.afterCommit(() => services.live.publish({ type: 'run.updated', runId: fence.id, workflowId: fence.workflowId, status: next.status, error, launchedBy }));
}

/**
 * The run columns a checkpoint writes, whoever writes it (checkpoint, checkpointMany). A waiting
 * or ended run holds no lease (each writer clears lease_until); lease_owner stays as a record of
 * who ran it last.
 */
export function checkpointSet(next: NextState, now: string) {
  const ended = next.status === 'completed' || next.status === 'failed';
  return {
    status: next.status,
    cursor: next.cursor,
    variables: toJson(next.variables),
    step_log: toJson(next.stepLog),
    jumps: next.jumps,
    wake_at: next.status === 'waiting' ? next.wakeAt : null,
    error: next.status === 'failed' ? next.error : null,
    updated_at: now,
    // When it ended: a PostgreSQL round may start the pair's next run before it writes this one.
    ended_at: ended ? (next.endedAt ?? now) : null,
  };
}

/** Takes a run picked queued in this transaction (fence.attempts: the count after taking it); false if it is not queued any more. */
export async function claimHeldRun(db: Db | UnitOfWork['trx'], fence: RunFence, leaseUntil: string): Promise<boolean> {
  const rows = await db.updateTable('runs')
    .set({ status: 'running', lease_owner: fence.owner, lease_until: leaseUntil, wake_at: null, attempts: fence.attempts, updated_at: nowIso() })
    .where('id', '=', fence.id).where('attempts', '=', fence.attempts - 1).where('status', '=', 'queued')
    .returning('id').execute();
  return rows.length === 1;
}

/**
 * The log of a run cancelled while its outside step was going on (the checkpoint's fence refused
 * it): the run stays cancelled, and its history shows what the step did out there (the requests
 * sent, the answer, "cancelled during attempt 2"), as n8n shows every call of a stopped
 * execution. Only the holder at the cancel writes it (same owner and claim); the run history
 * open meanwhile hears of it.
 */
export async function keepCancelledLog(services: Services, fence: RunFence, stepLog: StepLogEntry[]): Promise<void> {
  const rows = await services.db.updateTable('runs').set({ step_log: toJson(stepLog) })
    .where('id', '=', fence.id).where('lease_owner', '=', fence.owner).where('attempts', '=', fence.attempts).where('status', '=', 'cancelled')
    .returning(['error', 'variables']).execute();
  const row = rows[0];
  if (!row) return;
  services.live.publish({
    type: 'run.updated', runId: fence.id, workflowId: fence.workflowId, status: 'cancelled', error: row.error,
    launchedBy: launcherOf(row.variables),
  });
}

/** Lets another worker take the run at once (engine stopping between steps), or from `at` on (a run put back, execute-run.ts). */
export async function releaseLease(db: Db, fence: RunFence, at = '1970-01-01T00:00:00.000Z'): Promise<void> {
  await db.updateTable('runs').set({ lease_until: at })
    .where('id', '=', fence.id).where('lease_owner', '=', fence.owner).where('attempts', '=', fence.attempts).where('status', '=', 'running')
    .execute();
}

/** Extends the leases of the runs this worker is executing. */
export async function renewLeases(db: Db, owner: string, fences: RunFence[], leaseUntil: string): Promise<void> {
  if (fences.length === 0) return;
  await db.updateTable('runs').set({ lease_until: leaseUntil })
    .where('lease_owner', '=', owner).where('status', '=', 'running').where('id', 'in', fences.map((f) => f.id))
    .execute();
}
