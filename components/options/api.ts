import { z } from 'zod';
import { ErrorBody, type ErrorDetail } from '../../lib/contracts/errors';
import { sendMessage } from '../../lib/extension/messaging';
import { refusedParameters } from '../../lib/extension/older-server';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A refused or failed call, with the server's 422 `details` kept for the fields they name. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** The server's `error.code` (`app_in_use`, `reinstall_needed`…): what kind of refusal, for the words around it. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/**
 * One call to the connected server through the background (the options page never fetches the
 * server itself), its answer parsed with `schema`. Throws ApiFailure on any non-2xx.
 */
export async function request<S extends z.ZodType>(schema: S, method: Method, path: string, body?: unknown): Promise<z.infer<S>> {
  const answer = await sendMessage('api', body === undefined ? { method, path } : { method, path, body });
  if (answer.status < 200 || answer.status >= 300) {
    const err = ErrorBody.safeParse(answer.body);
    const details = err.success ? err.data.error.details ?? [] : [];
    // The background already put an older server's refusals in its words (lib/extension/older-server.ts).
    const message = err.success ? err.data.error.message : answer.status === 0 ? 'The server could not be reached' : `The server answered ${answer.status}`;
    throw new ApiFailure(answer.status, message, details, err.success ? err.data.error.code : undefined);
  }
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiFailure(answer.status, `Unexpected answer from ${path}: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}

/** For 204 answers and others whose body the page does not use. */
export const NoBody = z.unknown();

export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The words above a form the server refused. A schema refusal only lists its details in API words
 * ("The body is invalid: body.name: …; body.accessToken: …"); where those problems show on their
 * fields (`placed`), the form says where to look instead. A message of its own is kept.
 */
export function refusalMessage(err: unknown, placed: Readonly<Record<string, string>>): string {
  const onlyListsDetails = err instanceof ApiFailure && err.details.length > 0
    && err.details.every((d) => err.message.includes(`${d.path}: ${d.message}`));
  return onlyListsDetails && Object.keys(placed).length > 0 ? 'Correct the fields marked below.' : errorMessage(err);
}

/** A 422 for query parameters the server does not know: it is older than the extension. */
export const refusedByOlderServer = (err: unknown) => err instanceof ApiFailure && err.status === 422 && refusedParameters(err.details).length > 0;
