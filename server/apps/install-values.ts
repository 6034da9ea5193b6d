import { authValuesSchema, type App, type AppManifest, type AuthValues, type SubscribeRequest } from '../../lib/contracts/apps';
import { HttpError, issuesToDetails, unprocessable } from '../http-error';
import { FORGOTTEN } from '../secrets/forgotten';
import type { Services } from '../services';
import { toJson } from '../store/database';
import { getApp } from './store';

/** The values of the install form checked against the manifest's auth inputs (422 naming each, `authValues.<key>`); unset ones left out. */
export function checkedAuthValues(manifest: AppManifest, values: AuthValues): SubscribeRequest['authValues'] {
  const checked = authValuesSchema(manifest.authInputs).safeParse(values);
  if (!checked.success) {
    const details = issuesToDetails(checked.error.issues, 'authValues');
    throw unprocessable(`The auth values are invalid: ${details.map((d) => d.message).join('; ')}`, details);
  }
  return Object.fromEntries(Object.entries(checked.data).filter(([, v]) => v !== undefined)) as SubscribeRequest['authValues'];
}

/**
 * The install values entered again after `npm run forget-secrets` forgot them: the way back that
 * needs no uninstall (refused while published workflows use the app). Sealed with the current key;
 * nothing is sent to the app's server, which kept the values it was sent on install. Only while
 * they are forgotten (409 otherwise): values changed here would differ from the app server's copy
 * without it being told, where an uninstall and install sends them.
 */
export async function reenterAuthValues(services: Services, appId: string, values: AuthValues): Promise<App> {
  const { db } = services;
  const app = await getApp(db, appId);
  const { name } = app.manifest;
  if (!app.installation) throw notInstalled(name);
  const authValues = checkedAuthValues(app.manifest, values);
  // Only the forgotten marker is replaced: an uninstall (or another PUT) meanwhile leaves nothing to fill.
  const filled = await db.updateTable('installations').set({ auth_values: services.vault.seal(toJson(authValues)) })
    .where('app_id', '=', appId).where('auth_values', '=', FORGOTTEN).executeTakeFirst();
  if (Number(filled.numUpdatedRows) !== 1) {
    const still = await db.selectFrom('installations').select('id').where('app_id', '=', appId).executeTakeFirst();
    if (!still) throw notInstalled(name);
    throw new HttpError(409, 'install_values_kept',
      `The install values of "${name}" were not forgotten, so there is nothing to enter again. To change them, uninstall the app and install it again: its server is then sent the new ones.`);
  }
  return getApp(db, appId);
}

const notInstalled = (name: string) => new HttpError(404, 'not_installed', `The app "${name}" is not installed`);
