import pg from 'pg';
import { LiveMessage } from '../../../lib/contracts/events';
import type { Services } from '../../services';
import { holdRunning } from './running-lock';

export const RUNS_CHANNEL = 'companion_runs';
export const LIVE_CHANNEL = 'companion_live';
/** Which instances have event streams open: relaying stream messages to nobody cost a NOTIFY per tick. */
export const STREAMS_CHANNEL = 'companion_streams';
/** An instance with streams open says so this often, and is believed this long after. */
const STREAMS_BEAT_MS = 5_000;
const STREAMS_TTL_MS = 15_000;
/**
 * At most one runs NOTIFY per this many ms (the last one of a burst still goes, at the window's
 * end). Two instances taking a webhook burst sent one per ingest batch, ~950 per 20,000 runs:
 * each its own transaction, planned every time, and a wake of the other instance that was
 * mostly busy already. A run another instance created waits at most this much longer for an idle
 * one, and the creating instance takes it itself when its own share is empty (peers.ts).
 */
const RUNS_NOTIFY_MS = 20;
// NOTIFY payloads must stay under 8000 bytes.
const MAX_PAYLOAD = 7_000;
/** Run ids one express notice carries (as many as a worker takes at once; ~30 bytes each). */
const EXPRESS_RELAYED = 16;
/** Run ids one cancel notice carries (~30 bytes each, well under MAX_PAYLOAD). */
const CANCELLED_PER_NOTICE = 200;

/** How an executor learns of runs created elsewhere and shares live messages: PostgreSQL's LISTEN/NOTIFY, or a thread's MessagePort. */
export interface PeerBridge {
  /** Tell the other instances that runs were created or woken. */
  notifyRuns(): void;
  /** Runs someone waits on (RunSignal.express), for a worker elsewhere: the executor thread's, or the other instances'. */
  expressRuns?(runIds: readonly string[]): void;
  /** Runs just cancelled: a step of theirs executing elsewhere aborts its request (run-aborts.ts). */
  cancelRuns?(runIds: readonly string[]): void;
  close(): Promise<void>;
}

/**
 * Joins the instances sharing one PostgreSQL: a dedicated LISTEN connection wakes this
 * instance's worker when another creates runs, and carries live (SSE) messages both ways. It is
 * a session of its own, outside the pool: a pooled one held for good left DATABASE_POOL_SIZE − 1
 * connections for the queries, none with a pool of one (the instance hung at startup).
 * Messages an in-process cache watches (definitions.changed) go to every instance; the others only
 * while another instance has a stream open. An instance says when it opens its first stream and
 * closes its last, repeats it every 5 s while open, and answers a newcomer's hello; a crashed
 * one is believed for 15 s. Two instances with no stream open (webhook traffic) sent ~3,000
 * NOTIFYs per 20,000 runs that every instance parsed: 7 % of the runs/s, 9 % of PostgreSQL's CPU.
 */
export async function startPgBridge(services: Services, pool: pg.Pool, onRunsWoken: () => void, onExpress: (runIds: readonly string[]) => void = () => {}): Promise<PeerBridge> {
  const me = services.config.instanceId;
  let client: pg.Client | undefined;
  let closed = false;
  let liveQueue: LiveMessage[] = [];
  let liveFlush: Promise<void> | undefined;
  let runsPending = false;
  let runsNotifiedAt = 0;
  /** Instances with streams open, until when we believe it. */
  const streaming = new Map<string, number>();
  const othersStream = () => {
    const now = Date.now();
    for (const [id, until] of streaming) {
      if (until > now) return true;
      streaming.delete(id);
    }
    return false;
  };

  const onNotification = (msg: pg.Notification) => {
    let payload: { from?: string; messages?: unknown[]; express?: unknown; cancelled?: unknown };
    try { payload = JSON.parse(msg.payload ?? '{}'); } catch { return; }
    if (payload.from === me) return;
    if (msg.channel === RUNS_CHANNEL && Array.isArray(payload.cancelled)) {
      services.runAborts.abortHere(payload.cancelled.filter((id): id is string => typeof id === 'string'));
      return;
    }
    if (msg.channel === RUNS_CHANNEL) {
      // From an instance that executes no runs: whoever claims these first runs them (the others find them taken).
      if (Array.isArray(payload.express)) onExpress(payload.express.filter((id): id is string => typeof id === 'string').slice(0, EXPRESS_RELAYED));
      onRunsWoken();
    }
    if (msg.channel === STREAMS_CHANNEL) {
      const said = payload as { from?: string; streams?: boolean; hello?: boolean };
      if (said.hello) {
        if (services.live.streams > 0) announce();
      } else if (typeof said.from === 'string') {
        if (said.streams) streaming.set(said.from, Date.now() + STREAMS_TTL_MS);
        else streaming.delete(said.from);
      }
    }
    if (msg.channel === LIVE_CHANNEL) {
      for (const raw of payload.messages ?? []) {
        const parsed = LiveMessage.safeParse(raw);
        if (parsed.success) services.live.deliverLocal(parsed.data);
      }
    }
  };

  // Until it is back: every second, for as long as the instance runs (PostgreSQL restarting, say).
  const reconnectLater = () => {
    if (closed) return;
    setTimeout(() => void connect().catch((err) => {
      services.log.error({ err }, 'LISTEN reconnect failed; trying again in a second');
      reconnectLater();
    }), 1_000).unref();
  };

  const connect = async () => {
    // Named, so that an operator (pg_stat_activity) tells it from the pool's connections.
    const c = new pg.Client({ ...(pool.options as pg.ClientConfig), application_name: `companion listen ${me}`.slice(0, 63) });
    c.on('notification', onNotification);
    c.on('error', (err) => {
      void c.end().catch(() => {});
      if (client !== c) return;
      services.log.warn({ err }, 'LISTEN connection lost; reconnecting');
      client = undefined;
      reconnectLater();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${RUNS_CHANNEL}`);
      await c.query(`LISTEN ${LIVE_CHANNEL}`);
      await c.query(`LISTEN ${STREAMS_CHANNEL}`);
      await holdRunning(c);
    } catch (err) {
      void c.end().catch(() => {});
      throw err;
    }
    client = c;
    // Runs created while we were not listening: look for them once.
    onRunsWoken();
    // Instances with streams open answer, so that this one relays to them from now on.
    void notify(STREAMS_CHANNEL, JSON.stringify({ from: me, hello: true }));
  };

  const notify = (channel: string, payload: string) =>
    pool.query('SELECT pg_notify($1, $2)', [channel, payload]).then(() => undefined, (err) => {
      if (!closed) services.log.warn({ err, channel }, 'NOTIFY failed');
    });
  const announce = () => { void notify(STREAMS_CHANNEL, JSON.stringify({ from: me, streams: services.live.streams > 0 })); };

  await connect();
  services.live.onStreamsChanged(() => { if (!closed) announce(); });
  const beat = setInterval(() => { if (services.live.streams > 0) announce(); }, STREAMS_BEAT_MS);
  beat.unref();

  const flushLive = async () => {
    while (liveQueue.length > 0 && !closed) {
      const batch = liveQueue;
      liveQueue = [];
      let chunk: LiveMessage[] = [];
      let size = 0;
      for (const m of batch) {
        const len = JSON.stringify(m).length + 1;
        if (chunk.length > 0 && size + len > MAX_PAYLOAD) {
          await notify(LIVE_CHANNEL, JSON.stringify({ from: me, messages: chunk }));
          chunk = [];
          size = 0;
        }
        chunk.push(m);
        size += len;
      }
      if (chunk.length > 0) await notify(LIVE_CHANNEL, JSON.stringify({ from: me, messages: chunk }));
    }
    liveFlush = undefined;
  };

  services.live.addRelay((m) => {
    if (closed || (!services.live.watches(m.type) && !othersStream())) return;
    liveQueue.push(m);
    // Batched: one NOTIFY carries every message published in the same tick.
    liveFlush ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flushLive);
  });

  return {
    notifyRuns() {
      if (closed || runsPending) return;
      runsPending = true;
      const send = () => {
        runsPending = false;
        if (closed) return;
        runsNotifiedAt = Date.now();
        void notify(RUNS_CHANNEL, JSON.stringify({ from: me }));
      };
      // Batched as before: everything created in the same tick is one NOTIFY.
      const wait = runsNotifiedAt + RUNS_NOTIFY_MS - Date.now();
      if (wait > 0) setTimeout(send, wait); else setImmediate(send);
    },
    expressRuns(runIds) {
      // At once, not batched with the other run notices: someone is waiting on these.
      if (!closed) void notify(RUNS_CHANNEL, JSON.stringify({ from: me, express: runIds.slice(0, EXPRESS_RELAYED) }));
    },
    cancelRuns(runIds) {
      // At once: someone pressed Stop, and a request in flight is still waiting for its answer.
      for (let i = 0; i < runIds.length && !closed; i += CANCELLED_PER_NOTICE) {
        void notify(RUNS_CHANNEL, JSON.stringify({ from: me, cancelled: runIds.slice(i, i + CANCELLED_PER_NOTICE) }));
      }
    },
    async close() {
      clearInterval(beat);
      // The others stop relaying to this instance's streams now, not 15 s later.
      if (services.live.streams > 0) await notify(STREAMS_CHANNEL, JSON.stringify({ from: me, streams: false }));
      closed = true;
      await liveFlush;
      const c = client;
      client = undefined;
      if (c) {
        c.off('notification', onNotification);
        await c.end().catch(() => {});
      }
    },
  };
}
