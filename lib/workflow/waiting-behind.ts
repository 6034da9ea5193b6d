import { whenText } from './waiting-on';

type Behind = { runId: string; status: string; waitingUntil?: string; reason?: string };

/**
 * Why a queued run has not started, after "Queued: " or on its own: `waiting behind run run_… of
 * the same contact (it waits for the contact's reply to step "ask" until 14:05)`. Null for a run
 * that waits behind nothing (GET /runs/:id leaves `waitingBehind` out). No zod here: the content
 * script's toast uses it.
 */
export function waitingBehindText(run: { status: string; waitingBehind?: Behind }, now?: Date): string | null {
  const behind = run.waitingBehind;
  if (run.status !== 'queued' || !behind) return null;
  return `waiting behind run ${behind.runId} of the same contact (${doing(behind, now)})`;
}

function doing(behind: Behind, now?: Date): string {
  if (behind.status === 'running') return 'it is running now';
  if (behind.status === 'queued') return 'it has not started yet';
  const until = behind.waitingUntil ? ` until ${whenText(behind.waitingUntil, now)}` : '';
  return `it waits${behind.reason ? ` ${behind.reason}` : ''}${until}`;
}
