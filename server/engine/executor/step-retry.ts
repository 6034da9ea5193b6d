import type { StepLogEntry } from '../../../lib/contracts/runs';
import { attemptsText } from '../../outbound/call';
import { fail, type RetryLaterError, type StepOutcome } from '../steps/define';

/**
 * When a step that did nothing is tried again (seconds after each failure): a Chatwoot redeploy
 * or a Meta incident of a few minutes, or Chatwoot's per-minute request limit, passes within them.
 * Like Zapier's autoreplay, but in minutes: a chat message hours late would do more harm than its
 * failure, which the run log then shows.
 */
export const STEP_RETRY_DELAYS_S = [60, 120, 300, 600, 1200] as const;
/** The longest Retry-After honoured; a longer one is shortened to this. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** How many times this step has been put off in a row: the log's last entries, all its retries. */
export function retriesSoFar(stepLog: readonly StepLogEntry[], stepId: string): StepLogEntry[] {
  const tail: StepLogEntry[] = [];
  for (let i = stepLog.length - 1; i >= 0; i--) {
    const e = stepLog[i]!;
    if (e.stepId !== stepId || e.status !== 'retrying') break;
    tail.unshift(e);
  }
  return tail;
}

/** Whether a RetryLaterError thrown by this step now would be retried (false on its last try). */
export const mayRetry = (stepLog: readonly StepLogEntry[], stepId: string) => retriesSoFar(stepLog, stepId).length < STEP_RETRY_DELAYS_S.length;

/** The outcome of a step that threw RetryLaterError: try again later, or fail once the retries are spent. */
export function retryOutcome(err: RetryLaterError, stepLog: readonly StepLogEntry[], stepId: string, nowMs: number): StepOutcome {
  const earlier = retriesSoFar(stepLog, stepId);
  const n = earlier.length;
  if (n >= STEP_RETRY_DELAYS_S.length) {
    const minutes = Math.max(1, Math.round((nowMs - Date.parse(earlier[0]!.startedAt)) / 60_000));
    return fail(`${err.message} (tried ${n + 1} times over ${minutes} minute${minutes === 1 ? '' : 's'}; not tried again)`);
  }
  const delayMs = Math.max(STEP_RETRY_DELAYS_S[n]! * 1000, Math.min(err.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
  const at = new Date(nowMs + delayMs).toISOString();
  const error = err.attempts ? `${err.message} (${attemptsText(err.attempts)})` : err.message;
  return { kind: 'retry', error, wakeAt: at, output: { retry: n + 1, of: STEP_RETRY_DELAYS_S.length, at } };
}
