import { inTransaction } from '../events/unit-of-work';
import { HttpError, notFound } from '../http-error';
import { isForgotten } from '../secrets/forgotten';
import { nowIso } from '../ids';
import type { Services } from '../services';
import { generateSigningSecret } from '../signing/standard-webhooks';
import type { AppSigningSecret } from '../../lib/contracts/apps';

/**
 * How long a rotated-out secret keeps signing next to the new one (Svix's 24 hours): every
 * request carries `v1,<new> v1,<previous>`, so the app's server goes on verifying with whichever
 * it holds until it is given the new one, and no request is refused in between.
 */
export const SIGNING_SECRET_OVERLAP_MS = 24 * 3600_000;

/**
 * A new signing secret, shown this once; the one it replaces signs too until the overlap ends,
 * unless it was forgotten with a lost secret key: then the new one signs alone and
 * `previousSecretExpiresAt` is null, so neither the answer nor the page promises a second signature.
 * Refused (409) while an earlier rotation's overlap is still open, unless forced: the secret
 * signing next to the current one would be dropped, and it may be the only one the app's server
 * holds. A leak is no reason to hurry: the app's server decides which secrets it accepts.
 */
export async function rotateSigningSecret(services: Services, appId: string, force = false): Promise<AppSigningSecret> {
  const signingSecret = generateSigningSecret();
  const overlapEnd = new Date(Date.now() + SIGNING_SECRET_OVERLAP_MS).toISOString();
  const previousSecretExpiresAt = await inTransaction(services.db, async ({ trx }) => {
    const row = await trx.selectFrom('apps').select(['signing_secret', 'previous_signing_secret_expires_at']).where('id', '=', appId).executeTakeFirst();
    if (!row) throw notFound(`App ${appId}`);
    const kept = row.signing_secret && !isForgotten(row.signing_secret) ? row.signing_secret : null;
    const open = row.previous_signing_secret_expires_at;
    if (!force && open && open > nowIso()) {
      throw new HttpError(409, 'rotation_in_progress',
        `The secret rotated out last time still signs until ${open}, next to the current one: rotating again now would stop signing with a secret the app's server may still use. Rotate again after that time, or with ?force=true to drop it now.`);
    }
    const moved = await trx.updateTable('apps').set({
      signing_secret: services.vault.seal(signingSecret),
      // Stored sealed as it was: moved, never opened here. One forgotten with a lost key signs nothing.
      previous_signing_secret: kept,
      previous_signing_secret_expires_at: kept ? overlapEnd : null,
    }).where('id', '=', appId).where('signing_secret', '=', row.signing_secret).executeTakeFirst();
    // Only if no other rotation moved it since it was read: two at once would drop a secret unseen.
    if (Number(moved.numUpdatedRows) !== 1) throw new HttpError(409, 'rotation_in_progress', 'The secret was rotated by another request at the same time; look at the app again before rotating');
    return kept ? overlapEnd : null;
  });
  return { signingSecret, previousSecretExpiresAt };
}
