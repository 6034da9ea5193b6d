import type { ChannelKind } from '../../lib/contracts/channels';
import { HttpError, type ErrorDetail } from '../http-error';
import type { Services } from '../services';
import { isPermissionCode, isTokenCode } from './channel-health';
import { graphCall, GraphError } from './graph';

// A channel's credentials are checked with Meta before they are kept, so that a wrong id shows at
// connect (on the field to fix) instead of weeks later as a failed send or an empty template list.
// Error codes: https://developers.facebook.com/docs/graph-api/guides/error-handling (100/33: the
// object does not exist or the token cannot see it; 102, 190: the token; 10, 200-299: a permission).

/** What the form calls each credential (the request body's field names). */
export interface CredentialFields { id: 'phoneNumberId' | 'pageId'; token: 'accessToken' | 'pageAccessToken' }
export const MANAGEMENT_PERMISSION = 'whatsapp_business_management';
/** 10 pages of 100 numbers: far more than one WhatsApp Business Account holds. */
const MAX_PAGES = 10;

const refused = (message: string, details: ErrorDetail[]) => new HttpError(422, 'channel_verification_failed', message, details);

/** Meta down or unreachable is not a verdict on the credentials: nothing saved, try again. */
function unavailable(err: GraphError) {
  return new HttpError(502, 'graph_unavailable', `The credentials could not be checked, nothing was saved: ${err.message}. Try again in a moment.`);
}

/** A refusal the token itself explains (expired, revoked, lacking a permission), or null. */
function tokenRefusal(err: GraphError, tokenField: string, permission: string | null): HttpError | null {
  const path = `body.${tokenField}`;
  if (isTokenCode(err.code)) return refused(`Meta refused these credentials. ${err.message}`, [{ path, message: err.message }]);
  if (!isPermissionCode(err.code)) return null;
  const message = permission
    ? `This access token lacks the ${permission} permission, which the companion needs to check the WhatsApp Business Account and to list its message templates (${err.message}). Generate a System User token with ${permission} and whatsapp_business_messaging, and paste it.`
    : `This access token lacks a permission Meta requires (${err.message}). Paste a token that has it.`;
  return refused(message, [{ path, message }]);
}

function rethrow(err: unknown, fields: CredentialFields): never {
  if (!(err instanceof GraphError)) throw err;
  if (err.status === 0 || err.status >= 500) throw unavailable(err);
  throw tokenRefusal(err, fields.token, null)
    ?? refused(`Meta refused these credentials. ${err.message}`, [{ path: `body.${fields.id}`, message: err.message }]);
}

/**
 * Checks a phone number id or Page id with its token, answering what Meta calls it.
 * WhatsApp: GET /{phone-number-id}?fields=display_phone_number,verified_name
 *   (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account-to-number-current-status/)
 * Page: GET /{page-id}?fields=id,name (https://developers.facebook.com/docs/graph-api/reference/page/)
 */
export async function verifyAccount(services: Services, kind: ChannelKind, accountId: string, token: string, fields: CredentialFields): Promise<string | null> {
  const opts = { baseUrl: services.config.metaGraphUrl, attempts: 2 };
  try {
    if (kind === 'whatsapp') {
      const r = await graphCall<{ display_phone_number?: string; verified_name?: string }>(
        { method: 'GET', path: `/${accountId}`, token, query: { fields: 'display_phone_number,verified_name' } }, opts);
      return [r.verified_name, r.display_phone_number && `(${r.display_phone_number})`].filter(Boolean).join(' ') || null;
    }
    const r = await graphCall<{ name?: string }>({ method: 'GET', path: `/${accountId}`, token, query: { fields: 'id,name' } }, opts);
    return r.name ?? null;
  } catch (err) {
    rethrow(err, fields);
  }
}

interface GraphPhoneNumber { id?: string; display_phone_number?: string; verified_name?: string }

/**
 * Checks that the WhatsApp Business Account exists for this token and holds the phone number:
 * GET /{waba-id}/phone_numbers, which needs whatsapp_business_management (as the template list
 * does) and answers `data` of {id, display_phone_number, verified_name} with cursor paging.
 * https://developers.facebook.com/docs/whatsapp/business-management-api/manage-phone-numbers
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/solution-providers/manage-phone-numbers/
 * https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/phone_numbers/ (errors 100, 190, 200)
 */
export async function verifyBusinessAccount(services: Services, businessAccountId: string, phoneNumberId: string, token: string): Promise<void> {
  const numbers: GraphPhoneNumber[] = [];
  const path = 'body.businessAccountId';
  try {
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await graphCall<{ data?: GraphPhoneNumber[]; paging?: { cursors?: { after?: string }; next?: string } }>({
        method: 'GET', path: `/${businessAccountId}/phone_numbers`, token,
        query: { fields: 'id,display_phone_number,verified_name', limit: '100', ...(after ? { after } : {}) },
      }, { baseUrl: services.config.metaGraphUrl, attempts: 2 });
      numbers.push(...(answer.data ?? []));
      if (numbers.some((n) => n.id === phoneNumberId)) return;
      // Only Meta's cursor is followed, never the `next` URL itself: it names a host.
      after = answer.paging?.next ? answer.paging.cursors?.after : undefined;
      if (!after) break;
    }
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    if (err.status === 0 || err.status >= 500) throw unavailable(err);
    const byToken = tokenRefusal(err, 'accessToken', MANAGEMENT_PERMISSION);
    if (byToken) throw byToken;
    // 100 (subcode 33 for an unknown id; without it when the id is some other object's, e.g. a phone number's).
    const message = err.code === 100
      ? `WhatsApp Business Account ${businessAccountId} does not exist, or this access token cannot see it (${err.message}). Copy the WhatsApp Business Account ID from the app's WhatsApp → API Setup or Business settings → Accounts → WhatsApp accounts (not the phone number id or the business portfolio id), and check that the token's system user is assigned to that account.`
      : `Meta refused to read WhatsApp Business Account ${businessAccountId}: ${err.message}`;
    throw refused(message, [{ path, message }]);
  }
  const shown = numbers.slice(0, 5).map((n) => [n.display_phone_number, n.id && `(id ${n.id})`].filter(Boolean).join(' '));
  const held = shown.join(', ') + (numbers.length > shown.length ? ` and ${numbers.length - shown.length} more` : '');
  const message = `Phone number ${phoneNumberId} is not in WhatsApp Business Account ${businessAccountId} (${held ? `its numbers: ${held}` : 'it has no phone numbers'}). Give the WhatsApp Business Account that holds this number.`;
  throw refused(message, [{ path, message }]);
}
