import { EventEmitter } from 'node:events';
import type { LiveMessage } from '../../lib/contracts/events';

/**
 * Fan-out of live messages in this process: to its open event streams (SSE clients, `subscribe`)
 * and to in-process caches that must hear certain types (`watch`). With PostgreSQL the engine
 * also relays them through LISTEN/NOTIFY to the other instances (pg-bridge.ts): watched types
 * always (every instance runs the same caches), the rest only while another instance has a
 * stream open.
 */
export class LiveBus {
  private emitter = new EventEmitter();
  private relays: ((m: LiveMessage) => void)[] = [];
  private watchers = new Map<string, Set<(m: LiveMessage) => void>>();
  private streamsChanged: ((open: boolean) => void)[] = [];

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
    const watching = this.watchers.get(message.type);
    if (watching) for (const listener of watching) listener(message);
  }

  addRelay(relay: (m: LiveMessage) => void) {
    this.relays.push(relay);
  }

  /** How many event streams this process has open. */
  get streams(): number {
    return this.emitter.listenerCount('message');
  }

  /** Whether some in-process listener (a cache) needs messages of this type, from whichever instance. */
  watches(type: LiveMessage['type']): boolean {
    return (this.watchers.get(type)?.size ?? 0) > 0;
  }

  /** Called with true when this process opens its first stream, false when it closes its last. */
  onStreamsChanged(listener: (open: boolean) => void) {
    this.streamsChanged.push(listener);
  }

  /** An event stream (every message). */
  subscribe(listener: (m: LiveMessage) => void): () => void {
    this.emitter.on('message', listener);
    if (this.streams === 1) for (const l of this.streamsChanged) l(true);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.emitter.off('message', listener);
      if (this.streams === 0) for (const l of this.streamsChanged) l(false);
    };
  }

  /** An in-process listener for one type of message (not a stream). */
  watch(type: LiveMessage['type'], listener: (m: LiveMessage) => void): () => void {
    let set = this.watchers.get(type);
    if (!set) this.watchers.set(type, (set = new Set()));
    set.add(listener);
    return () => { set.delete(listener); };
  }
}
