// A companion process on a SQLite data dir, for tests that SIGKILL it mid-run:
//   npx tsx test/support/engine-child.ts <dataDir>
import { startServer } from '../../server/server';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: engine-child.ts <dataDir>');
await startServer({
  env: { COMPANION_DEMO: '0', COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' },
  config: { port: 0, dataDir },
  logger: false,
});
process.stdout.write('ready\n');
