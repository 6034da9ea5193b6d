import { parentPort, workerData } from 'node:worker_threads';
import { startServer } from '../../server';
import { openStore } from '../../store/database';
import { WriteTurn } from '../../store/write-turn';
import type { Config } from '../../config';

// The executor thread (executor-thread.ts): the whole companion on its own connection to the
// SQLite file, executing runs, taking no requests. The main thread migrated, sealed and
// bootstrapped the database before starting it; WAL checkpoints stay with the main connection's
// checkpointer.
const data = workerData as { config: Config; env: NodeJS.ProcessEnv; sqliteFile: string; writeTurn: SharedArrayBuffer; logger: boolean };
const port = parentPort!;
const store = await openStore({ sqliteFile: data.sqliteFile, checkpointer: false, writeTurn: new WriteTurn(data.writeTurn, 'executor') });
const server = await startServer({ config: data.config, env: data.env, store, listen: false, workers: true, logger: data.logger, executorPort: port });
port.on('message', (note: unknown) => {
  if (note !== 'stop') return;
  void server.close().then(() => store.close()).finally(() => process.exit(0));
});
port.postMessage('ready');
