import { ShortcutTrigger } from '../../../lib/contracts/triggers';
import type { ShortcutList, ShortcutSummary } from '../../../lib/contracts/shortcuts';
import type { User } from '../../../lib/contracts/users';
import { getDefaultCountry } from '../../domain/default-country';
import { getRestrictions } from '../../domain/users';
import type { Executor } from '../../store/database';
import { parseDefinition } from '../workflows/records';
import { shortcutsVersion } from './version';
import { deactivatedAssignees, unavailableShortcutText } from '../../../lib/workflow/deactivated-assignees';
import { byName, nameCollator } from '../../../lib/workflow/name-order';

/**
 * Deactivated users by id → name: a shortcut whose Assign step names one is unavailable (its
 * deactivation changes the list's version, so the extension's cache reads it again).
 */
export async function deactivatedUsers(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('users').select(['id', 'name']).where('deactivated_at', 'is not', null).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Whether a user may launch shortcuts, and if not, what to tell them. */
export async function shortcutPermission(db: Executor, user: User): Promise<{ allowed: true } | { allowed: false; reason: string }> {
  if (user.role !== 'agent') return { allowed: true };
  const { agentsCanUseShortcuts } = await getRestrictions(db);
  if (!agentsCanUseShortcuts) return { allowed: false, reason: 'A supervisor has turned shortcuts off for all agents' };
  if (!user.shortcutsEnabled) return { allowed: false, reason: 'A supervisor has turned shortcuts off for you' };
  return { allowed: true };
}

/** The published shortcut workflows as the launcher shows them, by name as GET /workflows lists them. */
export async function listShortcuts(db: Executor, user: User, locales: readonly string[] = []): Promise<ShortcutList> {
  const rows = await db.selectFrom('workflows').select(['id', 'definition'])
    .where('status', '=', 'published').where('trigger_type', '=', 'shortcut').execute();
  const deactivated = await deactivatedUsers(db);
  const shortcuts: ShortcutSummary[] = [];
  for (const row of rows) {
    const definition = parseDefinition(row.definition);
    const trigger = ShortcutTrigger.safeParse(definition.trigger);
    if (!trigger.success) continue;
    const { name, description, icon, form } = trigger.data;
    const stuck = deactivatedAssignees(definition.steps, deactivated);
    shortcuts.push({ id: row.id, name, description, icon, form, ...(stuck.length ? { unavailable: unavailableShortcutText(stuck) } : {}) });
  }
  shortcuts.sort(byName(nameCollator(locales)));
  const permission = await shortcutPermission(db, user);
  return { ...permission, version: await shortcutsVersion(db), shortcuts, defaultCountry: await getDefaultCountry(db) };
}
