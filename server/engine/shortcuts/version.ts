import { createHash } from 'node:crypto';
import { restrictionsVersion } from '../../domain/versions';
import type { Executor } from '../../store/database';

/**
 * The extension's cache key for shortcuts: changes whenever a published shortcut workflow
 * changes (publish, unpublish, edit, delete) or any restriction does. Same on every instance.
 */
export async function shortcutsVersion(db: Executor): Promise<string> {
  const restrictions = await restrictionsVersion(db);
  const shortcuts = await db.selectFrom('workflows').select(['id', 'version'])
    .where('status', '=', 'published').where('trigger_type', '=', 'shortcut').orderBy('id').execute();
  return createHash('sha256')
    .update(JSON.stringify([restrictions, shortcuts.map((s) => [s.id, s.version])]))
    .digest('hex')
    .slice(0, 16);
}
