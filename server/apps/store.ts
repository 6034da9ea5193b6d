import { openStored } from '../secrets/at-rest';
import type { Vault } from '../secrets/vault';
import { App, AppManifest, type AppDelivery, type AuthValues, type Installation } from '../../lib/contracts/apps';
import { HttpError, notFound } from '../http-error';
import { forgottenText, isForgotten } from '../secrets/forgotten';
import { newId, nowIso } from '../ids';
import { fromJson, toJson, type Executor } from '../store/database';
import type { AppsTable, InstallationsTable } from '../store/schema';
import { getSetting } from '../domain/settings';
import { undeliveredByApp } from './outbox-rows';
import { keyState, liveKeysOf, type LiveKey } from './api-key-store';

export interface InstalledApp {
  app: App;
  installation: Installation & { authValues: AuthValues; tokenId: string };
}

function toApp(row: AppsTable, installation: InstallationsTable | undefined, keys: readonly LiveKey[], deliveries: AppDelivery[] = []): App {
  const manifest = AppManifest.parse(fromJson(row.manifest, {}));
  const forgotten = [...(isForgotten(row.signing_secret) ? ['signingSecret'] : []), ...(isForgotten(installation?.auth_values) ? ['authValues'] : [])];
  return App.parse({
    id: row.id,
    key: row.key,
    manifest,
    createdAt: row.created_at,
    installation: installation
      ? { id: installation.id, appId: installation.app_id, createdAt: installation.created_at, ...keyState(installation, keys, manifest.scopes) }
      : null,
    deliveries,
    ...(forgotten.length ? { forgottenSecrets: forgotten } : {}),
  });
}

export async function insertApp(db: Executor, manifest: AppManifest, signingSecret: string): Promise<App> {
  const row: AppsTable = { id: newId('app'), key: manifest.key, manifest: toJson(manifest), signing_secret: signingSecret, created_at: nowIso() };
  await db.insertInto('apps').values(row).execute();
  return toApp(row, undefined, []);
}

export async function listApps(db: Executor): Promise<App[]> {
  const [apps, installations, deliveries] = await Promise.all([
    db.selectFrom('apps').selectAll().orderBy('id').execute(),
    db.selectFrom('installations').selectAll().execute(),
    undeliveredByApp(db),
  ]);
  const byApp = new Map(installations.map((i) => [i.app_id, i]));
  const keys = await liveKeysOf(db, installations.map((i) => i.id));
  return apps.map((a) => toApp(a, byApp.get(a.id), keys, deliveries.get(a.id)));
}

export async function findAppRow(db: Executor, id: string) {
  return db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getApp(db: Executor, id: string): Promise<App> {
  const row = await findAppRow(db, id);
  if (!row) throw notFound(`App ${id}`);
  const installation = await db.selectFrom('installations').selectAll().where('app_id', '=', id).executeTakeFirst();
  const keys = installation ? await liveKeysOf(db, [installation.id]) : [];
  return toApp(row, installation, keys, (await undeliveredByApp(db, id)).get(id));
}

/**
 * The secrets that sign a request to the app now, in the clear (they are stored sealed): the
 * current one, then the one it replaced while that still overlaps (rotateSigningSecret). Read per
 * request, so a rotation reaches even a retry already under way.
 */
export function signingSecretsOf(row: Pick<AppsTable, 'signing_secret' | 'previous_signing_secret' | 'previous_signing_secret_expires_at'>, vault: Vault): string[] {
  // Never sent unsigned instead: the app's server would be asked to trust a request it cannot check.
  if (isForgotten(row.signing_secret)) throw new HttpError(409, 'signing_secret_forgotten', forgottenText.appSigningSecret);
  const secrets = row.signing_secret ? [openStored(vault, row.signing_secret)] : [];
  const until = row.previous_signing_secret_expires_at;
  if (row.previous_signing_secret && until && until > nowIso()) secrets.push(openStored(vault, row.previous_signing_secret));
  return secrets;
}

/** Before anything is sent to the app or made for it: what forget-secrets forgot refuses (409) with what to do. */
export function refuseForgotten(app: App) {
  const forgotten = app.forgottenSecrets ?? [];
  if (forgotten.includes('signingSecret')) throw new HttpError(409, 'signing_secret_forgotten', `The app "${app.manifest.name}": ${forgottenText.appSigningSecret}`);
  if (forgotten.includes('authValues')) throw new HttpError(409, 'install_values_forgotten', `The app "${app.manifest.name}": ${forgottenText.appAuthValues}`);
}

/** signingSecretsOf the app with this id; none when it is gone. */
export async function appSigningSecrets(db: Executor, vault: Vault, appId: string): Promise<string[]> {
  const row = await db.selectFrom('apps').select(['signing_secret', 'previous_signing_secret', 'previous_signing_secret_expires_at'])
    .where('id', '=', appId).executeTakeFirst();
  return row ? signingSecretsOf(row, vault) : [];
}

/** The app with its installation (auth values included), or undefined when it is not installed. */
export async function findInstalledApp(db: Executor, vault: Vault, appId: string): Promise<InstalledApp | undefined> {
  const row = await findAppRow(db, appId);
  if (!row) return undefined;
  const inst = await db.selectFrom('installations').selectAll().where('app_id', '=', appId).executeTakeFirst();
  if (!inst) return undefined;
  const app = toApp(row, inst, await liveKeysOf(db, [inst.id]));
  return {
    app,
    // Forgotten values read as none; what needs them refuses on `forgottenSecrets` (run-action.ts, api-key.ts).
    installation: { ...app.installation!, authValues: isForgotten(inst.auth_values) ? {} : fromJson<AuthValues>(openStored(vault, inst.auth_values), {}), tokenId: inst.token_id },
  };
}

const WORKSPACE_ID_KEY = 'workspace_id';

/** One workspace per server; its id is made on first need and never changes (apps key their data by it). */
export async function workspaceId(db: Executor): Promise<string> {
  const existing = await getSetting<string | null>(db, WORKSPACE_ID_KEY, null);
  if (existing) return existing;
  await db.insertInto('settings').values({ key: WORKSPACE_ID_KEY, value: toJson(newId('ws')), updated_at: nowIso() })
    .onConflict((oc) => oc.column('key').doNothing()).execute();
  return (await getSetting<string | null>(db, WORKSPACE_ID_KEY, null))!;
}
