export interface ErrorDetail {
  path: string;
  message: string;
  /** A duplicate phone or email: the contact that has it (lib/contracts/errors.ts). */
  contactId?: string;
}

/** An error meant for the client: its status, code and message are sent as they are. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const unprocessable = (message: string, details?: ErrorDetail[]) =>
  new HttpError(422, 'invalid_content', message, details);

/** zod issues -> `{ path, message }` with dotted paths (`fields.0.label`). */
export function issuesToDetails(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix = ''): ErrorDetail[] {
  return issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
}
