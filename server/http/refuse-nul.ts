import { NUL_MESSAGE, nulPaths } from '../../lib/workflow/nul-text';
import { unprocessable } from '../http-error';

/**
 * A 422 naming each place of `value` (a request's part `where`, e.g. `items`) holding a NUL, for
 * values a route keeps as JSON and renders later: refused up front, not a run that fails on them.
 */
export function refuseNul(value: unknown, where: string): void {
  const paths = nulPaths(value);
  if (paths.length === 0) return;
  const details = paths.map((p) => ({ path: [where, ...p].join('.'), message: NUL_MESSAGE }));
  throw unprocessable(`${NUL_MESSAGE}: ${details.map((d) => d.path).join(', ')}`, details);
}
