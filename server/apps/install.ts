import type { Installation, InstallBody, SubscribeRequest, UnsubscribeRequest } from '../../lib/contracts/apps';
import { issueToken, revokeToken } from '../auth/tokens';
import { inTransaction } from '../events/unit-of-work';
import { conflict, HttpError, notFound, unprocessable } from '../http-error';
import { newId, nowIso } from '../ids';
import type { Services } from '../services';
import { fromJson, isUniqueViolation, toJson } from '../store/database';
import { revokeInstallationKeys } from './api-key-store';
import { secretAuthValues } from './hide-secrets';
import { assertNotInUse } from './in-use';
import { checkedAuthValues } from './install-values';
import { enqueueDelivery, UNSUBSCRIBE_KIND } from './outbox';
import { postSigned, privateUrlMessage } from './subscribe-request';
import { findAppRow, findInstalledApp, getApp, refuseForgotten, signingSecretsOf, workspaceId } from './store';

export { subscribeTiming } from './subscribe-request';

/**
 * Installs an app: checks the auth values, makes an API key with exactly the manifest's scopes
 * and hands it to the app's server in a signed subscribe request. The installation and its key
 * exist while that request is in flight (so the app may try its key before answering); only a
 * 2xx keeps them, any other outcome deletes the installation and revokes the key. When the app's
 * server may have taken the request all the same (no answer in time, the connection dropped, a
 * 5xx), it is sent an unsubscribe request for that installation, as after an uninstall: else it
 * would go on believing it is installed, with a key that no longer works.
 */
export async function installApp(services: Services, appId: string, body: InstallBody, wakeOutbox: () => void): Promise<Installation> {
  const { db } = services;
  const row = await findAppRow(db, appId);
  if (!row) throw notFound(`App ${appId}`);
  const app = await getApp(db, appId);
  if (app.installation) throw conflict(`The app "${app.manifest.name}" is already installed; uninstall it first`);
  const { manifest } = app;
  refuseForgotten(app);

  const authValues = checkedAuthValues(manifest, body.authValues);

  const installationId = newId('inst');
  const createdAt = nowIso();
  let issued: { id: string; token: string };
  try {
    issued = await inTransaction(db, async ({ trx }) => {
      const key = await issueToken(trx, { kind: 'app', installationId, scopes: manifest.scopes }, `app:${manifest.key}`);
      await trx.insertInto('installations').values({ id: installationId, app_id: appId, auth_values: services.vault.seal(toJson(authValues)), token_id: key.id, created_at: createdAt }).execute();
      return key;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`The app "${manifest.name}" is already installed`);
    throw err;
  }

  if (manifest.subscribeUrl) {
    const ws = await workspaceId(db);
    const request: SubscribeRequest = { workspaceId: ws, appId, installationId, apiKey: issued.token, apiKeyId: issued.id, authValues, scopes: manifest.scopes, reason: 'installed' };
    const failure = await postSigned(services, signingSecretsOf(row, services.vault), manifest.subscribeUrl, request, [issued.token, ...secretAuthValues(manifest.authInputs, authValues)]);
    if (failure) {
      const { unsubscribeUrl } = manifest;
      const tellApp = failure.maybeReceived && unsubscribeUrl !== undefined;
      await inTransaction(db, async (uow) => {
        await uow.trx.deleteFrom('installations').where('id', '=', installationId).execute();
        await revokeToken(uow.trx, issued.id);
        if (tellApp) {
          const unsubscribe: UnsubscribeRequest = { workspaceId: ws, appId, installationId, apiKeyId: issued.id, authValues, reason: 'subscribe_failed' };
          await enqueueDelivery(uow.trx, { kind: UNSUBSCRIBE_KIND, url: unsubscribeUrl, body: unsubscribe });
          uow.afterCommit(wakeOutbox);
        }
      });
      // Refused by our own policy, nothing was sent: the admin can fix that here (as for Chatwoot), not the app's server.
      if (failure.blocked) throw unprocessable(privateUrlMessage(manifest.subscribeUrl, failure.reason));
      const after = !failure.maybeReceived ? ''
        : tellApp ? ` The app's server may have stored the key all the same: it was revoked, and the app's server is sent an unsubscribe request for installation ${installationId}.`
          : ` The app's server may have stored the key all the same: it was revoked, but the app has no unsubscribeUrl to be told so.`;
      throw new HttpError(502, 'subscribe_failed', `The app's server did not accept the subscribe request (${manifest.subscribeUrl}): ${failure.reason}.${after}`);
    }
    // An uninstall may have run while the app's server was answering.
    const still = await db.selectFrom('installations').select('id').where('id', '=', installationId).executeTakeFirst();
    if (!still) throw conflict(`The app "${manifest.name}" was uninstalled while it was being installed`);
  }
  return { id: installationId, appId, createdAt, apiKeyId: issued.id, scopes: manifest.scopes, scopesToGrant: [], previousKeysExpireAt: null };
}

/**
 * Uninstalls: the key is revoked and the installation removed at once (one transaction, which
 * also queues the unsubscribe request), unless a published workflow still uses the app (409
 * naming it, in-use.ts). The app's server hears about it from the outbox worker, retried until
 * it answers; the uninstall never waits for or fails because of it.
 */
export async function uninstallApp(services: Services, appId: string, wakeOutbox: () => void): Promise<void> {
  const { db } = services;
  const installed = await findInstalledApp(db, services.vault, appId);
  if (!installed) {
    const row = await findAppRow(db, appId);
    if (!row) throw notFound(`App ${appId}`);
    throw notInstalled(fromJson<{ name?: string }>(row.manifest, {}).name ?? appId);
  }
  const { manifest } = installed.app;
  const { installation } = installed;
  const ws = await workspaceId(db);
  await inTransaction(db, async (uow) => {
    // Deleted first: on PostgreSQL the row stays locked until this ends, so a publish checking the
    // app (publish-checks reads the installation FOR SHARE) waits and then finds it gone, and a
    // publish that read it first has committed before the workflows are read below.
    const deleted = await uow.trx.deleteFrom('installations').where('id', '=', installation.id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1) throw notInstalled(manifest.name);
    await assertNotInUse(uow.trx, appId, manifest.name);
    // Every key of it: keys an unconfirmed rotation replaced may still be working.
    await revokeInstallationKeys(uow.trx, installation.id);
    if (manifest.unsubscribeUrl) {
      const body: UnsubscribeRequest = { workspaceId: ws, appId, installationId: installation.id, apiKeyId: installation.tokenId, authValues: installation.authValues, reason: 'uninstalled' };
      await enqueueDelivery(uow.trx, { kind: UNSUBSCRIBE_KIND, url: manifest.unsubscribeUrl, body });
      uow.afterCommit(wakeOutbox);
    }
  });
}

const notInstalled = (name: string) => new HttpError(404, 'not_installed', `The app "${name}" is not installed`);
