import type { User } from '../../../lib/contracts/users';
import { fromJson } from '../../store/database';

/**
 * The agent who launched a run from the launcher (its shortcut trigger's `launchedBy`), else null.
 * Besides admins and supervisors, only that agent may read the run: its details (GET /runs/:id)
 * and the error its live updates carry (routes/stream).
 */
export function launcherOf(variables: Record<string, unknown> | string | null | undefined): string | null {
  const vars = typeof variables === 'string' ? fromJson<Record<string, unknown>>(variables, {}) : variables;
  const launchedBy = (vars?.trigger as { launchedBy?: unknown } | undefined)?.launchedBy;
  return typeof launchedBy === 'string' ? launchedBy : null;
}

/**
 * Whether `user` may read a run whole (variables, step log, error): admins and supervisors read
 * the run history (what their agents ran, and why it failed); an agent the runs they launched.
 */
export const mayReadRun = (user: Pick<User, 'id' | 'role'>, launcher: string | null | undefined): boolean =>
  user.role === 'admin' || user.role === 'supervisor' || (launcher != null && launcher === user.id);
