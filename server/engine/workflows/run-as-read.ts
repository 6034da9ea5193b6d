import type { Run } from '../../../lib/contracts/runs';
import type { Role } from '../../../lib/contracts/users';
import { threadReason } from '../executor/thread-reason';

/**
 * A run's errors as `reader` reads them. An agent (the launcher's toast follows the run they
 * launched: GET /runs/:id and its `run.updated` pushes) reads them in the words the run's line in
 * the thread uses (threadReason: "the request was refused"), not the server's configuration
 * advice an agent can do nothing with ("add "127.0.0.1" to COMPANION_ALLOW_PRIVATE_URLS"): the
 * toast and the thread say the same thing. Admins and supervisors read them whole, as the run
 * history shows them: they are who can act on the advice.
 */
export function errorAsReadBy(error: string, reader: { role: Role }): string {
  return reader.role === 'agent' ? threadReason(error) : error;
}

/**
 * The run with errorAsReadBy applied to its error and each step's (the toast reads either). An
 * agent reads no third party's answer there either: a step's output keeps its status, not the
 * `response` an HTTP step or an app action kept of what the other side said (the run history has it).
 */
export function runAsReadBy<R extends Pick<Run, 'error' | 'stepLog'>>(run: R, reader: { role: Role }): R {
  if (reader.role !== 'agent') return run;
  return {
    ...run,
    error: run.error === null ? null : errorAsReadBy(run.error, reader),
    stepLog: run.stepLog.map((s) => withoutAnswer(s.error === undefined ? s : { ...s, error: errorAsReadBy(s.error, reader) })),
  };
}

function withoutAnswer<S extends { output?: unknown }>(step: S): S {
  if (!step.output || typeof step.output !== 'object' || !('response' in step.output)) return step;
  const { response: _answer, ...output } = step.output as Record<string, unknown>;
  return { ...step, output };
}
