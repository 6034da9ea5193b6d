import { z } from 'zod';
import { StepType } from './steps';
import { Id, IsoDateTime } from './workflow-primitives';
import { idCursor, listQuery, pageLimit } from './list-query';

export const RUN_STATUSES = ['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

/** Statuses a run never leaves. */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

export const StepLogEntry = z.object({
  stepId: z.string(),
  /** A step type, or 'trigger' for the entry that records what the trigger extracted (e.g. webhook mapping errors). */
  type: z.union([StepType, z.literal('trigger')]),
  /** retrying: the step failed in a way that did nothing and may pass later (the outside system was
   * down or busy); the run waits and tries it again (`output.retry`: which try, of how many, when). */
  status: z.enum(['completed', 'failed', 'skipped', 'retrying']),
  output: z.unknown().optional(),
  error: z.string().optional(),
  /** Things worth knowing that are not errors, e.g. unknown template variables. */
  notes: z.array(z.string()).optional(),
  startedAt: IsoDateTime,
  endedAt: IsoDateTime,
});
export type StepLogEntry = z.infer<typeof StepLogEntry>;

/**
 * GET /runs/:id of a queued run whose workflow has an earlier unfinished run for the same contact:
 * that run, which this one waits behind (a contact's runs of one workflow go one at a time, in
 * order, so its messages stay in order). A run waiting on a Wait step or a question holds the
 * later ones until it wakes or times out; cancelling it lets the next one start.
 */
export const WaitingBehind = z.object({
  runId: Id,
  status: z.enum(['queued', 'running', 'waiting']),
  /** When the earlier run wakes (its Wait ends, its question times out, it tries a step again). */
  waitingUntil: IsoDateTime.optional(),
  /** What the earlier run waits for, in words that follow "it waits": `for the contact's reply to step "ask"`. */
  reason: z.string().optional(),
});
export type WaitingBehind = z.infer<typeof WaitingBehind>;

/**
 * Who launched a run from a shortcut, named as they are now (a deactivated person keeps their
 * name); null for a run a trigger started. The run history's "Launched by".
 */
export const RunLauncher = z.object({ id: Id, name: z.string() });
export type RunLauncher = z.infer<typeof RunLauncher>;

/**
 * The run's contact as they are now, read with the page (the history's "Contact" column): their
 * name (first and last; null when they have none), phone and email. Null when the contact is gone.
 */
export const RunContact = z.object({ id: Id, name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() });
export type RunContact = z.infer<typeof RunContact>;

/**
 * Where a failed run stopped: "Run again from the failed step" starts a new run there
 * (POST /runs/:id/rerun with `from: failed_step`), without repeating the steps before it.
 */
export const FailedStep = z.object({
  /** Its place in the run's workflow version, from 1 ("step 2"). */
  step: z.number().int().min(1),
  /** The step's id, when the failure was a step's own (absent when the run failed before its step ran). */
  stepId: z.string().optional(),
  /** Null when a rerun may start there; else why not, in the words of that request's 409 (a step before it changed since, say). */
  refused: z.string().nullable(),
  /**
   * Present when a rerun from there runs a version of the workflow saved since the run (its steps
   * before the failed one unchanged, the failed step and those after it as saved): when it was saved.
   */
  savedAt: IsoDateTime.optional(),
  /**
   * Present when a version was saved since the run: whether a rerun from there with the version the
   * run ran (`workflow: original`, n8n's "Retry with original workflow") may start (null), else why not.
   */
  originalRefused: z.string().nullable().optional(),
});
export type FailedStep = z.infer<typeof FailedStep>;

export const Run = z.object({
  id: Id,
  workflowId: Id,
  workflowVersion: z.number().int().min(1),
  contactId: Id,
  conversationId: Id.nullable(),
  triggerEvent: z.object({ id: Id, type: z.string() }),
  variables: z.record(z.string(), z.unknown()),
  status: RunStatus,
  cursor: z.number().int().min(0),
  stepLog: z.array(StepLogEntry),
  wakeAt: IsoDateTime.nullable(),
  attempts: z.number().int().min(0),
  error: z.string().nullable(),
  createdAt: IsoDateTime,
  endedAt: IsoDateTime.nullable(),
  /** Only on GET /runs/:id, for a queued run held by an earlier run of its workflow and contact. */
  waitingBehind: WaitingBehind.optional(),
  /** On the run history's answers (GET /runs, /workflows/:id/runs, /runs/:id); other answers leave it out. */
  launchedBy: RunLauncher.nullable().optional(),
  /** On the run history's answers too: who the run is for, so a page names its contacts itself. */
  contact: RunContact.nullable().optional(),
  /** A run started by "Run again" (POST /runs/:id/rerun): the failed run it runs again. Absent on every other run. */
  rerunOf: Id.optional(),
  /**
   * On the run history's answers of such a run: the version of the workflow the failed run ran. The
   * same as `workflowVersion`: it ran the original workflow again; lower: it ran a version saved since.
   */
  rerunOfVersion: z.number().int().min(1).optional(),
  /** On the run history's answers of such a run: who ran it again (named as they are now). */
  rerunBy: RunLauncher.optional(),
  /** On the run history's answers of a failed run that was run again: that run (a run is run again once). */
  rerunAs: Id.optional(),
  /** A run started by Run again from the failed step: the step it started at (from 1). Absent: it started at step 1. */
  rerunFromStep: z.number().int().min(1).optional(),
  /** On the run history's answers of a failed run: the step it failed at, and whether a rerun may start there. */
  failedStep: FailedStep.optional(),
  /**
   * On the run history's answers of a failed run: why it may not run again at all, from the start
   * or its failed step, in the words of that request's 409 (its assignee deactivated, a shortcut's
   * conversation closed, the workflow deleted or unpublished); null when it may.
   */
  rerunRefused: z.string().nullable().optional(),
});
export type Run = z.infer<typeof Run>;

export const RunList = z.object({ runs: z.array(Run) });
export type RunList = z.infer<typeof RunList>;

const ISO_DATE = z.iso.date();
// ISO 8601 lets a time leave out its seconds (09:30Z); zod's default wants them.
const ISO_MINUTES = z.iso.datetime({ offset: true, precision: -1 });
const TIME_BOUND_HINT = 'Use an ISO 8601 date (2026-12-06: from 00:00 UTC that day) or a date-time with its offset (2026-12-06T09:30:00Z, 2026-12-06T09:30:00+01:00)';

/**
 * A start-time bound as people write it: an ISO 8601 date-time with its offset, or a date, read
 * as the start of that day in UTC (the workspace has no time zone of its own). Given on as the
 * UTC instant (`2026-12-06` → `2026-12-06T00:00:00.000Z`), the form runs are stored in.
 */
export const TimeBound = z.string().max(40)
  .refine((s) => ISO_DATE.safeParse(s).success || IsoDateTime.safeParse(s).success || ISO_MINUTES.safeParse(s).success, TIME_BOUND_HINT)
  .transform((s) => new Date(ISO_DATE.safeParse(s).success ? `${s}T00:00:00Z` : s).toISOString())
  .describe('ISO 8601: a date (that day from 00:00 UTC) or a date-time with its offset');

const RunPageQuery = {
  status: RunStatus.optional(),
  contactId: Id.optional(),
  /** A user id: the runs they launched from a shortcut. */
  launchedBy: Id.optional(),
  rerunBy: Id.optional().describe('A user id: the reruns they started (Run again, Run all failed again). A rerun keeps the `launchedBy` of the run it repeats, so `launchedBy` does not find them'),
  since: TimeBound.optional(),
  until: TimeBound.optional(),
  runAgain: z.enum(['true', 'false']).optional()
    .describe('`false`: only the runs nobody ran again (with status=failed and its `since`: exactly those GET /runs/failed-count counts); `true`: only those run again'),
  limit: pageLimit(50),
  // A run id (the last of the page before): anything else would answer an empty page, as if there were no more runs.
  cursor: idCursor('run').optional(),
};
const sinceBeforeUntil = (q: { since?: string; until?: string }) => !q.since || !q.until || Date.parse(q.since) < Date.parse(q.until);
const SINCE_BEFORE_UNTIL = { message: '`since` must be before `until`', path: ['until'] };

/**
 * GET /runs: every workflow's runs, newest first, filtered; `cursor` is the `nextCursor` of the
 * page before (null when there is no more). `since` / `until` bound the start time [since, until).
 */
export const RunListQuery = listQuery({ workflowId: Id.optional(), ...RunPageQuery }).refine(sinceBeforeUntil, SINCE_BEFORE_UNTIL);
export type RunListQuery = z.infer<typeof RunListQuery>;

/**
 * GET /workflows/:id/runs: the same filters and pages as /runs, for one workflow. `before` (a run
 * id) is what this route took before it answered `nextCursor`; kept for the clients that page with it.
 */
export const WorkflowRunsQuery = listQuery({
  ...RunPageQuery,
  before: idCursor('run').optional().describe('Deprecated: pass `nextCursor` as `cursor`. Runs older than this run id'),
}).refine(sinceBeforeUntil, SINCE_BEFORE_UNTIL);
export type WorkflowRunsQuery = z.infer<typeof WorkflowRunsQuery>;

export const RunPage = z.object({ runs: z.array(Run), nextCursor: z.string().nullable() });
export type RunPage = z.infer<typeof RunPage>;

/**
 * GET /runs/workflows: what the run history can be narrowed to. Every workflow, and the deleted
 * ones whose runs stay in the history (`deleted`, named as they were last saved).
 */
export const RunHistoryWorkflows = z.object({
  workflows: z.array(z.object({ id: Id, name: z.string(), deleted: z.boolean() })),
});
export type RunHistoryWorkflows = z.infer<typeof RunHistoryWorkflows>;

/** GET /runs/summary: what the engine has in hand right now. */
export const RunQueueSummary = z.object({
  /** Queued and free to start; a contact's later runs of a workflow wait behind its earlier one and are not counted. */
  ready: z.number().int().min(0),
  /**
   * Queued behind an earlier run of the same workflow and contact that is running or waiting (a
   * Wait step, a question): each starts when the run before it ends. Absent from older servers.
   */
  waitingBehind: z.number().int().min(0).default(0),
  /** When the oldest of those was queued: how far behind the engine is. */
  oldestReadyAt: IsoDateTime.nullable(),
  running: z.number().int().min(0),
  waiting: z.number().int().min(0),
  /** Of the waiting: those waiting to try a step again (the outside system was busy or down). */
  retrying: z.number().int().min(0),
});
export type RunQueueSummary = z.infer<typeof RunQueueSummary>;

/**
 * GET /runs/failed-count: how many of the runs started since `since` (24 hours ago when left out)
 * have failed and were not run again, the run history's "N runs failed in the last 24 hours and
 * were not run again". Counted by start time, as `GET /runs?status=failed&runAgain=false&since=`
 * lists them (without `runAgain`, the list also holds the failures run again, each with its
 * `rerunAs`). The default `since` is to the second, so a client's date-time input holds it as is.
 */
export const FailedRunCountQuery = listQuery({ since: TimeBound.optional() });
/** `failed`: of those, the ones not run again (a failure run again is handled: GET /runs lists it with `rerunAs`). */
export const FailedRunCount = z.object({ failed: z.number().int().min(0), since: IsoDateTime });
export type FailedRunCount = z.infer<typeof FailedRunCount>;

/** POST /runs/retry-now: every run waiting to try a step again was woken. */
export const RetryNowResult = z.object({ woken: z.number().int().min(0) });
export type RetryNowResult = z.infer<typeof RetryNowResult>;

/** Statuses a run can still leave: what a cancel stops. */
export const UNFINISHED_RUN_STATUSES = ['queued', 'running', 'waiting'] as const;
export const UnfinishedRunStatus = z.enum(UNFINISHED_RUN_STATUSES);
export type UnfinishedRunStatus = z.infer<typeof UnfinishedRunStatus>;

/**
 * POST /workflows/:id/runs/cancel: n8n's "stop executions" for a whole workflow. `status` narrows
 * which unfinished runs (only the queued ones, say); left out, every unfinished run.
 */
export const CancelRunsBody = z.object({
  status: z.array(UnfinishedRunStatus).min(1, 'Name at least one status, or leave `status` out to cancel every unfinished run').optional(),
}).strict();
export type CancelRunsBody = z.infer<typeof CancelRunsBody>;
/** The runs the cancel stopped, oldest first. */
export const CancelRunsResult = z.object({ cancelled: z.number().int().min(0), runIds: z.array(Id) });
export type CancelRunsResult = z.infer<typeof CancelRunsResult>;

/** GET /workflows/:id/runs/unfinished: how many of its runs have not ended (what an unpublish would leave going). */
export const UnfinishedRunCounts = z.object({
  total: z.number().int().min(0),
  queued: z.number().int().min(0),
  running: z.number().int().min(0),
  waiting: z.number().int().min(0),
});
export type UnfinishedRunCounts = z.infer<typeof UnfinishedRunCounts>;
