import { ALLOW_LIST_ENV } from '../../outbound/address-policy';
import type { NextState } from './transition';

/**
 * What a run's line in the thread says of a step's error (it failed, or waits to try again). The
 * thread is the agents'; the run log keeps the error whole for admins. One rule: the error's own
 * words, except a request this server's address policy refused (an HTTP step, an app's action,
 * Chatwoot at a private address), said plainly. Its words tell whoever runs the server which
 * setting to change (the allow-list variable named here, in every such error), which an agent
 * can do nothing with and was not meant to read.
 */
export function threadReason(error: string): string {
  return error.includes(ALLOW_LIST_ENV) ? 'the request was refused' : error;
}

/** " at step “crm”": the step whose failure ended the run (none when the run failed outside a step, e.g. its version could not be read). */
export function failedAt(next: Extract<NextState, { status: 'failed' }>): string {
  const last = next.stepLog[next.stepLog.length - 1];
  return last && last.status === 'failed' && last.type !== 'trigger' && last.error === next.error ? ` at step “${last.stepId}”` : '';
}
