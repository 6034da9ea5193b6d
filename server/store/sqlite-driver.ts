import type { DatabaseSync } from 'node:sqlite';
import { CompiledQuery, SqliteAdapter, SqliteDriver, type DatabaseConnection, type QueryResult, type SqliteDatabase } from 'kysely';
import { LOCK_WAIT_MS, LONGEST_PAUSE_MS, LockLine, lockPause, waitsOut, type LockEpisodes } from './sqlite-lock';
import { isDatabaseLocked } from './transient-errors';
import type { WriteTurn } from './write-turn';

type Database = SqliteDatabase & { raw: DatabaseSync };

const BEGIN = CompiledQuery.raw('begin immediate');

/**
 * The connection hands itself out in turn (WaitingSqliteDriver), not through Kysely's mutex: a
 * write waiting for another process's lock must let reads use the connection meanwhile.
 */
export class WaitingSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections() { return true; }
}

/**
 * SQLite's busy handler waits synchronously: with `busy_timeout` 5000, every write that met another
 * process's write lock (a backup, `sqlite3` maintenance) froze the event loop for up to 5 s, so
 * reads, /docs and the engine's HTTP steps stood still with it. The connection has busy_timeout 0
 * instead, and a statement that meets the lock waits here, without blocking: it is tried again
 * after a growing pause (sqlite-lock.ts) for up to LOCK_WAIT_MS, the connection free for others
 * between tries, then fails with the SQLITE_BUSY that isDatabaseLocked recognises.
 *
 * Transactions take the write lock when they begin (BEGIN IMMEDIATE). A deferred BEGIN that reads
 * and then writes cannot wait for another connection's write to end: SQLite answers SQLITE_BUSY
 * at once (its snapshot is stale). With the executor thread's connection beside the main one, a
 * webhook batch would fail that way whenever a run round had committed in between. The write turn
 * (write-turn.ts) is given back between tries, so the executor thread is not kept waiting on it.
 */
export class WaitingSqliteDriver extends SqliteDriver {
  private readonly turnstile = new Turnstile();
  private readonly line = new LockLine();
  private readonly connection: WaitingConnection;

  constructor(database: Database, private readonly turn?: WriteTurn, private readonly episodes?: LockEpisodes) {
    super({ database });
    this.connection = new WaitingConnection(database, (ms) => this.pause(ms), episodes);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.turnstile.enter();
    return this.connection;
  }

  override async releaseConnection() { this.turnstile.leave(); }

  override async beginTransaction() {
    const deadline = Date.now() + LOCK_WAIT_MS;
    // Nobody waits for the lock: begin at once, inline (every run round begins here).
    if (!this.line.waiting) {
      await this.turn?.take();
      try {
        this.connection.run(BEGIN);
        this.episodes?.passed();
        return;
      } catch (err) {
        this.turn?.give();
        if (!isDatabaseLocked(err)) throw err;
      }
    }
    // Another process holds the lock: in line behind the transactions that met it first, with the
    // connection free for others meanwhile. Out of time before its turn came: one try of its own.
    const first = this.line.join(waitsOut() ? Infinity : deadline);
    if (first !== true && !(await this.away(first))) {
      const met = await this.begin();
      if (met === undefined) return;
      this.episodes?.waitedLong(met);
      throw met;
    }
    try {
      for (let attempt = 0; ; attempt++) {
        const met = await this.begin();
        if (met === undefined) return;
        await this.pause(pauseOrGiveUp(met, attempt, deadline, this.episodes));
      }
    } finally {
      this.line.leave();
    }
  }

  /** BEGIN IMMEDIATE in the write turn: undefined once begun, the SQLITE_BUSY it met otherwise (other errors thrown). */
  private async begin(): Promise<unknown> {
    await this.turn?.take();
    try {
      this.connection.run(BEGIN);
      this.episodes?.passed();
      return undefined;
    } catch (err) {
      this.turn?.give();
      if (!isDatabaseLocked(err)) throw err;
      return err;
    }
  }

  override async commitTransaction(connection: DatabaseConnection) {
    await super.commitTransaction(connection);
    this.turn?.give();
  }

  override async rollbackTransaction(connection: DatabaseConnection) {
    try {
      await super.rollbackTransaction(connection);
    } catch (err) {
      // SQLite ends a transaction on its own after some errors (SQLITE_FULL, IOERR, NOMEM): the
      // ROLLBACK then fails, and its error would replace the one that says what happened.
      if (!/no transaction is active/.test((err as Error).message ?? '')) throw err;
    } finally {
      this.turn?.give();
    }
  }

  /** Waits `ms` with the connection free for others (nothing of the waiting statement is open on it). */
  private pause(ms: number) {
    return this.away(new Promise<void>((resolve) => setTimeout(resolve, ms)));
  }

  /** Waits for `until` with the connection free for others. */
  private async away<T>(until: Promise<T>): Promise<T> {
    this.turnstile.leave();
    const value = await until;
    await this.turnstile.enter();
    return value;
  }
}

class WaitingConnection implements DatabaseConnection {
  constructor(private readonly database: Database, private readonly pause: (ms: number) => Promise<void>, private readonly episodes?: LockEpisodes) {}

  /** Runs one statement at once, SQLITE_BUSY included (as Kysely's SqliteConnection does). */
  run(compiled: CompiledQuery): QueryResult<unknown> {
    const stmt = this.database.prepare(compiled.sql);
    if (stmt.reader) return { rows: stmt.all(compiled.parameters) };
    const { changes, lastInsertRowid } = stmt.run(compiled.parameters);
    return {
      insertId: lastInsertRowid != null ? BigInt(lastInsertRowid) : undefined,
      numAffectedRows: changes != null ? BigInt(changes) : undefined,
      rows: [],
    };
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return this.run(compiled) as QueryResult<R>;
    } catch (err) {
      if (!this.mayWait(err)) throw err;
      return this.again(compiled, err) as Promise<QueryResult<R>>;
    }
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    for (const row of this.database.prepare(compiled.sql).iterate(compiled.parameters)) yield { rows: [row as R] };
  }

  /**
   * Outside a transaction a statement that met the lock did nothing (SQLite rolled its implicit
   * transaction back) and may be run again. Inside one, the lock is held already (BEGIN IMMEDIATE).
   */
  private mayWait(err: unknown) { return isDatabaseLocked(err) && !this.database.raw.isTransaction; }

  private async again(compiled: CompiledQuery, first: unknown): Promise<QueryResult<unknown>> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    let err = first;
    for (let attempt = 0; ; attempt++) {
      await this.pause(pauseOrGiveUp(err, attempt, deadline, this.episodes));
      try {
        const result = this.run(compiled);
        this.episodes?.passed();
        return result;
      } catch (e) {
        if (!this.mayWait(e)) throw e;
        err = e;
      }
    }
  }
}

/** How long to pause before trying again after `err` (SQLITE_BUSY); throws it once the wait is over. */
function pauseOrGiveUp(err: unknown, attempt: number, deadline: number, episodes: LockEpisodes | undefined): number {
  const ms = lockPause(attempt, deadline);
  if (ms !== undefined) return ms;
  episodes?.waitedLong(err);
  if (waitsOut()) return LONGEST_PAUSE_MS;
  throw err;
}

/** One holder at a time, the others in the order they came. */
class Turnstile {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  enter(): Promise<void> | undefined {
    if (!this.held) {
      this.held = true;
      return undefined;
    }
    return new Promise((resolve) => { this.waiting.push(resolve); });
  }

  leave() {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}
