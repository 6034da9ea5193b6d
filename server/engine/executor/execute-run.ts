import type { StepLogEntry } from '../../../lib/contracts/runs';
import type { Step } from '../../../lib/contracts/steps';
import { settleRetryingSends } from '../../channels/retrying-sends';
import { findContact } from '../../domain/contacts';
import { findOpenConversation } from '../../domain/conversations';
import { deleteQuestionWaits, publishQuestionEnded } from '../../domain/question-replies';
import { inTransaction, type UnitOfWork } from '../../events/unit-of-work';
import { nowIso } from '../../ids';
import type { Services } from '../../services';
import { fromJson, isUnstorableText, UNSTORABLE_TEXT, type Executor } from '../../store/database';
import { isDatabaseLocked, isTransientDatabaseError } from '../../store/transient-errors';
import { waitOutLocks } from '../../store/sqlite-lock';
import type { RunsTable } from '../../store/schema';
import { fail, RetryLaterError, type StepOutcome } from '../steps/define';
import { stepRegistry } from '../steps/registry';
import type { Cancellation } from '../../outbound/call';
import { checkpoint, fenceOf, keepCancelledLog, LeaseLostError, releaseLease, type RunFence } from './checkpoint';
import { loadVersionSteps } from './definitions';
import { buildStepContext } from './step-context';
import { mayRetry, retryOutcome } from './step-retry';
import { runsOutside, startStep } from './step-start';
import { applyOutcome, type NextState, type RunState } from './transition';

export interface ExecEnv {
  services: Services;
  owner: string;
  /** True once the engine is stopping: finish the current step, then let go of the run. */
  stopping(): boolean;
}

/** `released` with `retryAt`: put back after a transient database error, to be taken again from then on. */
export type RunResult = { status: 'completed' | 'failed' | 'lease_lost' } | { status: 'released'; retryAt?: string } | { status: 'waiting'; wakeAt: string };

/**
 * How long a run put back after a transient database error waits to be taken again: the same step
 * again usually goes through at once (a stale plan goes unnamed, a deadlock's other side is done),
 * and a database restarting is not asked again and again meanwhile.
 */
const PUT_BACK_MS = 1_000;

/** A step that failed: its transaction is rolled back, then the failure is checkpointed alone. */
class StepFailed extends Error {
  constructor(readonly outcome: StepOutcome) { super('step failed'); }
}

// A NUL in a rendered value (a webhook's data, say) fails the write with the database's words
// ("invalid byte sequence for encoding UTF8: 0x00"); the run's error says what it means instead.
const message = (err: unknown) => (isUnstorableText(err) ? `${UNSTORABLE_TEXT}: a value this step wrote holds one; remove it where the value comes from` : err instanceof Error ? err.message : String(err));

/**
 * Executes a claimed run step by step from its cursor until it ends, waits, or the engine stops.
 * `waitedOn`: it came down the express lane, and what its steps start goes that way too. Its
 * writes wait out another process's hold on a SQLite file (waitOutLocks): what a step did out
 * there (an HTTP step's answer, a message sent) is kept, not done again.
 */
export function executeRun(env: ExecEnv, row: RunsTable, waitedOn = false): Promise<RunResult> {
  return waitOutLocks(env.stopping, () => runSteps(env, row, waitedOn));
}

async function runSteps(env: ExecEnv, row: RunsTable, waitedOn: boolean): Promise<RunResult> {
  const { services } = env;
  const fence: RunFence = fenceOf(row, env.owner);
  let state: RunState = {
    cursor: row.cursor,
    variables: fromJson<Record<string, unknown>>(row.variables, {}),
    stepLog: fromJson<StepLogEntry[]>(row.step_log, []),
    jumps: row.jumps,
  };
  let steps: Step[];
  try {
    steps = await loadVersionSteps(services.db, row.workflow_id, row.workflow_version);
  } catch (err) {
    if (isTransientDatabaseError(err)) return putBack(env, fence, err);
    const next: NextState = { ...state, status: 'failed', error: message(err) };
    await inTransaction(services.db, (uow) => checkpoint(uow, services, fence, next));
    return { status: 'failed' };
  }

  try {
    for (;;) {
      // SQLite answers synchronously, so a run would otherwise go from step to step in microtasks
      // and starve the HTTP server: give pending I/O (webhooks, the inbox) a turn between steps.
      await services.pacer.turn();
      if (state.cursor >= steps.length) {
        await inTransaction(services.db, (uow) => checkpoint(uow, services, fence, { ...state, status: 'completed' }));
        return { status: 'completed' };
      }
      if (env.stopping()) {
        await releaseLease(services.db, fence);
        return { status: 'released' };
      }
      const next = await executeStep(env, row, steps, state, fence, waitedOn);
      if (next.status === 'waiting') return { status: 'waiting', wakeAt: next.wakeAt };
      if (next.status !== 'running') return { status: next.status };
      state = next;
    }
  } catch (err) {
    if (err instanceof LeaseLostError) return { status: 'lease_lost' };
    if (isTransientDatabaseError(err)) return putBack(env, fence, err);
    throw err;
  }
}

/**
 * A transient database error (transient-errors.ts) met the run between two checkpoints: what its
 * transaction held rolled back, so the run is as a crash there would leave it, and it is taken
 * again shortly, by this instance or another, from its last checkpoint. A step with an outside
 * effect keeps its rule then: its attempt was committed before the call, so a send or a POST that
 * may have gone out is not repeated (deliver.ts, step-context.ts `once`). Failing the run instead
 * lost acknowledged work whenever another instance migrated during a rolling upgrade.
 */
async function putBack(env: ExecEnv, fence: RunFence, err: unknown): Promise<RunResult> {
  const retryAt = new Date(Date.now() + PUT_BACK_MS).toISOString();
  // A SQLite file another process holds the lock of is said once by the store (sqlite-lock.ts), not per run.
  if (!isDatabaseLocked(err)) env.services.log.warn({ err, runId: fence.id }, 'a database error that passes met the run; it is tried again from its last step');
  try {
    await releaseLease(env.services.db, fence, retryAt);
  } catch (e) {
    // The database is still out of reach: the run is taken again when its lease runs out.
    if (!isDatabaseLocked(e)) env.services.log.warn({ err: e, runId: fence.id }, 'putting the run back failed; it resumes when its lease runs out');
  }
  return { status: 'released', retryAt };
}

async function executeStep(env: ExecEnv, row: RunsTable, steps: Step[], state: RunState, fence: RunFence, waitedOn: boolean): Promise<NextState> {
  const { services } = env;
  const step = steps[state.cursor]!;
  const definition = stepRegistry[step.type];
  const notes: string[] = [];
  const { run, startedAt, idempotencyKey } = startStep(row, state, step, waitedOn);
  const settle = (outcome: StepOutcome) =>
    applyOutcome(state, steps, outcome, { stepId: step.id, type: step.type, startedAt, endedAt: nowIso(), notes });

  const runHandler = async (db: Executor, inTx: (fn: (uow: UnitOfWork) => Promise<unknown>) => Promise<unknown>, cancellation?: Cancellation) => {
    const contact = await findContact(db, row.contact_id);
    if (!contact) return fail(`Contact ${row.contact_id} no longer exists`);
    const conversation = (await findOpenConversation(db, row.contact_id)) ?? null;
    const ctx = buildStepContext({
      services, run, step, contact, conversation, idempotencyKey, notes, effects: db, canRetry: mayRetry(state.stepLog, step.id),
      db: inTx as <R>(fn: (uow: UnitOfWork) => Promise<R>) => Promise<R>, ...(cancellation ? { cancellation, outside: true } : {}),
    });
    try {
      return await (definition.run as (c: typeof ctx) => Promise<StepOutcome>)(ctx);
    } catch (err) {
      if (err instanceof RetryLaterError) return retryOutcome(err, state.stepLog, step.id, Date.now());
      // Not the step's failure: the run is put back (executeRun) and the step done again.
      if (isTransientDatabaseError(err)) throw err;
      return fail(message(err));
    }
  };

  const outside = typeof definition.outside === 'function'
    ? await runsOutside(definition, (await findOpenConversation(services.db, row.contact_id)) ?? null, { contactId: row.contact_id, db: services.db, config: step.config })
    : Boolean(definition.outside);
  if (outside) {
    // Slow outside calls run without a transaction; the checkpoint follows in its own. A cancel
    // meanwhile aborts their request (run-aborts.ts) and fences the checkpoint off; what the step
    // did out there still goes into the cancelled run's log.
    const flight = services.runAborts.track(row.id, services.db);
    let outcome: StepOutcome;
    try {
      outcome = await runHandler(services.db, (fn) => inTransaction(services.db, fn), flight.cancellation);
    } finally {
      flight.done();
    }
    const next = settle(outcome);
    try {
      await inTransaction(services.db, (uow) => checkpoint(uow, services, fence, next, state.stepLog.length));
    } catch (err) {
      if (err instanceof LeaseLostError) {
        await keepCancelledLog(services, fence, next.stepLog).catch((e: unknown) => services.log.warn({ err: e, runId: row.id }, 'keeping the step log of a cancelled run failed'));
      }
      throw err;
    }
    await afterFailure(services, row, next);
    return next;
  }
  try {
    return await inTransaction(services.db, async (uow) => {
      const outcome = await runHandler(uow.trx, (fn) => fn(uow));
      // A step put off for later leaves nothing behind either.
      if (outcome.kind === 'fail' || outcome.kind === 'retry') throw new StepFailed(outcome);
      const next = settle(outcome);
      await checkpoint(uow, services, fence, next, state.stepLog.length);
      return next;
    });
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
    const next = settle(err.outcome);
    await inTransaction(services.db, (uow) => checkpoint(uow, services, fence, next, state.stepLog.length));
    await afterFailure(services, row, next);
    return next;
  }
}

/**
 * A run that failed leaves no message "to be sent again" behind (the conversation closed, say, while
 * it waited), nor a question's wait row (the failed step's own delete went with its transaction).
 */
async function afterFailure(services: Services, row: RunsTable, next: NextState) {
  if (next.status !== 'failed') return;
  publishQuestionEnded(services, await deleteQuestionWaits(services.db, row.id), row.contact_id);
  const unsent = await settleRetryingSends(services.db, row.id, `Not sent: the run failed (${next.error})`);
  for (const m of unsent) services.live.publish({ type: 'conversation.changed', conversationId: m.conversation_id, contactId: row.contact_id });
}
