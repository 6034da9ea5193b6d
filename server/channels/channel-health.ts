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

/**
 * Messenger refuses some sends with a permission code although they are about that one person,
 * not the Page's token (https://developers.facebook.com/docs/messenger-platform/reference/send-api/error-codes):
 * code 10 with subcode 2018278 / 2018065 (2534022 on Instagram) "This message is sent outside of
 * allowed window", 10/2018108 "This person isn't receiving messages from you right now", and
 * 200/1545041 "This person isn't available right now". Taken for credential problems, one such
 * reply marked the whole Page broken and sent the admin to replace a token that works.
 */
const OUTSIDE_WINDOW = new Set([2018278, 2018065, 2534022]);
const NOT_RECEIVING: Record<number, Set<number>> = { 10: new Set([2018108]), 200: new Set([1545041]) };

/** What the agent is told of a send Messenger refused for that person's thread; null for other refusals. */
export function recipientRefusal(err: GraphError): string | null {
  const sub = err.graph.error_subcode ?? -1;
  if (err.code === 10 && OUTSIDE_WINDOW.has(sub)) return `Messenger refused it as sent outside the time it allows for replies, by Meta's own record: more than 24 hours after the customer last wrote, a reply goes only with the Human Agent tag (up to 7 days, and only if Meta granted the Page's app that permission). It reaches them once they write again. (${err.message})`;
  if (err.code !== null && NOT_RECEIVING[err.code]?.has(sub)) return `Messenger did not deliver it: this person is not receiving messages from the Page right now (they may have blocked it or turned its messages off). (${err.message})`;
  return null;
}

/**
 * WhatsApp's integrity errors stop every send of the account, whoever it goes to: 368 "Temporarily
 * blocked for policies violations", 131031 "Account has been locked"
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/, Integrity errors).
 * The channel says so where the admin looks, as for a token Meta refuses.
 */
const ACCOUNT_CODES = new Set([368, 131031]);

/** What the admin must do about this Graph refusal, when it is about the channel itself (its token, permissions or account). */
export function credentialProblem(err: GraphError): string | null {
  const code = err.code;
  if (code === null || recipientRefusal(err)) return null;
  if (ACCOUNT_CODES.has(code)) return `Meta has restricted this WhatsApp Business Account (${err.message}): nothing it sends goes out until Meta lifts it. See the account's policy notices and quality in WhatsApp Manager, and request a review there.`;
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
