import { createHash } from 'node:crypto';
import type { Executor } from '../store/database';

/**
 * A version string for what the extension caches about restrictions: it changes whenever the
 * workspace toggle or any agent's toggle changes, and is the same on every instance.
 */
export async function restrictionsVersion(db: Executor): Promise<string> {
  const settings = await db.selectFrom('settings').select(['value']).where('key', '=', 'restrictions').executeTakeFirst();
  const users = await db.selectFrom('users').select(['id', 'shortcuts_enabled']).orderBy('id').execute();
  return createHash('sha256').update(JSON.stringify([settings?.value ?? null, users.map((u) => [u.id, u.shortcuts_enabled])])).digest('hex').slice(0, 16);
}
