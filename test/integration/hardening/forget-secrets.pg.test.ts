import { openStore } from '../../../server/store/database';
import { describePg, dropSchema, freshSchemaName, pgUrl } from '../../support/postgres';
import { forgetSecretsSuite } from './forget-secrets-suite';

describePg('npm run forget-secrets after the secret key is lost (PostgreSQL, COMPANION_SECRET_KEY)', () => forgetSecretsSuite(() => {
  const schema = freshSchemaName();
  const inSchema = new URL(pgUrl()!);
  inSchema.searchParams.set('options', `-c search_path=${schema}`);
  return {
    open: () => openStore({ databaseUrl: pgUrl()!, pgSchema: schema, poolSize: 4 }),
    commandEnv: () => ({ DATABASE_URL: inSchema.toString() }),
    drop: () => dropSchema(pgUrl()!, schema),
  };
}, true));
