import type { Installation } from '../../lib/contracts/apps';
import type { Scope } from '../../lib/contracts/scopes';
import { nowIso } from '../ids';
import { fromJson, toJson, type Executor } from '../store/database';
import type { InstallationsTable } from '../store/schema';

// The API keys of installations. An installation's current key is `installations.token_id`; a
// key rotation its app's server did not confirm leaves the keys it replaced working until their
// `expires_at` (api-key.ts). All of them belong to the installation (`tokens.installation_id`).

export interface LiveKey { id: string; installationId: string; scopes: Scope[]; expiresAt: string | null; createdAt: string }

/** Keys of these installations that still work: not revoked, not past their expiry. */
export async function liveKeysOf(db: Executor, installationIds: readonly string[]): Promise<LiveKey[]> {
  if (installationIds.length === 0) return [];
  const now = nowIso();
  const rows = await db.selectFrom('tokens').select(['id', 'installation_id', 'scopes', 'expires_at', 'created_at'])
    .where('installation_id', 'in', [...installationIds]).where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])).execute();
  return rows.map((r) => ({ id: r.id, installationId: r.installation_id!, scopes: fromJson<Scope[]>(r.scopes, []), expiresAt: r.expires_at ?? null, createdAt: r.created_at }));
}

/** What the admin sees of an installation's keys (GET /apps): the current one, scopes still to grant, the overlap. */
export function keyState(row: Pick<InstallationsTable, 'id' | 'token_id'>, keys: readonly LiveKey[], manifestScopes: readonly Scope[]) {
  const mine = keys.filter((k) => k.installationId === row.id);
  const current = mine.find((k) => k.id === row.token_id);
  const scopes = current?.scopes ?? [];
  // Older keys only: a newer one is on its way to the app's server (or was, when an instance stopped).
  const previous = mine.filter((k) => k.id !== row.token_id && current && k.createdAt <= current.createdAt)
    .map((k) => k.expiresAt).filter((e): e is string => e !== null).sort();
  return {
    apiKeyId: row.token_id,
    scopes,
    scopesToGrant: manifestScopes.filter((s) => !scopes.includes(s)),
    previousKeysExpireAt: previous.at(-1) ?? null,
  } satisfies Partial<Installation>;
}

/** Revokes every working key of an installation (but `keep`). */
export async function revokeInstallationKeys(db: Executor, installationId: string, keep?: string): Promise<void> {
  let query = db.updateTable('tokens').set({ revoked_at: nowIso() }).where('installation_id', '=', installationId).where('revoked_at', 'is', null);
  if (keep) query = query.where('id', '!=', keep);
  await query.execute();
}

/**
 * Keys an unconfirmed rotation replaced: they work until `until`, next to `current`. Only keys
 * still working are touched (an expired one stays expired).
 */
export async function overlapPreviousKeys(db: Executor, installationId: string, current: string, until: string): Promise<void> {
  await db.updateTable('tokens').set({ expires_at: until }).where('installation_id', '=', installationId).where('id', '!=', current)
    .where('revoked_at', 'is', null).where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', nowIso())])).execute();
}

/** Takes scopes the manifest no longer asks for away from every working key of the installation, at once. */
export async function narrowInstallationKeys(db: Executor, installationId: string, manifestScopes: readonly Scope[]): Promise<void> {
  for (const key of await liveKeysOf(db, [installationId])) {
    const kept = key.scopes.filter((s) => manifestScopes.includes(s));
    if (kept.length !== key.scopes.length) await db.updateTable('tokens').set({ scopes: toJson(kept) }).where('id', '=', key.id).execute();
  }
}
