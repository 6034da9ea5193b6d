import type { z } from 'zod';
import type { ErrorDetail } from '../../lib/contracts/errors';

export type ErrorMap = Record<string, string>;

/** `body.steps[2].config.url`, `/steps/2/config/url`, `steps.2.config.url` -> `steps.2.config.url`. */
export function normalizePath(path: string | readonly PropertyKey[]): string {
  const parts = typeof path === 'string' ? path.split(/[./[\]]/).filter(Boolean) : path.map(String);
  return (parts[0] === 'body' ? parts.slice(1) : parts).join('.');
}

// Number inputs hand NaN to the draft when emptied; zod's own words for that ("Invalid input:
// expected number, received NaN") mean nothing to an admin. Keyed by the field's last path part.
const EMPTY_NUMBER: Record<string, string> = {
  seconds: 'Enter how long to wait',
  timeoutMs: 'Enter a timeout in milliseconds (100 to 30000)',
};
const WHOLE_NUMBER: Record<string, string> = {
  seconds: 'Wait a whole number of seconds',
  timeoutMs: 'Enter the timeout as a whole number of milliseconds',
};

/** The issue's message, or a plain one where zod's default would show (numbers left empty). */
const STEP_REFERENCES = new Set(['goTo', 'elseGoTo', 'stepId']);

export function humanMessage(issue: Pick<z.core.$ZodIssue, 'code' | 'message' | 'path'> & { expected?: unknown }): string {
  const key = String(issue.path[issue.path.length - 1] ?? '');
  // A jump target left empty breaks the step-id rule ("A step needs an id"); the admin picks one.
  if (STEP_REFERENCES.has(key) && issue.code === 'too_small') return 'Choose a step';
  if (issue.code !== 'invalid_type' || !issue.message.startsWith('Invalid input')) return issue.message;
  if (issue.expected === 'number') return EMPTY_NUMBER[key] ?? 'Enter a number';
  if (issue.expected === 'int') return WHOLE_NUMBER[key] ?? 'Enter a whole number';
  return issue.message;
}

/** First message per path; later issues on the same path are usually consequences. */
export function issuesToMap(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): ErrorMap {
  const map: ErrorMap = {};
  for (const issue of issues) {
    const key = normalizePath([...prefix, ...issue.path]);
    map[key] ??= humanMessage(issue);
  }
  return map;
}

export function detailsToMap(details: readonly ErrorDetail[]): ErrorMap {
  const map: ErrorMap = {};
  for (const d of details) map[normalizePath(d.path)] ??= d.message;
  return map;
}

/**
 * A flat form's share of the server's details: a path lands on the field it starts with
 * (`body.email` -> `email`, `options.0` -> `options`, the URL's `params.key` -> `key`). What names
 * none of `fields` stays under its own path, for the form to show with its overall message.
 */
export function placeDetails(details: readonly ErrorDetail[], fields: readonly string[]): { placed: ErrorMap; rest: ErrorMap } {
  const placed: ErrorMap = {};
  const rest: ErrorMap = {};
  for (const [path, message] of Object.entries(detailsToMap(details))) {
    const parts = path.split('.');
    const head = parts[0] === 'params' ? parts[1] : parts[0];
    if (head && fields.includes(head)) placed[head] ??= message;
    else rest[path] = message;
  }
  return { placed, rest };
}

/**
 * For forms validated with a contract whose messages are zod's defaults ("Too small: expected
 * string to have >=1 characters"): plain words instead. Passed as the parse's error map, so a
 * schema's own messages still win.
 */
export const PLAIN_ERRORS = {
  error: (issue: z.core.$ZodRawIssue): string | undefined => {
    if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1) return 'Required';
    if (issue.code === 'too_big' && issue.origin === 'string') return `At most ${String(issue.maximum)} characters`;
    return undefined;
  },
};
