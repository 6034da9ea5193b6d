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
db.exec('PRAGMA busy_timeout = 5000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint.get(); } catch (err) { parentPort.postMessage({ error: String(err && err.message || err) }); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer { stop(): Promise<void> }

/** Moves WAL checkpoints of `file` off the caller's thread; falls back to SQLite's own if the worker fails. */
export function startCheckpointer(raw: DatabaseSync, file: string, intervalMs = 100): Checkpointer {
  raw.exec('PRAGMA wal_autocheckpoint = 0');
  const fallBack = () => { try { raw.exec('PRAGMA wal_autocheckpoint = 1000'); } catch { /* closed */ } };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs } });
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
