import { openStore } from '../../../server/store/database';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../../support/postgres';
import { forgetLeftoversSuite } from './forget-leftovers-suite';

describePg('after npm run forget-secrets: Sync now, install values, signing secret (PostgreSQL, COMPANION_SECRET_KEY)', () => forgetLeftoversSuite(() => {
  const schema = freshSchemaName();
  const inSchema = new URL(pgUrl()!);
  inSchema.searchParams.set('options', `-c search_path=${schema}`);
  return {
    open: () => openStore({ databaseUrl: pgUrl()!, pgSchema: schema, poolSize: 4 }),
    commandEnv: () => ({ DATABASE_URL: inSchema.toString() }),
    drop: () => dropSchema(pgUrl()!, schema),
  };
}, true));
