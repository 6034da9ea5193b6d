import type { Trigger } from '../../lib/contracts/triggers';
import type { UnitOfWork } from '../events/unit-of-work';
import { conflict } from '../http-error';
import { fromJson, type Executor } from '../store/database';
import { getSetting, setSetting, settingIn } from './settings';

const KEY = 'closing_categories';
export const getClosingCategories = async (db: Executor) => ({ categories: await getSetting<string[]>(db, KEY, []) });

/** The closing categories, read once per run round (settingIn). */
export const closingCategoriesIn = (uow: UnitOfWork) => settingIn<string[]>(uow, KEY, []);

/**
 * Replaces the list. A category that a published Conversation Closed trigger names cannot go
 * away (deleted, or renamed, which is the same to a list): 409 naming the workflows, so the admin
 * edits them first instead of leaving triggers that can never fire.
 */
export async function setClosingCategories(db: Executor, categories: string[]) {
  const { categories: before } = await getClosingCategories(db);
  const removed = new Set(before.filter((c) => !categories.includes(c)));
  if (removed.size > 0) {
    const users = (await workflowsNamingCategories(db)).filter((w) => w.categories.some((c) => removed.has(c)));
    if (users.length > 0) {
      const list = users.map((w) => `"${w.name}" (${w.id}) uses ${w.categories.filter((c) => removed.has(c)).map((c) => `"${c}"`).join(', ')}`);
      throw conflict(`These categories are used by published Conversation Closed workflows; change those triggers first: ${list.join('; ')}`);
    }
  }
  await setSetting(db, KEY, categories);
}

/** Categories named by the trigger of each published conversation_closed workflow. */
async function workflowsNamingCategories(db: Executor) {
  const rows = await db.selectFrom('workflows').select(['id', 'name', 'definition'])
    .where('status', '=', 'published').where('trigger_type', '=', 'conversation_closed').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, categories: categoriesOf(fromJson<{ trigger?: Trigger }>(r.definition, {}).trigger) }))
    .filter((w) => w.categories.length > 0);
}

export function categoriesOf(trigger: Trigger | undefined): string[] {
  if (trigger?.type !== 'conversation_closed') return [];
  return [...new Set((trigger.conditions?.rules ?? []).flatMap((r) => (r.field === 'category' ? [r.value] : [])))];
}
