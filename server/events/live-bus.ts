import { EventEmitter } from 'node:events';
import type { LiveMessage } from '../../lib/contracts/events';

/**
 * Fan-out of live messages to SSE clients of this process. With PostgreSQL the engine
 * also relays them through LISTEN/NOTIFY so clients of other instances hear them.
 */
export class LiveBus {
  private emitter = new EventEmitter();
  private relays: ((m: LiveMessage) => void)[] = [];

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Publish to every instance (local listeners + relays). */
  publish(message: LiveMessage) {
    this.deliverLocal(message);
    for (const relay of this.relays) relay(message);
  }

  /** Deliver to this process's listeners only (used by relays receiving from other instances). */
  deliverLocal(message: LiveMessage) {
    this.emitter.emit('message', message);
  }

  addRelay(relay: (m: LiveMessage) => void) {
    this.relays.push(relay);
  }

  /** How many listeners this process has (each open event stream is one). */
  get subscribers(): number {
    return this.emitter.listenerCount('message');
  }

  subscribe(listener: (m: LiveMessage) => void): () => void {
    this.emitter.on('message', listener);
    return () => this.emitter.off('message', listener);
  }
}
