import type { Run } from '../../../lib/contracts/runs';
import type { User } from '../../../lib/contracts/users';
import { launcherOf, mayReadRun } from './launched-by';

/**
 * A run as `user` may see it in an answer: whole for those who may read it (GET /runs/:id:
 * admins, supervisors, the agent who launched it); for anyone else without its variables (a
 * shortcut's form values) and step log (HTTP answers, app outputs).
 */
export function runAsSeenBy(run: Run, user: User): Run {
  if (mayReadRun(user, launcherOf(run.variables))) return run;
  return { ...run, variables: {}, stepLog: [] };
}
