import type { CallResult } from '../../outbound/call';
import { IDEMPOTENT_METHODS } from '../../outbound/retry';
import type { StepContext } from './define';

/** An outbound call's kept result, or the word that an earlier attempt's outcome is unknown. */
export type KeptCall = Omit<CallResult, 'bodyText'> & {
  /** An earlier attempt left and its answer was never stored: not sent again (sentBefore). */
  unknown?: true;
};

/**
 * An HTTP request step's (or a mini-app action's) `unfinished`: its request went out before a
 * restart (or a database outage) and the answer was not stored. As the quick attempts do
 * (README, HTTP request): a method a repeat cannot do twice is sent again, with the same
 * Idempotency-Key; a POST or PATCH is not (n8n without Retry on fail), and the step fails saying
 * the outcome is unknown, as a WhatsApp send in that state does.
 */
export async function sentBefore<R extends KeptCall>(ctx: Pick<StepContext, 'note' | 'idempotencyKey'>, method: string, send: () => Promise<R>): Promise<R | KeptCall> {
  if (IDEMPOTENT_METHODS.has(method.toUpperCase())) {
    ctx.note(`An earlier attempt went out before a restart (or a database outage) and its answer was not recorded; ${method} is safe to repeat, so it was sent again (same Idempotency-Key)`);
    return send();
  }
  return {
    ok: false, status: 0, attempts: 0, values: {}, notes: [], unknown: true,
    error: 'an earlier attempt went out before a restart (or a database outage) and its answer was not recorded, so the server may or may not have acted on it; '
      + `a ${method} is not sent again, to avoid doing it twice (Idempotency-Key ${ctx.idempotencyKey}). Check there, then run the workflow again if needed`,
  };
}
