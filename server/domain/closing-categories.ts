import type { UnitOfWork } from '../events/unit-of-work';
import { conflict, HttpError } from '../http-error';
import { categoryUses, publishedUses, unfinishedRunUses, type CategoryUse } from '../engine/workflows/uses';
import { fromJson, isPostgres, type Db, type Executor } from '../store/database';
import { getSetting, setSetting, settingIn } from './settings';

const KEY = 'closing_categories';
export const getClosingCategories = async (db: Executor) => ({ categories: await getSetting<string[]>(db, KEY, []) });

/** The closing categories, read once per run round (settingIn). */
export const closingCategoriesIn = (uow: UnitOfWork) => settingIn<string[]>(uow, KEY, []);

/** The 422 for closing with a category the list (when there is one) does not hold; null when it may be used. */
export function unknownCategory(category: string | null | undefined, categories: string[]): HttpError | null {
  if (!category || categories.length === 0 || categories.includes(category)) return null;
  return new HttpError(422, 'invalid_content', `Unknown closing category "${category}"; use one of: ${categories.join(', ')}`,
    [{ path: 'body.category', message: `Use one of: ${categories.join(', ')}` }]);
}

/**
 * Replaces the list. A category a published workflow names cannot go away (deleted, or renamed,
 * which is the same to a list): its Conversation Closed trigger could never fire, its Close
 * conversation step would fail. 409 naming the workflows, so the admin edits them first; so too
 * while unfinished runs follow an earlier version whose close steps name it. The rule is each
 * use's own publish check (categoryUses): a change is refused when a use that passes it now would
 * fail it after, e.g. a close step's category once a list without it replaces an empty one.
 * Drafts may name any category: publishing them is checked (422).
 */
export async function setClosingCategories(db: Db, categories: string[]) {
  await db.transaction().execute(async (trx) => {
    // PostgreSQL: the row stays locked until this ends, so a publish reading the list (FOR SHARE)
    // sees the list this sets, and one that read it first has committed before the workflows are read.
    let read = trx.selectFrom('settings').select('value').where('key', '=', KEY);
    if (isPostgres(trx)) read = read.forUpdate();
    const before = fromJson<string[]>((await read.executeTakeFirst())?.value, []);
    const breaks = (u: CategoryUse) => u.accepts(before) && !u.accepts(categories);
    const describe = (uses: CategoryUse[]) => uses.map((u) => `"${u.category}" in ${u.where}`).join(', ');
    const published = await publishedUses(trx, (def) => categoryUses(def).filter(breaks));
    if (published.length > 0) {
      const list = published.map((w) => `"${w.name}" (${w.id}) uses ${describe(w.uses)}`);
      throw conflict(`These categories are used by published workflows; change those triggers and steps first: ${list.join('; ')}`);
    }
    const pending = await unfinishedRunUses(trx, (def) => categoryUses(def).filter(breaks));
    if (pending.length > 0) {
      const list = pending.map((w) => `"${w.name}" (${w.id}) version ${w.version} uses ${describe(w.uses)} (${w.runs} ${w.runs === 1 ? 'run' : 'runs'})`);
      throw conflict(`These categories are used by earlier workflow versions that unfinished runs follow; let those runs finish or cancel them first: ${list.join('; ')}`);
    }
    await setSetting(trx, KEY, categories);
  });
}
