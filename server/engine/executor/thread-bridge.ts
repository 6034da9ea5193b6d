import type { LiveMessage } from '../../../lib/contracts/events';
import type { Services } from '../../services';
import type { StoreCounters } from '../../store/sqlite-adapter';
import type { NotePort } from './executor-thread';
import type { PeerBridge } from './pg-bridge';

/** What the two sides of one SQLite file (main thread, executor thread) tell each other. */
type ThreadNote =
  | { runs: true }
  | { express: string[] }
  /** Runs cancelled on one side: a step of theirs executing on the other aborts its request. */
  | { cancelled: string[] }
  | { live: LiveMessage[] }
  | { streams: boolean }
  /** A side that just started: the other tells it whether it has streams open. */
  | { hello: true }
  | { counters: StoreCounters };

/** How often the executor thread reports its statement counters (COMPANION_STATS=yes only). */
const COUNTERS_EVERY_MS = 200;

/**
 * The executor thread's counterpart of the PostgreSQL bridge, over the thread's port: runs created
 * on one side wake the other's worker, live messages go where they are wanted. Cache
 * invalidations (types an in-process cache watches) go both ways; the rest only to a side with
 * event streams open, which is the main thread (the executor thread takes no requests). Messages
 * of one tick travel as one note.
 */
export function startThreadBridge(services: Services, port: NotePort, onRunsWoken: () => void, onExpress: (runIds: readonly string[]) => void = () => {}): PeerBridge {
  let closed = false;
  let otherStreams = false;
  let queue: LiveMessage[] = [];
  let runsPending = false;

  const onNote = (note: ThreadNote | string) => {
    // The thread's parentPort also carries the main thread's 'stop' (thread-main.ts).
    if (closed || typeof note !== 'object' || note === null) return;
    if ('runs' in note) onRunsWoken();
    else if ('express' in note) onExpress(note.express);
    else if ('cancelled' in note) services.runAborts.abortHere(note.cancelled);
    else if ('live' in note) for (const m of note.live) services.live.deliverLocal(m);
    else if ('streams' in note) otherStreams = note.streams;
    else if ('hello' in note) tellStreams();
    else if ('counters' in note) services.store.peerCounters = note.counters;
  };
  port.on('message', onNote);
  const post = (note: ThreadNote) => { if (!closed) port.postMessage(note); };
  const tellStreams = () => post({ streams: services.live.streams > 0 });
  services.live.onStreamsChanged(tellStreams);
  tellStreams();
  // A thread (re)started after the main side's bridge learns the main side's streams this way.
  post({ hello: true });

  services.live.addRelay((m) => {
    if (closed || (!services.live.watches(m.type) && !otherStreams)) return;
    if (queue.length === 0) setImmediate(() => { const batch = queue; queue = []; post({ live: batch }); });
    queue.push(m);
  });

  const counters = services.store.counters;
  const report = counters && services.config.stats
    ? setInterval(() => post({ counters: { ...counters } }), COUNTERS_EVERY_MS)
    : undefined;
  report?.unref();

  // Runs the other side created before this one listened.
  onRunsWoken();
  return {
    notifyRuns() {
      if (closed || runsPending) return;
      runsPending = true;
      setImmediate(() => { runsPending = false; post({ runs: true }); });
    },
    expressRuns(runIds) {
      post({ express: [...runIds] });
    },
    cancelRuns(runIds) {
      post({ cancelled: [...runIds] });
    },
    async close() {
      if (closed) return;
      if (report) { clearInterval(report); post({ counters: { ...counters! } }); }
      closed = true;
      port.off('message', onNote);
    },
  };
}
