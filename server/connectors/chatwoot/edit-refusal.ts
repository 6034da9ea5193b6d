import { HttpError } from '../../http-error';
import type { ChatwootApiError } from './api';

const NOTHING = 'Nothing was changed, here or in Chatwoot';

/**
 * What the caller of an edit of a Chatwoot contact is told when Chatwoot did not take it, in
 * words an agent can act on (the inbox's contact panel shows them under the field):
 * - refused as invalid (422: app/models/contact.rb validations, worded by Rails): 409 when another
 *   Chatwoot contact has the email or phone (as a duplicate here is), else 422, with Chatwoot's reason;
 * - busy or down before doing anything (no connection, 429, 503): 503 with Retry-After;
 * - an answer that may come after the save (500, 502, 504, a dropped connection): 502, saying to
 *   look in Chatwoot before trying again;
 * - any other refusal (its token revoked, the contact deleted there): 502 with Chatwoot's answer.
 */
export function editRefused(err: ChatwootApiError, about: { cwId: number; already?: string }): HttpError {
  const also = about.already ? ` (${about.already})` : '';
  if (err.status === 422) {
    const taken = /(Email|Phone number) has already been taken/.exec(err.answer)?.[1];
    const named = taken ?? /\b(Email|Phone number)\b/.exec(err.answer)?.[1];
    const hint = taken ? `: another Chatwoot contact has this ${taken.toLowerCase()} (if they are the same person, merge the two in Chatwoot)` : '';
    const reason = `Chatwoot refused this change to its contact ${about.cwId} ("${err.answer || 'unprocessable'}")${hint}`;
    const details = named ? [{ path: named === 'Email' ? 'body.email' : 'body.phone', message: reason }] : undefined;
    return new HttpError(taken ? 409 : 422, 'chatwoot_refused', `${reason}. ${NOTHING}${also}`, details);
  }
  if (err.transient && err.noEffect) {
    const seconds = Math.max(1, Math.ceil((err.retryAfterMs ?? 30_000) / 1000));
    return new HttpError(503, 'chatwoot_unavailable',
      `This contact lives in Chatwoot and Chatwoot cannot take the change now (${err.message}). ${NOTHING}${also}; try again in a moment`,
      undefined, { 'retry-after': String(seconds) });
  }
  if (err.transient) {
    return new HttpError(502, 'chatwoot_unavailable',
      `Chatwoot did not answer this change (${err.message}). It may have been saved in Chatwoot all the same: look there before trying again (a change saved there comes here with Chatwoot's update). Nothing was changed here${also}`);
  }
  const gone = err.reason === 'not_found' ? ` (its contact ${about.cwId} may have been deleted there)` : '';
  return new HttpError(502, 'chatwoot_refused', `Chatwoot refused this change${gone}: ${err.message.replace(/\.$/, '')}. ${NOTHING}${also}`);
}
