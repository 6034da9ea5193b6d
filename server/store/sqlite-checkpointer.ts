import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';

// With synchronous=NORMAL a commit only appends to the WAL; the fsyncs happen when a checkpoint
// copies the WAL back into the database file. Left to SQLite, the writer that crosses 1,000 WAL
// pages runs that checkpoint itself, so every ~80th webhook batch stalled the event loop for
// milliseconds (a third of SQLite's share of a delivery). A worker thread with its own connection
// checkpoints instead; PASSIVE never waits for or blocks a writer.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.file);
db.exec('PRAGMA busy_timeout = 0; PRAGMA journal_size_limit = ' + workerData.sizeLimit);
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const truncate = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)');
let lastLog = -1;
let quiet = 0;
let truncated = false;
const timer = setInterval(() => {
  try {
    const r = checkpoint.get();
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

/** Moves WAL checkpoints of `file` off the caller's thread; falls back to SQLite's own if the worker fails. */
export function startCheckpointer(raw: DatabaseSync, file: string, intervalMs = 100, idleMs = 1_000): Checkpointer {
  raw.exec('PRAGMA wal_autocheckpoint = 0');
  // Under load the WAL is restarted from its beginning once a checkpoint has caught up; the
  // writer that restarts it then cuts the file back to this size instead of keeping its peak.
  raw.exec(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT}`);
  const fallBack = () => { try { raw.exec('PRAGMA wal_autocheckpoint = 1000'); } catch { /* closed */ } };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, sizeLimit: WAL_SIZE_LIMIT, idleTicks: Math.max(1, Math.round(idleMs / intervalMs)) } });
  worker.unref();
  let stopping = false;
  worker.on('message', (m: { error?: string }) => { if (m.error) process.emitWarning(`WAL checkpoint failed: ${m.error}`); });
  worker.on('error', (err) => { process.emitWarning(`WAL checkpointer stopped: ${err.message}`); fallBack(); });
  worker.on('exit', () => { if (!stopping) fallBack(); });
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
