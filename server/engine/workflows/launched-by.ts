import { fromJson } from '../../store/database';

/**
 * The agent who launched a run from the launcher (its shortcut trigger's `launchedBy`), else null.
 * Besides admins, only that agent may read the run: its details (GET /runs/:id) and the error
 * its live updates carry (routes/stream).
 */
export function launcherOf(variables: Record<string, unknown> | string | null | undefined): string | null {
  const vars = typeof variables === 'string' ? fromJson<Record<string, unknown>>(variables, {}) : variables;
  const launchedBy = (vars?.trigger as { launchedBy?: unknown } | undefined)?.launchedBy;
  return typeof launchedBy === 'string' ? launchedBy : null;
}
