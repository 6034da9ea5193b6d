import type { Installation, SubscribeRequest } from '../../lib/contracts/apps';
import { issueToken, revokeToken } from '../auth/tokens';
import { inTransaction } from '../events/unit-of-work';
import { HttpError, notFound, unprocessable } from '../http-error';
import { nowIso } from '../ids';
import type { Services } from '../services';
import { fromJson, type Executor } from '../store/database';
import { overlapPreviousKeys, revokeInstallationKeys } from './api-key-store';
import { secretAuthValues } from './hide-secrets';
import { findAppRow, findInstalledApp, getApp, refuseForgotten, signingSecretsOf, workspaceId, type InstalledApp } from './store';
import { postSigned, privateUrlMessage, subscribeTiming } from './subscribe-request';

// Regenerating an installed app's API key without uninstalling it (uninstalling is refused while
// published workflows use the app, and a leaked key cannot wait for that). The new key reaches
// the app's server as a key may only reach it: in a signed subscribe request, for the same
// installation, `reason: key_rotated`. Its answer decides:
// - 2xx: the app stored the new key, so every other key of the installation is revoked at once.
//   No overlap: the point of regenerating is usually that the old key leaked, and the app's server
//   has switched by the time it answers (it answers only once the key is stored).
// - 3xx/4xx, a refused connection, our own policy: the app did not take it. The new key is revoked
//   and nothing else changes (502 `subscribe_failed` with the app's reason).
// - no answer in time, a dropped connection, a 5xx: it may have stored the new key or not. Both
//   work for KEY_OVERLAP_MS, so the app works whichever it holds; then only the new one does (502
//   `subscribe_unconfirmed` saying until when). Regenerating again (a 2xx ends it) or "revoke the
//   previous keys" closes it sooner.

/** How long the keys an unconfirmed rotation replaced keep working next to the new one. */
export const KEY_OVERLAP_MS = 24 * 3600_000;
/** Past the subscribe timeout: a rotation whose instance stopped mid-request frees the installation by itself. */
const LEASE_MARGIN_MS = 30_000;

/**
 * A new API key for the installed app, sent in a subscribe request; `apply` gives it the manifest's
 * scopes (granting what an update added), else the scopes the current key holds.
 */
export async function rotateApiKey(services: Services, appId: string, scopes: 'keep' | 'apply'): Promise<Installation> {
  const { db } = services;
  const installed = await installedApp(services, appId);
  // Before a key is made: it would be sent unsigned, or with no install values.
  refuseForgotten(installed.app);
  const { manifest } = installed.app;
  const { installation } = installed;
  const url = manifest.subscribeUrl;
  if (!url) {
    throw new HttpError(409, 'no_subscribe_url',
      `"${manifest.name}" has no subscribeUrl, so a new key could be sent nowhere: add one to its manifest first (the key is sent only in the subscribe request)`);
  }
  const lease = new Date(Date.now() + subscribeTiming.timeoutMs + LEASE_MARGIN_MS).toISOString();
  const issued = await inTransaction(db, async ({ trx }) => {
    await takeLease(trx, installation.id, manifest.name, lease);
    const granted = scopes === 'apply' ? manifest.scopes : installation.scopes;
    const key = await issueToken(trx, { kind: 'app', installationId: installation.id, scopes: granted }, `app:${manifest.key}`);
    // Bounded until an answer makes it current: should this instance stop before then, a key the
    // app may hold still ends by itself (the current one goes on).
    await trx.updateTable('tokens').set({ expires_at: new Date(Date.now() + KEY_OVERLAP_MS).toISOString() }).where('id', '=', key.id).execute();
    return key;
  });
  try {
    const row = await findAppRow(db, appId);
    const request: SubscribeRequest = {
      workspaceId: await workspaceId(db), appId, installationId: installation.id, apiKey: issued.token, apiKeyId: issued.id,
      authValues: installation.authValues, scopes: scopes === 'apply' ? manifest.scopes : installation.scopes,
      reason: 'key_rotated', replacesApiKeyId: installation.tokenId,
    };
    // The key exists while the request is in flight, so the app's server may try it before answering.
    const failure = await postSigned(services, row ? signingSecretsOf(row, services.vault) : [], url, request,
      [issued.token, ...secretAuthValues(manifest.authInputs, installation.authValues)]);
    if (!failure) {
      await inTransaction(db, async ({ trx }) => {
        await makeCurrent(trx, installation.id, issued.id, manifest.name);
        await revokeInstallationKeys(trx, installation.id, issued.id);
      });
      return (await getApp(db, appId)).installation!;
    }
    if (!failure.maybeReceived) {
      await revokeToken(db, issued.id);
      if (failure.blocked) throw unprocessable(privateUrlMessage(url, failure.reason));
      const still = installation.previousKeysExpireAt ? ` (and the keys an earlier rotation replaced, until ${installation.previousKeysExpireAt})` : '';
      throw new HttpError(502, 'subscribe_failed',
        `The app's server did not accept the new key (${url}): ${failure.reason}. The new key was revoked; the current key ${installation.tokenId} goes on working${still}.`);
    }
    const until = new Date(Date.now() + KEY_OVERLAP_MS).toISOString();
    await inTransaction(db, async ({ trx }) => {
      await makeCurrent(trx, installation.id, issued.id, manifest.name);
      await overlapPreviousKeys(trx, installation.id, issued.id, until);
    });
    throw new HttpError(502, 'subscribe_unconfirmed',
      `The app's server did not confirm that it stored the new key (${url}): ${failure.reason}. It may have stored it all the same, so until ${until} both the new key ${issued.id} and the key it replaces work, and the app works whichever it holds; after that only the new key does. `
      + 'Regenerate the key again once its server answers (its 2xx revokes the others at once), or revoke the previous key now if you know the app has the new one.');
  } finally {
    // Every path above has let go already, unless it threw first.
    await db.updateTable('installations').set({ key_rotating_until: null }).where('id', '=', installation.id).where('key_rotating_until', '=', lease).execute();
  }
}

/**
 * Ends an unconfirmed rotation now: the keys it replaced stop working, only the current one is
 * left (the admin knows the app's server has it). Nothing to end answers the installation as it is.
 */
export async function revokePreviousKeys(services: Services, appId: string): Promise<Installation> {
  const { db } = services;
  const installed = await installedApp(services, appId);
  await inTransaction(db, async ({ trx }) => {
    // Not while a new key is on its way: it is not current yet, and would be revoked under the app.
    const free = await trx.updateTable('installations').set({ key_rotating_until: null }).where('id', '=', installed.installation.id)
      .where((eb) => eb.or([eb('key_rotating_until', 'is', null), eb('key_rotating_until', '<=', nowIso())])).executeTakeFirst();
    if (Number(free.numUpdatedRows) !== 1) await busyOrGone(trx, installed.installation.id, installed.app.manifest.name);
    const row = await trx.selectFrom('installations').select('token_id').where('id', '=', installed.installation.id).executeTakeFirstOrThrow();
    await revokeInstallationKeys(trx, installed.installation.id, row.token_id);
  });
  return (await getApp(db, appId)).installation!;
}

async function installedApp(services: Services, appId: string): Promise<InstalledApp> {
  const installed = await findInstalledApp(services.db, services.vault, appId);
  if (installed) return installed;
  const row = await findAppRow(services.db, appId);
  if (!row) throw notFound(`App ${appId}`);
  throw new HttpError(404, 'not_installed', `The app "${fromJson<{ name?: string }>(row.manifest, {}).name ?? appId}" is not installed: install it to give it a key`);
}

/** One rotation at a time per installation: a second one would revoke the key the first is handing over. */
async function takeLease(db: Executor, installationId: string, name: string, until: string): Promise<void> {
  const taken = await db.updateTable('installations').set({ key_rotating_until: until }).where('id', '=', installationId)
    .where((eb) => eb.or([eb('key_rotating_until', 'is', null), eb('key_rotating_until', '<=', nowIso())])).executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1) await busyOrGone(db, installationId, name);
}

async function busyOrGone(db: Executor, installationId: string, name: string): Promise<never> {
  if (await db.selectFrom('installations').select('id').where('id', '=', installationId).executeTakeFirst()) {
    throw new HttpError(409, 'rotation_in_progress', `A new key for "${name}" is being sent to its server right now; look at the app again in a moment`);
  }
  throw new HttpError(404, 'not_installed', `The app "${name}" is not installed`);
}

/** The new key becomes the installation's; gone meanwhile (uninstalled), its keys were all revoked with it. */
async function makeCurrent(db: Executor, installationId: string, tokenId: string, name: string): Promise<void> {
  const moved = await db.updateTable('installations').set({ token_id: tokenId, key_rotating_until: null }).where('id', '=', installationId).executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw new HttpError(409, 'conflict', `The app "${name}" was uninstalled while its new key was being sent`);
  await db.updateTable('tokens').set({ expires_at: null }).where('id', '=', tokenId).execute();
}
