import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';
import { EventRecorder } from './events/recorder';
import { LiveBus } from './events/live-bus';
import { Pacer } from './engine/executor/pacer';
import { RunAborts } from './engine/executor/run-aborts';
import type { Db, Store } from './store/database';
import { createVault, type Vault } from './secrets/vault';

/** Everything a route, the engine or a domain function needs; built once per app. */
export interface Services {
  config: Config;
  store: Store;
  db: Db;
  log: FastifyBaseLogger;
  events: EventRecorder;
  /** Seals and opens stored credentials; the key lives outside the database. */
  vault: Vault;
  live: LiveBus;
  /** Rung after a commit that created or woke runs: the executor picks them up at once. */
  runSignal: RunSignal;
  /** The executor's turns: slowed while webhook deliveries queue up. */
  pacer: Pacer;
  /** Outside steps in flight, by run: cancelling a run aborts its request. */
  runAborts: RunAborts;
  /** Things with a lifecycle (engine workers, outbox) register their stop here. */
  onClose: (fn: () => Promise<void> | void) => void;
}

export function createServices(config: Config, store: Store, log: FastifyBaseLogger, onClose: Services['onClose']): Services {
  return { config, store, db: store.db, log, events: new EventRecorder(), vault: createVault(config), live: new LiveBus(), runSignal: new RunSignal(), pacer: new Pacer(undefined, store.writeTurn), runAborts: new RunAborts(), onClose };
}

export class RunSignal {
  private listeners: (() => void)[] = [];
  private expressListeners: ((runIds: readonly string[]) => void)[] = [];
  private lastReleased = 0;
  notify() { for (const l of this.listeners) l(); }
  on(listener: () => void) { this.listeners.push(listener); }
  /**
   * Runs someone is waiting on, just committed: an agent's shortcut, a customer's reply to an ad.
   * The executor runs them now instead of after the runs queued before them (a webhook burst's
   * backlog: seconds). They still wait for an unfinished run of their own pair (workflow, contact).
   */
  express(runIds: readonly string[]) {
    if (runIds.length === 0) return;
    for (const l of this.expressListeners) l(runIds);
  }
  onExpress(listener: (runIds: readonly string[]) => void) { this.expressListeners.push(listener); }
  /**
   * A run's end released the next run of its pair. This instance claims again after its round
   * anyway; the signal is for the others (idle ones would otherwise wait for their poll), at most
   * every 50 ms: a busy backlog releases runs with every round.
   */
  released() {
    const now = Date.now();
    if (now - this.lastReleased < 50) return;
    this.lastReleased = now;
    this.notify();
  }
}
