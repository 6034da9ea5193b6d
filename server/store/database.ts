import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteAdapter, SqliteDialect, sql, type Transaction } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { namePreparedStatements } from './pg-prepared';
import { migrations } from './migrations/index';
import type { DB } from './schema';
import { preparePrivateDatabase } from './private-files';
import { openSqlite, type DirectQuery, type StoreCounters } from './sqlite-adapter';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<DB>;
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Store {
  db: Db;
  dialect: Dialect;
  /** Only for PostgreSQL: the pool, for LISTEN/NOTIFY clients. */
  pgPool?: pg.Pool;
  /** SQLite: statements executed and transactions begun so far (PostgreSQL counts its own: pg_stat_*). */
  counters?: StoreCounters;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://… ; otherwise SQLite. */
  databaseUrl?: string;
  /** SQLite file; ':memory:' for tests. */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests isolate themselves in a fresh one). */
  pgSchema?: string;
  poolSize?: number;
}

// COUNT(*) and BIGINT come back as strings from pg; our numbers fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openStore(options: StoreOptions): Promise<Store> {
  let store: Store;
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    namePreparedStatements(pool);
    if (options.pgSchema) {
      const client = await pool.connect();
      try { await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.pgSchema}"`); } finally { client.release(); }
    }
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    store = { db, dialect: 'postgres', pgPool: pool, close: () => db.destroy() };
  } else {
    const file = options.sqliteFile ?? ':memory:';
    if (file !== ':memory:') preparePrivateDatabase(file);
    const database = openSqlite(file);
    const db = new Kysely<DB>({ dialect: new DirectSqliteDialect({ database }, database.direct) });
    // The checkpointer's connection closes first, so this one is the last and checkpoints on close.
    store = { db, dialect: 'sqlite', counters: database.counters, close: async () => { await database.checkpointer?.stop(); await db.destroy(); } };
  }
  await migrate(store.db);
  return store;
}

/** SQLite's dialect, whose adapter also carries the connection's DirectQuery (see directQuery). */
class DirectSqliteDialect extends SqliteDialect {
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0], private direct: DirectQuery) { super(config); }
  override createAdapter() { return Object.assign(new SqliteAdapter(), { direct: this.direct }); }
}

/**
 * Inside a SQLite transaction, statements can skip Kysely's per-query machinery (connection
 * mutex, promise chain, result mapping; ~10 µs each) and run on the connection directly: the
 * transaction already holds the connection, so nothing else can interleave. Undefined outside
 * a transaction and on PostgreSQL, where Kysely's path is the only one.
 */
export function directQuery(db: Executor): DirectQuery | undefined {
  if (!db.isTransaction) return undefined;
  return (db.getExecutor().adapter as { direct?: DirectQuery }).direct;
}

export async function migrate(db: Db) {
  // Unless told the schema, Kysely on PostgreSQL takes a migration table in ANY schema for its own
  // (another app's, a parallel test's) and then fails on a missing lock table: name the current one.
  const migrationTableSchema = db.getExecutor().adapter instanceof PostgresAdapter
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined;
  // Features add migrations in parallel; their numbers need not arrive in order.
  const migrator = new Migrator({
    db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

/** A unique constraint was violated (SQLite or PostgreSQL wording). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errcode?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/i.test(e?.message ?? '');
}

export const toJson = (value: unknown) => JSON.stringify(value ?? null);
export const fromJson = <T>(text: string | null | undefined, fallback: T): T => {
  if (text == null) return fallback;
  try { return JSON.parse(text) as T; } catch { return fallback; }
};
