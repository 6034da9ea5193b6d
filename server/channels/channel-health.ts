import { nowIso } from '../ids';
import type { Services } from '../services';
import type { ConnectionsTable } from '../store/schema';
import type { GraphError } from './graph';

// Meta does not say when a token stops working (a temporary token after a day, a user token after
// ~60 days, or at once when its user changes password or loses access): a send learns it. The
// channel then says so where the admin looks (Channels), instead of only in failed runs.
// https://developers.facebook.com/docs/graph-api/guides/error-handling (102, 190: get a new
// token; 10, 200-299: permission) and WhatsApp's 131005 (access denied).
const TOKEN_CODES = new Set([102, 190]);
export const isTokenCode = (code: number | null) => code !== null && TOKEN_CODES.has(code);
export const isPermissionCode = (code: number | null) => code !== null && (code === 10 || (code >= 200 && code <= 299) || code === 131005);

/** What the admin must do about this Graph refusal, when it is about the channel's credentials. */
export function credentialProblem(err: GraphError): string | null {
  const code = err.code;
  if (code === null) return null;
  if (isTokenCode(code)) return `Meta no longer accepts this channel's access token (${err.message}). Paste a new one: Channels → Replace token.`;
  if (isPermissionCode(code)) return `This channel's access token lacks a permission Meta requires (${err.message}). Give the token's user or app that permission, or paste a token that has it: Channels → Replace token.`;
  return null;
}

/** A send refused for the channel's credentials marks the channel; a send that goes through clears the mark. */
export async function noteSendOutcome(services: Services, connection: ConnectionsTable, err: GraphError | null) {
  const problem = err ? credentialProblem(err) : null;
  if (problem) {
    await services.db.updateTable('connections').set({ status: 'error', last_error: problem, updated_at: nowIso() }).where('id', '=', connection.id).execute();
  } else if (!err && connection.status !== 'active') {
    await services.db.updateTable('connections').set({ status: 'active', last_error: null, updated_at: nowIso() }).where('id', '=', connection.id).execute();
  }
}
