import { ApiFailure, errorMessage } from '../api';
import { detailsToMap, type ErrorMap } from '../error-paths';

// The server's refusal of a manifest (POST /apps, PUT /apps/:id), in words: its own message says
// what and which workflows; the lead says what kind of refusal it is and so what to do.
const LEADS: Record<string, string> = {
  app_in_use: 'Not saved: workflows rely on what this change removes.',
  reinstall_needed: 'Not saved: the app is installed, and this change takes a new install.',
  conflict: 'Not registered: another app has this key.',
};

export interface Refusal {
  lead?: string;
  message: string;
  /** 422 details (and a taken key) by the input they belong to. */
  paths: ErrorMap;
}

export function refusalOf(err: unknown): Refusal | undefined {
  if (!err) return undefined;
  if (!(err instanceof ApiFailure)) return { message: errorMessage(err), paths: {} };
  const paths = detailsToMap(err.details);
  if (err.code === 'conflict' && err.status === 409) paths.key ??= 'Another app has this key; choose another';
  return { lead: err.code ? LEADS[err.code] : undefined, message: err.message, paths };
}
