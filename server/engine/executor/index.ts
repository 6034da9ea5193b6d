import type { Services } from '../../services';
import { releaseStaleLeasesSqlite } from './claim-sqlite';
import type { NotePort } from './executor-thread';
import { startPgBridge, type PeerBridge } from './pg-bridge';
import { keepRunStatistics } from './run-statistics';
import { startThreadBridge } from './thread-bridge';
import { startPruner } from './retention';
import { knob, runBatch } from './rest';
import { RunWorker, type WorkerOptions } from './worker';
import { isDatabaseLocked } from '../../store/transient-errors';

export interface EngineOptions {
  /** Execute runs in this process (false: only relay live messages). */
  workers: boolean;
  /** SQLite with an executor thread: the port to the other side (thread-bridge.ts). */
  enginePort?: NotePort;
  concurrency?: number;
  /** Runs advanced together in one transaction (see batch-round.ts). */
  batch?: number;
  leaseMs?: number;
  pollMs?: number;
  stopGraceMs?: number;
  /** See WorkerOptions.burstMs. */
  burstMs?: number;
  /** See WorkerOptions.unblockMs and recheckMs (the defaults suit production; tests shorten or lengthen them). */
  unblockMs?: number;
  recheckMs?: number;
}

export interface Engine {
  /** Look for due runs now. */
  kick(): void;
  stop(): Promise<void>;
}

export const DEFAULT_LEASE_MS = 30_000;
/** COMPANION_RUN_BATCH overrides it (1: every run alone, a transaction per step, as before). */
export const DEFAULT_BATCH = runBatch(process.env.COMPANION_RUN_BATCH);
/** COMPANION_BURST_MS overrides it (0: no burst preference, the executor keeps its usual share; garbage: the default). */
export const DEFAULT_BURST_MS = knob(process.env.COMPANION_BURST_MS, 2_000);

/**
 * Starts the run executor on `services` and registers its stop with services.onClose. With
 * PostgreSQL it also joins the other instances (LISTEN/NOTIFY for new runs and live messages).
 */
export async function startEngine(services: Services, options: EngineOptions): Promise<Engine> {
  const workerOptions: WorkerOptions = {
    owner: services.config.instanceId,
    concurrency: options.concurrency ?? 8,
    batch: options.batch ?? DEFAULT_BATCH,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    pollMs: options.pollMs ?? 1_000,
    stopGraceMs: options.stopGraceMs ?? 10_000,
    // On the executor thread, no burst preference: its rounds hold the write turns, not the
    // loop that acknowledges webhooks, and resting a quarter of the time already left the main
    // thread more acknowledgements/s than resting twelve-thirteenths (measured; bench/RESULTS.md).
    burstMs: options.burstMs ?? (options.enginePort && process.env.COMPANION_BURST_MS === undefined ? 0 : DEFAULT_BURST_MS),
    ...(options.unblockMs !== undefined ? { unblockMs: options.unblockMs } : {}),
    ...(options.recheckMs !== undefined ? { recheckMs: options.recheckMs } : {}),
  };
  const worker = options.workers ? new RunWorker(services, workerOptions) : undefined;
  let bridge: PeerBridge | undefined;
  let stopped = false;

  if (services.store.dialect === 'postgres' && services.store.pgPool) {
    bridge = await startPgBridge(services, services.store.pgPool, () => worker?.kick(), (runIds) => worker?.express(runIds));
    if (worker) keepRunStatistics(services);
  } else if (options.enginePort) {
    bridge = startThreadBridge(services, options.enginePort, () => worker?.kick(), (runIds) => worker?.express(runIds));
  }
  if (services.store.dialect === 'sqlite' && worker) {
    const released = await releaseStaleLeasesSqlite(services.db, workerOptions.owner);
    if (released > 0) services.log.info({ released }, 'resuming runs left running by an earlier process');
  }

  services.runSignal.on(() => {
    if (stopped) return;
    worker?.kick();
    // Alone, this instance runs what it creates: a NOTIFY per webhook batch would wake nobody.
    // An instance that joins within the second before the next beat looks once when it starts
    // listening, and polls. An instance without a worker always tells the others.
    // On SQLite only the executor thread executes: it has nobody to tell.
    if (!worker?.executesAlone && !(worker && options.enginePort)) bridge?.notifyRuns();
  });
  // Cancelled runs: a step of theirs executing elsewhere drops its request (run-aborts.ts). As
  // above, nobody else needs telling when this instance executes alone or is the executor thread.
  services.runAborts.addRelay((runIds) => {
    if (!stopped && !worker?.executesAlone && !(worker && options.enginePort)) bridge?.cancelRuns?.(runIds);
  });
  // Runs someone waits on: this instance's worker; else the executor thread's (the other side of
  // the port), or on PostgreSQL the instances that execute runs (the first to claim them runs them).
  services.runSignal.onExpress((runIds) => {
    if (stopped) return;
    if (worker) worker.express(runIds);
    else bridge?.expressRuns?.(runIds);
  });
  worker?.start();
  const pruner = worker
    // A SQLite file held by another process is said once by the store (sqlite-lock.ts); the next pass prunes.
    ? startPruner(services.db, services.config.runRetentionDays, (err) => { if (!isDatabaseLocked(err)) services.log.warn({ err }, 'pruning old runs and events failed'); })
    : undefined;

  const engine: Engine = {
    kick: () => worker?.kick(),
    async stop() {
      if (stopped) return;
      stopped = true;
      pruner?.stop();
      await worker?.stop();
      await bridge?.close();
    },
  };
  services.onClose(() => engine.stop());
  return engine;
}
