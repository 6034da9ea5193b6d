import { openStore } from '../../server/store/database';
import { dropSchema, freshSchemaName, pgUrl } from './postgres';

/**
 * A fresh PostgreSQL schema for the suites that run an npm command against the store
 * (forget-secrets and its leftovers): the store opened in it, the command's DATABASE_URL pointing
 * at it (search_path, as an operator's connection string would), and its drop.
 */
export function pgCommandStore() {
  const schema = freshSchemaName();
  const inSchema = new URL(pgUrl()!);
  inSchema.searchParams.set('options', `-c search_path=${schema}`);
  return {
    open: () => openStore({ databaseUrl: pgUrl()!, pgSchema: schema, poolSize: 4 }),
    commandEnv: () => ({ DATABASE_URL: inSchema.toString() }),
    drop: () => dropSchema(pgUrl()!, schema),
  };
}
