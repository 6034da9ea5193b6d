import type { Executor } from '../store/database';
import { fromJson, toJson } from '../store/database';
import { nowIso } from '../ids';

export async function getSetting<T>(db: Executor, key: string, fallback: T): Promise<T> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? fromJson<T>(row.value, fallback) : fallback;
}

export async function setSetting(db: Executor, key: string, value: unknown) {
  const now = nowIso();
  await db.insertInto('settings').values({ key, value: toJson(value), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: toJson(value), updated_at: now }))
    .execute();
}
