// A workflow file leaves an HTTP step's credentials out (n8n exports hold no credentials): each
// one becomes `{{credential: <what>}}` (server/engine/workflows/export-credentials.ts). The
// placeholder is no variable and renders as written, so publishing refuses it until the admin
// enters the credential again: nothing half-works with a placeholder sent as a password.

import type { Step } from '../contracts/steps';
import { stepTemplates } from './step-templates';
import { URL_PATH_SECRETS } from './url-path-secrets';

/** What the file holds instead of a credential: `{{credential: Authorization}}`. */
export const credentialPlaceholder = (what: string) => `{{credential: ${what}}}`;

/** `what` for a URL's `user:password@`. */
export const URL_USERINFO = 'user:password';

const PLACEHOLDER = /\{\{\s*credential:\s*([^{}]*?)\s*\}\}/gi;

/** The `what` of every credential placeholder in a text, in order. */
export function credentialPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** A credential left out of a step: where it goes, and what to tell the admin. */
export type CredentialGap = { path: (string | number)[]; what: string; message: string };

/** Each credential an HTTP step's file left out (none for other steps), said as what to set again. */
export function credentialGaps(step: Step): CredentialGap[] {
  if (step.type !== 'http_request') return [];
  return stepTemplates(step).flatMap(({ path, template }) => credentialPlaceholders(template).map((what) => {
    const header = path[1] === 'headers' ? step.config.headers[Number(path[2])]?.key : undefined;
    const where = header !== undefined ? `the ${header} header`
      : path[1] === 'url' ? (what === URL_USERINFO ? 'the user and password of the URL' : URL_PATH_SECRETS.includes(what) ? `the ${what} in the URL` : `the URL parameter ${what}`)
        : `"${what}" in the body`;
    return { path, what, message: `set ${where} again (the workflow file left the credential out; ${credentialPlaceholder(what)} holds its place)` };
  }));
}
