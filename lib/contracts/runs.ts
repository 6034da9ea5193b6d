import { z } from 'zod';
import { StepType } from './steps';
import { Id, IsoDateTime } from './workflow-primitives';

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
});
export type Run = z.infer<typeof Run>;

export const RunList = z.object({ runs: z.array(Run) });
export type RunList = z.infer<typeof RunList>;

/**
 * GET /runs: every workflow's runs, newest first, filtered; `cursor` is the `nextCursor` of the
 * page before (null when there is no more). `since` / `until` bound the start time [since, until).
 */
export const RunListQuery = z.object({
  workflowId: Id.optional(),
  status: RunStatus.optional(),
  contactId: Id.optional(),
  since: IsoDateTime.optional(),
  until: IsoDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  // A run id (the last of the page before): anything else would answer an empty page, as if there were no more runs.
  cursor: z.string().regex(/^run_[0-9A-Za-z]{1,60}$/, 'Pass the `nextCursor` of the page before, as it was answered').optional(),
}).refine((q) => !q.since || !q.until || Date.parse(q.since) < Date.parse(q.until), {
  message: '`since` must be before `until`', path: ['until'],
});
export type RunListQuery = z.infer<typeof RunListQuery>;

export const RunPage = z.object({ runs: z.array(Run), nextCursor: z.string().nullable() });
export type RunPage = z.infer<typeof RunPage>;

/** GET /runs/summary: what the engine has in hand right now. */
export const RunQueueSummary = z.object({
  /** Queued and free to start; a contact's later runs of a workflow wait behind its earlier one and are not counted. */
  ready: z.number().int().min(0),
  /** When the oldest of those was queued: how far behind the engine is. */
  oldestReadyAt: IsoDateTime.nullable(),
  running: z.number().int().min(0),
  waiting: z.number().int().min(0),
  /** Of the waiting: those waiting to try a step again (the outside system was busy or down). */
  retrying: z.number().int().min(0),
});
export type RunQueueSummary = z.infer<typeof RunQueueSummary>;

/** POST /runs/retry-now: every run waiting to try a step again was woken. */
export const RetryNowResult = z.object({ woken: z.number().int().min(0) });
export type RetryNowResult = z.infer<typeof RetryNowResult>;
