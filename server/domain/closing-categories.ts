import type { Executor } from '../store/database';
import { getSetting, setSetting } from './settings';

const KEY = 'closing_categories';
export const getClosingCategories = async (db: Executor) => ({ categories: await getSetting<string[]>(db, KEY, []) });
export const setClosingCategories = (db: Executor, categories: string[]) => setSetting(db, KEY, categories);
