import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { app } from './app';
import { loadConfig, type Config } from './config';
import { bootstrap } from './bootstrap';
import { loggerOptions } from './logging';
import { answerWhileClosing, drainConnections } from './http/closing';
import { RequestLog } from './http/request-log';
import { clientErrorHandler } from './http/client-errors';
import { sealStoredSecrets } from './secrets/at-rest';
import { checkKeyAgainstData } from './secrets/key-check';
import { readKeyFile } from './secrets/vault';
import { openStore, type Store } from './store/database';
import { markRunning } from './sqlite-servers';
import { startExecutorThread, ThreadPort, type ExecutorThread, type NotePort } from './engine/executor/executor-thread';

export interface StartOptions {
  config?: Partial<Config>;
  env?: NodeJS.ProcessEnv;
  /** Reuse an open store (tests); otherwise one is opened from the config. */
  store?: Store;
  workers?: boolean;
  logger?: boolean;
  listen?: boolean;
  /**
   * Set by the executor thread (thread-main.ts): this companion executes the runs of the main
   * thread's SQLite file, through this port to it, and skips the first-start work the main did.
   */
  executorPort?: NotePort;
}

export interface RunningServer {
  app: FastifyInstance;
  config: Config;
  store: Store;
  url: string;
  /** Tokens printed on first start (admin, and the demo users when seeded). */
  tokens: { admin?: string; demo?: Record<string, string> };
  /** COMPANION_EXECUTOR_THREAD=1: the thread executing the runs. */
  executorThread?: ExecutorThread;
  /**
   * `graceMs` (main.ts, on SIGTERM): first stop taking connections and give the open ones that
   * long to be answered 503 and closed (http/closing.ts); without it (tests) close at once.
   */
  close(opts?: { graceMs?: number }): Promise<void>;
}

/** Builds the app on a store and (by default) listens: used by main.ts, tests and benchmarks alike. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = loadConfig(options.env ?? process.env, options.config);
  // A key file that holds no key stops the start before the database is created or migrated.
  if (!config.secretKey && !options.executorPort) readKeyFile(config.dataDir);
  const store = options.store ?? await openStore({
    databaseUrl: config.databaseUrl,
    poolSize: config.databasePoolSize,
    sqliteFile: `${config.dataDir}/companion.sqlite`,
  });
  // What npm run forget-secrets looks for before it forgets what this server seals with (sqlite-servers.ts).
  const running = store.file && store.file !== ':memory:' && !options.executorPort
    ? await Promise.resolve().then(() => markRunning(store.file!)).catch(async (err: unknown) => { if (!options.store) await store.close().catch(() => {}); throw err; })
    : undefined;
  const fastify = Fastify({
    logger: options.logger === false ? false : loggerOptions(config.logLevel),
    // Webhook deliveries and health probes log their request lines at debug (http/request-log.ts).
    logController: new RequestLog(),
    // Requests that arrive while closing get our error shape and Retry-After (http/closing.ts).
    return503OnClosing: false,
    bodyLimit: 1024 * 1024,
    // TRUST_PROXY (off by default): behind nginx & co., the client's address and scheme come from
    // the proxy's X-Forwarded-* headers, believed only from the peers it names.
    trustProxy: config.trustProxy,
    // Headers over Node's limit (a long query string: 431) and other refusals before routing, in our error shape.
    clientErrorHandler,
    // Router-level errors (malformed percent-encoding, an over-long path parameter) in our error shape.
    frameworkErrors: (err: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      return reply.code(status).send({ error: { code: status === 414 ? 'uri_too_long' : 'bad_request', message: err.message } });
    },
  });
  // COMPANION_WORKERS=no: an instance that only takes requests (runs are executed by the others).
  const workers = options.workers ?? config.workers;
  // COMPANION_EXECUTOR_THREAD=1 on a SQLite file: this thread takes requests, another executes runs.
  const threadFile = !options.executorPort && workers && config.executorThread && store.writeTurn ? store.file : undefined;
  const enginePort = threadFile ? new ThreadPort() : options.executorPort;
  const threadIgnored = config.executorThread && workers && !threadFile && !options.executorPort;
  let thread: ExecutorThread | undefined;
  let tokens: RunningServer['tokens'] = {};
  let url = config.publicUrl;
  const closing = answerWhileClosing(fastify);
  try {
    // The latest by name, which a self-hoster can compare with the release's server/store/migrations.
    if (store.migrated) fastify.log.info(store.migrated, `applied ${store.migrated.applied} migration${store.migrated.applied === 1 ? '' : 's'}; the database is at ${store.migrated.latest}`);
    await fastify.register(app, { config, store, workers: workers && !threadFile, ...(enginePort ? { enginePort } : {}) });
    if (store.pgPool) store.onConnectionLost = (err) => fastify.log.warn({ err }, 'PostgreSQL dropped a connection; the next query opens another');
    // Once per episode, not per write that met it (the engine's claims and rounds meet it every few seconds).
    if (store.lockEpisodes) {
      store.lockEpisodes.onStart = (err) => fastify.log.warn({ err }, 'another process holds the SQLite database\'s write lock (a backup, sqlite3 maintenance?): writes answer 503 busy after 5 s and runs wait; reads go on');
      store.lockEpisodes.onEnd = (lockedMs) => fastify.log.info({ lockedMs }, 'the SQLite database\'s write lock was let go: writes and runs go on');
    }
    if (threadIgnored) fastify.log.warn('COMPANION_EXECUTOR_THREAD=1 needs a SQLite file (DATA_DIR): runs execute on the main thread');
    if (!options.executorPort) {
      // Before anything is sealed or seeded: the key must open what the database holds.
      await checkKeyAgainstData(fastify.services);
      // Rows from before credentials were sealed (migration 041 and earlier): converted once, with the vault key.
      await sealStoredSecrets(fastify.services.db, fastify.services.vault);
      tokens = await bootstrap(fastify.services);
    }
    if (options.listen !== false) {
      const address = await fastify.listen({ port: config.port, host: config.host });
      if (config.port === 0) {
        url = address.replace('[::1]', '127.0.0.1');
        fastify.services.config.publicUrl = url;
      }
    } else {
      await fastify.ready();
    }
    // After listening: the thread's config carries the public URL (port 0 is known only now).
    // Webhooks taken before it executes wait in the queue, where it looks first.
    thread = threadFile && enginePort instanceof ThreadPort
      ? await startExecutorThread({ config: fastify.services.config, env: options.env ?? process.env, sqliteFile: threadFile, writeTurn: store.writeTurn!.buffer, logger: options.logger !== false, log: fastify.log, port: enginePort })
      : undefined;
  } catch (err) {
    // Not started: nothing of it goes on running (workers, timers, the pool), so that main.ts can
    // try again (the database went away meanwhile) without a second set beside the first.
    await fastify.close().catch(() => {});
    if (!options.store) await store.close().catch(() => {});
    running?.release();
    throw err;
  }
  return {
    app: fastify, config: fastify.services.config, store, url, tokens, ...(thread ? { executorThread: thread } : {}),
    close: async (opts = {}) => {
      const draining = opts.graceMs !== undefined && fastify.server.listening;
      if (draining) closing.begin();
      // The thread's rounds end first: they write to the store this thread closes.
      await Promise.all([thread?.stop(), draining ? drainConnections(fastify.server, opts.graceMs!) : undefined]);
      await fastify.close();
      if (!options.store) await store.close();
      running?.release();
    },
  };
}
