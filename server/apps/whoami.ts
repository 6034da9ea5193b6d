import type { AppMe } from '../../lib/contracts/app-me';
import { AppManifest } from '../../lib/contracts/apps';
import { HttpError } from '../http-error';
import type { Principal } from '../auth/principal';
import { fromJson, type Executor } from '../store/database';
import { workspaceId } from './store';

/**
 * GET /me for an app key: the app, its installation and this key's own scopes. The key's, not
 * the installation's current key's: a replaced key still working until its expiry may hold fewer.
 */
export async function appWhoAmI(db: Executor, principal: Extract<Principal, { kind: 'app' }>): Promise<AppMe> {
  const app = await db.selectFrom('apps').select(['id', 'key', 'manifest']).where('id', '=', principal.appId).executeTakeFirst();
  // Deleted between the key's check and here: what the next request would be told.
  if (!app) throw new HttpError(401, 'unauthorized', 'This app is no longer installed');
  const key = await db.selectFrom('tokens').select('expires_at').where('id', '=', principal.tokenId).executeTakeFirst();
  // As GET /apps reads it; a manifest it cannot read (none such is stored today) still names the app by its key.
  const manifest = AppManifest.safeParse(fromJson(app.manifest, {}));
  const { name, scopes } = manifest.success ? manifest.data : { name: app.key, scopes: principal.scopes };
  return {
    app: { id: app.id, key: app.key, name },
    workspaceId: await workspaceId(db),
    installationId: principal.installationId,
    apiKeyId: principal.tokenId,
    scopes: principal.scopes,
    scopesToGrant: scopes.filter((s) => !principal.scopes.includes(s)),
    expiresAt: key?.expires_at ?? null,
  };
}
