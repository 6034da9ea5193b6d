import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';
import { TURN_CELLS } from './write-turn';

// With synchronous=NORMAL a commit only appends to the WAL; the fsyncs happen when a checkpoint
// copies the WAL back into the database file. Left to SQLite, the writer that crosses 1,000 WAL
// pages runs that checkpoint itself, so every ~80th webhook batch stalled the event loop for
// milliseconds (a third of SQLite's share of a delivery). A worker thread with its own connection
// checkpoints instead; PASSIVE never waits for or blocks a writer.
//
// But a PASSIVE checkpoint copies the frames that were there when it began: under steady writes
// (a batch every few ms, a checkpoint of ~2 fsyncs) it never ends with the WAL fully copied, and
// only then does the next writer start the WAL over from its beginning. The WAL grew for as long
// as the load lasted (300 MiB in 20,000 webhooks), every commit appending to fresh file pages:
// half of a commit's cost (SQLite's frames written into new ext4 blocks, which the kernel zeroes
// first), and a webhook batch's commit was its largest single cost. So, once the WAL holds
// RESTART_FRAMES and a PASSIVE has caught up with what it saw, the checkpointer takes the write
// turn (write-turn.ts) when nobody holds or waits for it, copies the few frames committed
// meanwhile, and gives it back: the next writer finds the WAL fully copied and starts it over,
// in file pages that exist and are cached. Writers wait for that moment without blocking (the
// main thread) or give way first (the executor thread waits for a waiting main thread anyway).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.file);
db.exec('PRAGMA busy_timeout = 0; PRAGMA journal_size_limit = ' + workerData.sizeLimit);
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const truncate = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)');
const turn = workerData.turn ? new Int32Array(workerData.turn, 0, 2) : undefined;
const T = workerData.cells;
// The last frames, with the writers held off: only when nobody holds the turn or waits for it.
// A writer holding the turn is waited for, briefly (this thread has nothing else to do): under
// steady writes the turn is rarely free at the one moment a tick looks.
const catchUp = () => {
  if (!turn) return;
  for (const until = Date.now() + workerData.catchUpWaitMs; ;) {
    const holder = Atomics.load(turn, T.MAIN_WAITING) !== 0 ? -1 : Atomics.compareExchange(turn, T.HOLDER, T.FREE, T.CHECKPOINTER);
    if (holder === T.FREE) break;
    const left = until - Date.now();
    if (left <= 0) return;
    if (holder === -1) Atomics.wait(turn, T.MAIN_WAITING, 1, left); else Atomics.wait(turn, T.HOLDER, holder, left);
  }
  try { checkpoint.get(); } finally {
    Atomics.compareExchange(turn, T.HOLDER, T.CHECKPOINTER, T.FREE);
    Atomics.notify(turn, T.HOLDER);
  }
};
let lastLog = -1;
let quiet = 0;
let truncated = false;
const timer = setInterval(() => {
  try {
    const r = checkpoint.get();
    if (!r.busy && r.log >= workerData.restartFrames && r.checkpointed === r.log) catchUp();
    // At rest (every frame copied back and nothing written for idleTicks): give the WAL file
    // back to the disk. TRUNCATE takes the writer lock for a moment; with busy_timeout 0 it
    // simply gives up (busy) when a writer is active and tries again on a later quiet tick.
    quiet = r.log === lastLog && r.log === r.checkpointed && !r.busy ? quiet + 1 : 0;
    if (r.log !== lastLog) truncated = false;
    lastLog = r.log;
    if (quiet >= workerData.idleTicks && !truncated && r.log > 0) {
      const t = truncate.get();
      if (!t.busy) { truncated = true; lastLog = 0; }
    }
  } catch (err) { parentPort.postMessage({ error: String(err && err.message || err) }); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** Bytes of WAL kept on disk after a restart of the log (SQLite's journal_size_limit). */
export const WAL_SIZE_LIMIT = 64 * 2 ** 20;

export interface Checkpointer { stop(): Promise<void> }

/** How long a catch-up waits for the write turn before leaving it to the next tick. */
const CATCH_UP_WAIT_MS = 20;

/** WAL frames (4 KiB pages) past which the checkpointer has the WAL started over (above): ~4 MiB. */
export const RESTART_FRAMES = 1_024;

export interface CheckpointerOptions {
  intervalMs?: number;
  idleMs?: number;
  /** The write turn's buffer (write-turn.ts): without it the WAL starts over only when writes pause. */
  turn?: SharedArrayBuffer;
  restartFrames?: number;
}

/** Moves WAL checkpoints of `file` off the caller's thread; falls back to SQLite's own if the worker fails. */
export function startCheckpointer(raw: DatabaseSync, file: string, { intervalMs = 100, idleMs = 1_000, turn, restartFrames = RESTART_FRAMES }: CheckpointerOptions = {}): Checkpointer {
  raw.exec('PRAGMA wal_autocheckpoint = 0');
  // Under load the WAL is restarted from its beginning once a checkpoint has caught up; the
  // writer that restarts it then cuts the file back to this size instead of keeping its peak.
  raw.exec(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT}`);
  const fallBack = () => { try { raw.exec('PRAGMA wal_autocheckpoint = 1000'); } catch { /* closed */ } };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, sizeLimit: WAL_SIZE_LIMIT, idleTicks: Math.max(1, Math.round(idleMs / intervalMs)), turn, cells: TURN_CELLS, restartFrames, catchUpWaitMs: CATCH_UP_WAIT_MS } });
  worker.unref();
  let stopping = false;
  worker.on('message', (m: { error?: string }) => { if (m.error) process.emitWarning(`WAL checkpoint failed: ${m.error}`); });
  worker.on('error', (err) => { process.emitWarning(`WAL checkpointer stopped: ${err.message}`); fallBack(); });
  worker.on('exit', () => {
    // A worker gone in the middle of its catch-up must not keep the writers waiting.
    if (turn) {
      const cells = new Int32Array(turn, 0, 2);
      if (Atomics.compareExchange(cells, TURN_CELLS.HOLDER, TURN_CELLS.CHECKPOINTER, TURN_CELLS.FREE) === TURN_CELLS.CHECKPOINTER) Atomics.notify(cells, TURN_CELLS.HOLDER);
    }
    if (!stopping) fallBack();
  });
  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.ref(); // unref'd so it never keeps a process alive, but a close waits for it
      worker.postMessage('stop');
      await exited;
    },
  };
}
