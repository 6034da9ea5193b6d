import { NUL_MESSAGE, nulPaths } from '../../lib/workflow/nul-text';
import { unprocessable, type ErrorDetail } from '../http-error';

/**
 * A 422 naming each place of `value` (a request's part `where`, e.g. `items`) holding a NUL, for
 * values a route keeps as JSON and renders later: refused up front, not a run that fails on them.
 */
export function refuseNul(value: unknown, where: string): void {
  const details = nulDetails({ [where]: value });
  if (details.length) throw unprocessable(nulMessage(details), details);
}

/** Each place of the request's parts (`{ body, params }`) holding a NUL, as a 422's details (`body.lastName`). */
export const nulDetails = (parts: Record<string, unknown>): ErrorDetail[] =>
  Object.entries(parts).flatMap(([where, value]) => nulPaths(value).map((p) => ({ path: [where, ...p].join('.'), message: NUL_MESSAGE })));

export const nulMessage = (details: readonly ErrorDetail[]) => `${NUL_MESSAGE}: ${details.map((d) => d.path).join(', ')}`;
