import { getSetting, setSetting } from './settings';
import type { Executor } from '../store/database';

const KEY = 'defaultCountry';
const CACHE_MS = 5_000;

/** The workspace's country for phone numbers written without a country code (ISO 3166-1 alpha-2), or null. */
export const getDefaultCountry = (db: Executor) => getSetting<string | null>(db, KEY, null);

// The webhook hot path reads it per batch: kept for 5 s per database (a change made on this
// instance counts at once; other instances sharing a PostgreSQL database see it within 5 s).
const cached = new WeakMap<object, { value: string | null; until: number }>();

/** `db` is the database the cache belongs to; `read` runs the query (a transaction of it, on a miss). */
export async function cachedDefaultCountry(db: Executor, read: Executor = db, now = Date.now()): Promise<string | null> {
  const hit = cached.get(db);
  if (hit && hit.until > now) return hit.value;
  const value = await getDefaultCountry(read);
  cached.set(db, { value, until: now + CACHE_MS });
  return value;
}

export async function setDefaultCountry(db: Executor, country: string | null) {
  await setSetting(db, KEY, country);
  cached.delete(db);
}
