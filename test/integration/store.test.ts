import { describe } from 'vitest';
import { openStore } from '../../server/store/database';
import { storeContract } from './store-contract';

describe('store contract on SQLite (node:sqlite)', () => {
  storeContract(async () => {
    const store = await openStore({ sqliteFile: ':memory:' });
    return { store, dispose: () => store.close() };
  });
});
