import type { z } from 'zod';
import type { ErrorDetail } from '../../lib/contracts/errors';

export type ErrorMap = Record<string, string>;

/** `body.steps[2].config.url`, `/steps/2/config/url`, `steps.2.config.url` -> `steps.2.config.url`. */
export function normalizePath(path: string | readonly PropertyKey[]): string {
  const parts = typeof path === 'string' ? path.split(/[./[\]]/).filter(Boolean) : path.map(String);
  return (parts[0] === 'body' ? parts.slice(1) : parts).join('.');
}

/** First message per path; later issues on the same path are usually consequences. */
export function issuesToMap(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): ErrorMap {
  const map: ErrorMap = {};
  for (const issue of issues) {
    const key = normalizePath([...prefix, ...issue.path]);
    map[key] ??= issue.message;
  }
  return map;
}

export function detailsToMap(details: readonly ErrorDetail[]): ErrorMap {
  const map: ErrorMap = {};
  for (const d of details) map[normalizePath(d.path)] ??= d.message;
  return map;
}
