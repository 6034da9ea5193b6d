import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';

/** What a thread bridge talks through: a MessagePort, the thread's parentPort, or the main side's ThreadPort. */
export interface NotePort {
  postMessage(note: unknown): void;
  // `any`: MessagePort's and EventEmitter's own listener type.
  on(event: 'message', listener: (note: any) => void): unknown;
  off(event: 'message', listener: (note: any) => void): unknown;
}

/**
 * The main thread's end of the bridge: it outlives the thread behind it, so the engine wired to
 * it at start keeps working when a crashed thread is replaced. Notes posted while no thread
 * listens are dropped: a thread looks for queued runs when it starts, builds its caches fresh,
 * and says hello (thread-bridge.ts).
 */
export class ThreadPort extends EventEmitter implements NotePort {
  worker: Worker | undefined;
  postMessage(note: unknown) { this.worker?.postMessage(note); }
}

export interface ExecutorThread {
  /** The thread executing now, or starting (undefined between a crash and its replacement). */
  readonly worker: Worker | undefined;
  stop(): Promise<void>;
}

export interface ExecutorThreadOptions {
  /** The main side's config; the thread leases runs as `<instance id>-executor-<n>`, n counting the threads started. */
  config: Config;
  env: NodeJS.ProcessEnv;
  sqliteFile: string;
  /** The main connection's write turns (write-turn.ts), shared with the thread's. */
  writeTurn: SharedArrayBuffer;
  logger: boolean;
  log: FastifyBaseLogger;
  port: ThreadPort;
}

/** A thread that died is replaced after this long (its leased runs are released when the next one starts). */
const RESTART_MS = 1_000;

/**
 * Starts the executor thread (thread-main.ts) on the same SQLite file and resolves once it
 * executes. It is replaced if it dies; stop() lets its rounds finish (the worker's grace) and
 * waits for it to exit.
 */
export async function startExecutorThread(opts: ExecutorThreadOptions): Promise<ExecutorThread> {
  // From the sources (tests, `npm run dev:server`) the thread compiles TypeScript as its parent
  // does; from the bundle it is the bundle's sibling (server/build.mjs).
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = fromSources ? new URL('./thread-main.ts', import.meta.url) : new URL('./executor-thread.mjs', import.meta.url);
  let stopping = false;
  let restart: NodeJS.Timeout | undefined;
  /** The thread started last, ready or not yet (stop() must reach one still starting). */
  let latest: Worker | undefined;
  // Each thread leases under a name of its own: the next one releases what the last one held.
  let generation = 0;

  const spawn = () => new Promise<Worker>((resolve, reject) => {
    const worker = new Worker(entry, {
      workerData: { config: { ...opts.config, instanceId: `${opts.config.instanceId}-executor-${++generation}` }, env: opts.env, sqliteFile: opts.sqliteFile, writeTurn: opts.writeTurn, logger: opts.logger },
      env: opts.env,
      ...(fromSources ? { execArgv: ['--import', 'tsx'] } : {}),
    });
    latest = worker;
    // Notes for it from now on: it reads them once it listens (its bridge's hello is answered so).
    opts.port.worker = worker;
    let ready = false;
    worker.on('message', (note: unknown) => {
      if (note === 'ready') {
        ready = true;
        resolve(worker);
      } else if (typeof note === 'object' && note !== null) opts.port.emit('message', note);
    });
    worker.on('error', (err) => {
      if (!ready) reject(err);
      else opts.log.error({ err }, 'the executor thread failed');
    });
    worker.on('exit', (code) => {
      if (opts.port.worker === worker) opts.port.worker = undefined;
      if (!ready) { reject(new Error(`the executor thread exited before it started (code ${code})`)); return; }
      if (stopping) return;
      opts.log.error({ code }, `the executor thread exited; starting another in ${RESTART_MS} ms`);
      respawn();
    });
  });
  // Until one starts: runs wait in the queue meanwhile, nothing is lost.
  const respawn = () => {
    restart = setTimeout(() => {
      restart = undefined;
      if (!stopping) spawn().catch((err: unknown) => { opts.log.error({ err }, 'the executor thread did not restart'); respawn(); });
    }, RESTART_MS);
  };

  await spawn();
  return {
    get worker() { return opts.port.worker; },
    async stop() {
      stopping = true;
      clearTimeout(restart);
      const worker = latest;
      if (!worker || worker.threadId === -1) return; // none, or it has exited
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      // A thread still starting reads it once it listens (thread-main.ts), as a ready one does.
      worker.postMessage('stop');
      await exited;
    },
  };
}
