import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { searchFold } from './contains-text';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer';
import { rowBuilder, toRows, type RowBuilder } from './sqlite-rows';

/**
 * Kysely's SqliteDialect expects better-sqlite3's statement interface; node:sqlite's
 * StatementSync takes parameters spread and has no `reader`. Used directly, parameterised
 * queries throw and parameterless SELECTs return []. This adapts one to the other.
 */
/** Runs one SQL text with parameters on the connection at once (no Kysely): rows, or [] for a statement that returns none. */
export type DirectQuery = (sql: string, params: readonly unknown[]) => unknown[];

/** Statements executed and transactions begun on this connection (the benchmark reads them per run). */
export interface StoreCounters {
  statements: number; transactions: number;
  /** PostgreSQL: answers waited for (one ReadyForQuery each), however many statements each carried. */
  roundTrips?: number;
}

export function openSqlite(filename: string, options: { checkpointer?: boolean; turn?: SharedArrayBuffer } = {}): SqliteDatabase & { raw: DatabaseSync; checkpointer?: Checkpointer; direct: DirectQuery; counters: StoreCounters } {
  const raw = new DatabaseSync(filename);
  // temp_store: a multi-row insert in a transaction keeps a statement journal, by default a
  // temporary file opened, unlinked and closed again for every webhook batch (8 system calls).
  // busy_timeout 0: SQLite's busy handler sleeps synchronously, the whole event loop with it; a
  // statement that meets another connection's write lock waits in the driver instead (sqlite-driver.ts).
  raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 0; PRAGMA temp_store = MEMORY;');
  // Search's case fold (contains-text.ts): SQLite's lower() and LIKE fold A–Z only. NULL stays NULL.
  raw.function('search_fold', { deterministic: true }, (text) => (typeof text === 'string' ? searchFold(text) : text));
  const checkpointer = filename === ':memory:' || options.checkpointer === false ? undefined : startCheckpointer(raw, filename, options.turn ? { turn: options.turn } : {});
  // Another connection's checkpointer keeps the WAL short; this one must not checkpoint on its commits.
  if (options.checkpointer === false) raw.exec('PRAGMA wal_autocheckpoint = 0');
  // Kysely compiles the same SQL text again and again; preparing it each time cost a tenth of
  // a webhook's CPU. Statements are kept by their text (bounded: ad-hoc SQL cannot grow it forever).
  // A reader's rows are read as arrays and made objects by `row` (sqlite-rows.ts: fast objects).
  // A schema change (DDL run here: migrations) empties the cache, so readers are prepared again
  // with the columns they read now.
  const cache = new Map<string, { stmt: StatementSync; reader: boolean; begins: boolean; ddl: boolean; row: RowBuilder | undefined }>();
  const counters: StoreCounters = { statements: 0, transactions: 0 };
  const statement = (sql: string) => {
    let entry = cache.get(sql);
    if (!entry) {
      if (cache.size >= 1000) cache.clear();
      const stmt = raw.prepare(sql);
      const reader = stmt.columns().length > 0;
      const row = reader ? rowBuilder(stmt) : undefined;
      if (row) stmt.setReturnArrays(true);
      entry = { stmt, reader, begins: /^\s*begin\b/i.test(sql), ddl: DDL.test(sql), row };
      cache.set(sql, entry);
    }
    counters.statements++;
    if (entry.begins) counters.transactions++;
    return entry;
  };
  return {
    raw,
    counters,
    direct: (sql, p) => {
      const { stmt, reader, row, ddl } = statement(sql);
      if (reader) return all(stmt, row, p);
      stmt.run(...p.map(toSqlite));
      if (ddl) cache.clear();
      return [];
    },
    ...(checkpointer ? { checkpointer } : {}),
    close: () => { cache.clear(); raw.close(); },
    prepare(sql: string): SqliteStatement {
      const { stmt, reader, row, ddl } = statement(sql);
      const params = (p: readonly unknown[]) => p.map(toSqlite);
      return {
        reader,
        all: (p: readonly unknown[]) => all(stmt, row, p),
        run: (p: readonly unknown[]) => {
          const r = stmt.run(...params(p));
          if (ddl) cache.clear();
          return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
        },
        iterate: (p: readonly unknown[]) => (row ? mapped(stmt.iterate(...params(p)) as IterableIterator<unknown[]>, row) : stmt.iterate(...params(p))) as IterableIterator<unknown>,
      };
    },
  };
}

const DDL = /^\s*(create|alter|drop)\b/i;

const all = (stmt: StatementSync, row: RowBuilder | undefined, p: readonly unknown[]): unknown[] =>
  row ? toRows(stmt.all(...p.map(toSqlite)) as unknown as unknown[][], row) : stmt.all(...p.map(toSqlite));

function* mapped(arrays: IterableIterator<unknown[]>, row: RowBuilder): IterableIterator<Record<string, unknown>> {
  for (const values of arrays) yield row(values);
}

function toSqlite(value: unknown): SQLInputValue {
  // PostgreSQL text cannot hold NUL; refuse it here too (same SQLSTATE) so both dialects agree.
  if (typeof value === 'string' && value.includes('\u0000')) {
    throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value as SQLInputValue;
}
