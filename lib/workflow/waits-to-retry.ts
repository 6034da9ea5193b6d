/**
 * A run waiting to try a step again (its outside system was busy or down): its last log entry is
 * that retry. Shared by the server (Try now, the queue summary), the options console and the
 * launcher's toast; no zod here, so the content script stays small.
 */
export const waitsToRetry = (run: { status: string; stepLog: readonly { status: string }[] }) =>
  run.status === 'waiting' && run.stepLog.at(-1)?.status === 'retrying';
