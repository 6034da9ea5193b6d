import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How long a statement waits for another process's write lock on the SQLite file (a backup,
 * `sqlite3` maintenance, a second server on the same file by mistake) before it gives up with
 * SQLITE_BUSY (isDatabaseLocked): a request then answers 503 `busy`, the engine tries again later.
 */
export const LOCK_WAIT_MS = 5_000;

// Waits between tries, as SQLite's own busy handler spaces them (1, 2, 5, 10… ms), then 100 ms:
// a turn of the executor thread or the checkpointer is over within the first few, and a lock let
// go is noticed within a tenth of a second.
const PAUSES_MS = [1, 2, 5, 10, 20, 50, 100];

/** The pause before try `attempt + 1` (0-based), or undefined when it would end past `deadline`. */
export function lockPause(attempt: number, deadline: number): number | undefined {
  const ms = PAUSES_MS[Math.min(attempt, PAUSES_MS.length - 1)]!;
  return Date.now() + ms > deadline ? undefined : ms;
}

/** The longest pause, for a wait past the deadline (waitOutLocks). */
export const LONGEST_PAUSE_MS = PAUSES_MS.at(-1)!;

const patience = new AsyncLocalStorage<() => boolean>();

/**
 * Runs `fn` so that its statements wait for another process's write lock until it is let go,
 * not LOCK_WAIT_MS: a run executing holds in memory what its step did out there (an HTTP step's
 * answer, a message sent), and giving up would put the run back to do that step again (a POST
 * sent twice, or failed as "may have arrived"). Nobody waits on an answer from it, unlike a
 * request. `stopping()`: the engine is stopping, so statements give up as a request's do.
 */
export function waitOutLocks<T>(stopping: () => boolean, fn: () => Promise<T>): Promise<T> {
  return patience.run(stopping, fn);
}

/** Whether the statement being run waits past LOCK_WAIT_MS (inside waitOutLocks, the engine not stopping). */
export function waitsOut(): boolean {
  const stopping = patience.getStore();
  return stopping !== undefined && !stopping();
}

/**
 * Another process's hold on the write lock as this connection lives it: an episode starts when a
 * statement has waited LOCK_WAIT_MS (and gives up, or waits on: waitOutLocks) and ends when a
 * write goes through again. The server says each once (a warning, then how long it lasted)
 * instead of a line for every write that met it.
 */
export class LockEpisodes {
  private since: number | undefined;
  onStart: ((err: unknown) => void) | undefined;
  onEnd: ((lockedMs: number) => void) | undefined;

  waitedLong(err: unknown): void {
    if (this.since !== undefined) return;
    this.since = Date.now() - LOCK_WAIT_MS;
    this.onStart?.(err);
  }

  passed(): void {
    if (this.since === undefined) return;
    const lockedMs = Date.now() - this.since;
    this.since = undefined;
    this.onEnd?.(lockedMs);
  }
}

/**
 * Transactions waiting for another process's write lock, in the order they met it: once the lock
 * is let go they begin in that order, not in whichever order their pauses happen to end (a
 * webhook that came later was saved first, with the earlier id and time, so a customer's
 * messages read in reverse). The first in line tries again after its pauses; the others wait.
 */
export class LockLine {
  private first = false;
  private readonly behind: (() => void)[] = [];

  /** Whether a transaction waits for the lock: a new one then lines up instead of trying. */
  get waiting(): boolean { return this.first; }

  /** True at once when first in line; else true when its turn comes, false when `until` passes first (it left the line). */
  join(until: number): true | Promise<boolean> {
    if (!this.first) {
      this.first = true;
      return true;
    }
    return new Promise((resolve) => {
      const go = () => { clearTimeout(timer); resolve(true); };
      const timer = until === Infinity ? undefined : setTimeout(() => {
        this.behind.splice(this.behind.indexOf(go), 1);
        resolve(false);
      }, Math.max(0, until - Date.now()));
      this.behind.push(go);
    });
  }

  /** The first in line leaves it (begun, or given up): the next is first. */
  leave(): void {
    const next = this.behind.shift();
    if (next) next();
    else this.first = false;
  }
}
