import path from 'node:path';
import { describe } from 'vitest';
import { openStore } from '../../../server/store/database';
import { forgetSecretsSuite } from './forget-secrets-suite';

describe('npm run forget-secrets after the secret key is lost (SQLite, DATA_DIR/secret-key)', () => forgetSecretsSuite(() => ({
  open: (dataDir) => openStore({ sqliteFile: path.join(dataDir, 'companion.sqlite') }),
  commandEnv: () => ({}),
  drop: async () => {},
}), false));
