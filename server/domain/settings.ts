import type { UnitOfWork } from '../events/unit-of-work';
import type { Executor } from '../store/database';
import { fromJson, toJson } from '../store/database';
import { nowIso } from '../ids';

export async function getSetting<T>(db: Executor, key: string, fallback: T): Promise<T> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? fromJson<T>(row.value, fallback) : fallback;
}

/**
 * getSetting, read once per run round (uow.reads): steps never change settings, so what a round
 * read stays true for it. Outside a round, from the database.
 */
export async function settingIn<T>(uow: UnitOfWork, key: string, fallback: T): Promise<T> {
  const cache = uow.reads?.settings;
  if (!cache) return getSetting(uow.trx, key, fallback);
  if (!cache.has(key)) cache.set(key, await getSetting(uow.trx, key, fallback));
  return cache.get(key) as T;
}

export async function setSetting(db: Executor, key: string, value: unknown) {
  const now = nowIso();
  await db.insertInto('settings').values({ key, value: toJson(value), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: toJson(value), updated_at: now }))
    .execute();
}
