import path from 'node:path';
import { describe } from 'vitest';
import { openStore } from '../../../server/store/database';
import { forgetLeftoversSuite } from './forget-leftovers-suite';

describe('after npm run forget-secrets: Sync now, install values, signing secret (SQLite, DATA_DIR/secret-key)', () => forgetLeftoversSuite(() => ({
  open: (dataDir) => openStore({ sqliteFile: path.join(dataDir, 'companion.sqlite') }),
  commandEnv: () => ({}),
  drop: async () => {},
}), false));
