import type { Executor } from '../store/database';

interface RevokedAppKey { id: string; installation_id: string | null; created_at: string; revoked_at: string | null }

/**
 * Why an app's API key stopped working, told to whoever presents that very key (so nothing is
 * told to anyone who never held it). An app developer seeing a bare "revoked" cannot tell an
 * uninstall from a rotation their server missed; what the database keeps tells them apart: the
 * installation is gone after an uninstall (or an install that did not complete), and otherwise
 * the installation's current key (`installations.token_id`) is newer than a key a rotation
 * replaced, older than one a refused rotation withdrew (server/apps/api-key.ts).
 */
export async function revokedAppKeyMessage(db: Executor, key: RevokedAppKey): Promise<string> {
  const revoked = `This app key was revoked${key.revoked_at ? ` on ${key.revoked_at}` : ''}`;
  const installation = key.installation_id
    ? await db.selectFrom('installations').select(['id', 'token_id']).where('id', '=', key.installation_id).executeTakeFirst()
    : undefined;
  if (!installation) {
    return `${revoked}: the app is no longer installed in this workspace (it was uninstalled, or its install did not complete). `
      + 'Once an admin installs it again, use the key sent in that subscribe request (reason installed)';
  }
  const current = installation.token_id === key.id ? undefined
    : await db.selectFrom('tokens').select('created_at').where('id', '=', installation.token_id).executeTakeFirst();
  if (!current) return `${revoked}: ask an admin of the workspace to regenerate the key of installation ${installation.id}`;
  if (key.created_at > current.created_at) {
    return `${revoked}: the app's server did not accept the subscribe request that carried it (reason key_rotated), `
      + `so installation ${installation.id} kept its current key: go on using that one`;
  }
  return `${revoked}: a key rotation replaced it. Use the key sent in the latest subscribe request for installation ${installation.id} (reason key_rotated)`;
}
