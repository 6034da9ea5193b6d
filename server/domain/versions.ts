import { createHash } from 'node:crypto';
import type { Executor } from '../store/database';

/**
 * A version string for what the extension caches about restrictions: it changes whenever the
 * workspace toggle, any agent's toggle, a user's role or their deactivation changes, and is the
 * same on every instance.
 */
export async function restrictionsVersion(db: Executor): Promise<string> {
  const settings = await db.selectFrom('settings').select(['value']).where('key', '=', 'restrictions').executeTakeFirst();
  // A user's role and deactivation change what their launcher may do (and whether it may at all).
  const users = await db.selectFrom('users').select(['id', 'shortcuts_enabled', 'role', 'deactivated_at']).orderBy('id').execute();
  return createHash('sha256').update(JSON.stringify([settings?.value ?? null, users.map((u) => [u.id, u.shortcuts_enabled, u.role, u.deactivated_at ? 0 : 1])])).digest('hex').slice(0, 16);
}
