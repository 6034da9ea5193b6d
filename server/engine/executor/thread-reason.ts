import { HTTP_METHODS } from '../../../lib/contracts/steps';
import { ALLOW_LIST_ENV } from '../../outbound/address-policy';
import type { NextState } from './transition';

/**
 * An HTTP step's or an app action's "POST https://host/x answered HTTP 422", what the other side
 * said after it (its answer, a redirect's Location), then what the engine added: the attempts
 * (step-retry.ts), digits only, so nothing of the answer can pass for them.
 */
const ANSWERED = new RegExp(`\\b((?:${HTTP_METHODS.join('|')}) [^\\n]*?answered HTTP \\d{3})[\\s\\S]*?((?: \\((?:\\d+ attempts?|tried \\d+ times over \\d+ minutes?; not tried again)\\))*)$`);

/**
 * What a run's line in the thread says of a step's error (it failed, or waits to try again). The
 * thread is the agents' (and of every app key that reads conversations); the run log keeps the
 * error whole for admins and supervisors. The error's own words, except:
 * - a request this server's address policy refused (an HTTP step, an app's action, Chatwoot at a
 *   private address), said plainly. Its words tell whoever runs the server which setting to
 *   change (the allow-list variable named here, in every such error), which an agent can do
 *   nothing with and was not meant to read;
 * - a third party's answer to an HTTP step or an app's action: the line says the step's request
 *   "answered HTTP 422", not what the other side answered, which may quote what the request
 *   carried (respond.io's and Chatwoot's activity lines say a step failed, not why in another
 *   system's words). The run log keeps the answer, masked (outbound/mask.ts).
 */
export function threadReason(error: string): string {
  return error.includes(ALLOW_LIST_ENV) ? 'the request was refused' : error.replace(ANSWERED, '$1$2');
}

/** " at step “crm”": the step whose failure ended the run (none when the run failed outside a step, e.g. its version could not be read). */
export function failedAt(next: Extract<NextState, { status: 'failed' }>): string {
  const last = next.stepLog[next.stepLog.length - 1];
  return last && last.status === 'failed' && last.type !== 'trigger' && last.error === next.error ? ` at step “${last.stepId}”` : '';
}
