import { getSetting, setSetting } from './settings';
import type { Executor } from '../store/database';

const KEY = 'defaultCountry';

/** The workspace's country for phone numbers written without a country code (ISO 3166-1 alpha-2), or null. */
export const getDefaultCountry = (db: Executor) => getSetting<string | null>(db, KEY, null);
export const setDefaultCountry = (db: Executor, country: string | null) => setSetting(db, KEY, country);
