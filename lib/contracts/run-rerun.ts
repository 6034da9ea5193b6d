import { z } from 'zod';
import { TimeBound } from './runs';
import { Id } from './workflow-primitives';

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
}).strict();
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
});
export type RerunRunsResult = z.infer<typeof RerunRunsResult>;
