import { ShortcutTrigger } from '../../../lib/contracts/triggers';
import type { ShortcutList, ShortcutSummary } from '../../../lib/contracts/shortcuts';
import type { User } from '../../../lib/contracts/users';
import { getDefaultCountry } from '../../domain/default-country';
import { getRestrictions } from '../../domain/users';
import type { Executor } from '../../store/database';
import { parseDefinition } from '../workflows/records';
import { shortcutsVersion } from './version';

/** Whether a user may launch shortcuts, and if not, what to tell them. */
export async function shortcutPermission(db: Executor, user: User): Promise<{ allowed: true } | { allowed: false; reason: string }> {
  if (user.role !== 'agent') return { allowed: true };
  const { agentsCanUseShortcuts } = await getRestrictions(db);
  if (!agentsCanUseShortcuts) return { allowed: false, reason: 'A supervisor has turned shortcuts off for all agents' };
  if (!user.shortcutsEnabled) return { allowed: false, reason: 'A supervisor has turned shortcuts off for you' };
  return { allowed: true };
}

/** The published shortcut workflows as the launcher shows them, sorted by name. */
export async function listShortcuts(db: Executor, user: User): Promise<ShortcutList> {
  const rows = await db.selectFrom('workflows').select(['id', 'definition'])
    .where('status', '=', 'published').where('trigger_type', '=', 'shortcut').execute();
  const shortcuts: ShortcutSummary[] = [];
  for (const row of rows) {
    const trigger = ShortcutTrigger.safeParse(parseDefinition(row.definition).trigger);
    if (!trigger.success) continue;
    const { name, description, icon, form } = trigger.data;
    shortcuts.push({ id: row.id, name, description, icon, form });
  }
  shortcuts.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id));
  const permission = await shortcutPermission(db, user);
  return { ...permission, version: await shortcutsVersion(db), shortcuts, defaultCountry: await getDefaultCountry(db) };
}
