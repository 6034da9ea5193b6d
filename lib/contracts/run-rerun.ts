import { z } from 'zod';
import { TimeBound } from './runs';
import { Id } from './workflow-primitives';

/**
 * Where a rerun starts. `start`: step 1 of the published version (steps that already ran, a note
 * or a message to the customer, run again). `failed_step`: the step that failed, with the
 * variables the failed run had then, as n8n's Retry execution resumes from the node that failed:
 * the steps before it are not repeated. With the version published now: the failed step and those
 * after it as saved (the admin's fix), only while the steps that may have run before it are
 * unchanged since (other earlier steps would have left other variables).
 */
export const RerunFrom = z.enum(['start', 'failed_step'], { error: 'Give `from` as "start" (step 1, the default) or "failed_step"' })
  .describe('`start` (the default): from step 1; `failed_step`: from the step that failed, without repeating the steps before it, with the workflow as published now (only while the steps before the failed one are unchanged since)');
export type RerunFrom = z.infer<typeof RerunFrom>;

/**
 * Which version a rerun from the failed step runs, as n8n's two retries of a failed execution:
 * `saved` (the default), the workflow as published now ("Retry with currently saved workflow",
 * refused when a step before the failed one changed since); `original`, the version the failed run
 * ran ("Retry with original workflow": every run keeps its version, workflow_versions).
 */
export const RerunWorkflow = z.enum(['saved', 'original'], { error: 'Give `workflow` as "saved" (the workflow as published now, the default) or "original" (the version the failed run ran)' })
  .describe('With `from: failed_step`: `saved` (the default), the workflow as published now; `original`, the version the failed run ran, whatever was saved since');
export type RerunWorkflow = z.infer<typeof RerunWorkflow>;

// n8n offers both retries from the failed node only; from step 1 a rerun runs the published version.
const originalFromFailedStep = (b: { from?: RerunFrom | undefined; workflow?: RerunWorkflow | undefined }) => b.workflow !== 'original' || b.from === 'failed_step';
const ORIGINAL_FROM_FAILED_STEP = { message: '`workflow: "original"` runs again from the failed step only: send `from: "failed_step"` with it (from the start, a rerun runs the workflow as published now)', path: ['workflow'] };

/** POST /runs/:id/rerun's body (optional: no body runs it again from the start). */
export const RerunBody = z.object({ from: RerunFrom.optional(), workflow: RerunWorkflow.optional() }).strict()
  .refine(originalFromFailedStep, ORIGINAL_FROM_FAILED_STEP);
export type RerunBody = z.infer<typeof RerunBody>;

/** The most failed runs one call of POST /workflows/:id/runs/rerun runs again; `remaining` says how many are left. */
export const RERUN_BATCH_MAX = 1000;

/**
 * POST /workflows/:id/runs/rerun: n8n's "Retry execution" for every failed run of a workflow at
 * once, once its cause is fixed. A failed run is run again once (a run of it that fails too is
 * the one run again next), so calling again, or twice at once, never starts a second rerun of a
 * run; each call takes the oldest `limit` not yet run again.
 */
export const RerunRunsBody = z.object({
  status: z.literal('failed', { error: 'Only failed runs are run again: send "failed", or leave `status` out' }).optional()
    .describe('Which runs: only `failed` (the default)'),
  since: TimeBound.optional().describe('Only runs started from then on (ISO 8601: a date, from 00:00 UTC that day, or a date-time with its offset)'),
  limit: z.number({ error: `Give limit as a whole number from 1 to ${RERUN_BATCH_MAX}` }).int(`Give limit as a whole number from 1 to ${RERUN_BATCH_MAX}`)
    .min(1, `Give limit as a whole number from 1 to ${RERUN_BATCH_MAX}`).max(RERUN_BATCH_MAX, `At most ${RERUN_BATCH_MAX} runs are run again per call; call again for the rest (\`remaining\`)`)
    .optional().describe(`How many at most, oldest first (${RERUN_BATCH_MAX} unless said)`),
  from: RerunFrom.optional(),
  workflow: RerunWorkflow.optional(),
}).strict().refine(originalFromFailedStep, ORIGINAL_FROM_FAILED_STEP);
export type RerunRunsBody = z.infer<typeof RerunRunsBody>;

/** A new run, and the failed run it runs again. */
export const Rerun = z.object({ runId: Id, rerunOf: Id });
export type Rerun = z.infer<typeof Rerun>;

export const RerunRunsResult = z.object({
  /** How many runs this call started. */
  started: z.number().int().min(0),
  /** The runs started, oldest failure first. */
  reruns: z.array(Rerun),
  /** Failed runs (of the same `since`) still not run again: call again to run them. */
  remaining: z.number().int().min(0),
  /**
   * With `from: failed_step` (and the saved workflow): failed runs (of the same `since`) not run again that ran an earlier
   * version of the workflow whose steps before their failed step were changed since (a version that
   * only changed their failed step or later ones is run). They are left out (and out of
   * `remaining`): they can run again from the start only.
   * A run left out for both reasons is counted in `closedConversation` alone: it cannot run again
   * either way. So `started`, `remaining` and these counts add up to the failed runs the call found.
   */
  earlierVersion: z.number().int().min(0).optional(),
  /**
   * With `from: failed_step`: failed runs (of the same `since`) left out because a step they would
   * reach from their failed step assigns to a deactivated user (an admin must choose someone else).
   * Counted here alone, out of `remaining`. Only when there are some.
   */
  assigneeDeactivated: z.number().int().min(1).optional(),
  /**
   * Failed shortcut runs (of the same `since`) not run again because their conversation is closed
   * now (a shortcut runs in an open conversation; launch it again in the contact's open one): left
   * out, and out of `remaining`, whichever version they ran. Only when there are some.
   */
  closedConversation: z.number().int().min(1).optional(),
});
export type RerunRunsResult = z.infer<typeof RerunRunsResult>;
