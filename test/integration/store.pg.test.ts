import { openStore } from '../../server/store/database';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../support/postgres';
import { storeContract } from './store-contract';

describePg('store contract on PostgreSQL', () => {
  storeContract(async () => {
    const databaseUrl = pgUrl()!;
    const schema = freshSchemaName();
    const store = await openStore({ databaseUrl, pgSchema: schema });
    return {
      store,
      dispose: async () => {
        await store.close();
        await dropSchema(databaseUrl, schema);
      },
    };
  });
});
