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

/** The run with errorAsReadBy applied to its error and each step's (the toast reads either). */
export function runAsReadBy<R extends Pick<Run, 'error' | 'stepLog'>>(run: R, reader: { role: Role }): R {
  if (reader.role !== 'agent') return run;
  return {
    ...run,
    error: run.error === null ? null : errorAsReadBy(run.error, reader),
    stepLog: run.stepLog.map((s) => (s.error === undefined ? s : { ...s, error: errorAsReadBy(s.error, reader) })),
  };
}
