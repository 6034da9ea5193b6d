import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { namePreparedStatements } from './pg-prepared';
import { surviveLostConnections } from './pg-connection-loss';
import { migrations } from './migrations/index';
import type { DB } from './schema';
import { preparePrivateDatabase } from './private-files';
import { openSqlite, type DirectQuery, type StoreCounters } from './sqlite-adapter';
import { WriteTurn } from './write-turn';
import { WaitingSqliteAdapter, WaitingSqliteDriver } from './sqlite-driver';
import { LockEpisodes } from './sqlite-lock';
import { NUL_MESSAGE } from '../../lib/workflow/nul-text';
import { ConfigError } from '../http/trust-proxy';

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
  /** SQLite: the database file (another connection, the executor thread's, opens it too). */
  file?: string;
  /** SQLite file: the turns its transactions take with an executor thread's (write-turn.ts). */
  writeTurn?: WriteTurn;
  /** SQLite: what the executor thread's connection has counted (it reports them to this one). */
  peerCounters?: StoreCounters;
  /** SQLite: another process holding the file's write lock past LOCK_WAIT_MS, once per episode (the server logs it). */
  lockEpisodes?: LockEpisodes;
  /**
   * Migrations this opening applied (the server logs it once): how many, and the latest by name, the
   * one a release's server/store/migrations ends with; none applied: unset.
   */
  migrated?: Migrated;
  /** PostgreSQL: told of each pooled connection the database dropped (the server logs it); a process warning until set. */
  onConnectionLost?: (err: Error) => void;
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
  /** SQLite: move WAL checkpoints to a thread (default). The executor thread's connection leaves them to the main one's. */
  checkpointer?: boolean;
  /** SQLite, the executor thread's connection: the main connection's turns (write-turn.ts). */
  writeTurn?: WriteTurn;
}

/** How long a new PostgreSQL connection may take to be ready (see openStore). */
export const CONNECT_TIMEOUT_MS = 10_000;

// COUNT(*) and BIGINT come back as strings from pg; our numbers fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openStore(options: StoreOptions): Promise<Store> {
  let store: Store;
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // A database that accepts TCP and never answers (a hung server, a firewall that drops
      // packets): a connection attempt fails after this long instead of the kernel's ~2 minutes,
      // so requests get their 503 and a start says what is wrong. Also the longest a query waits
      // for a free pooled connection. The LISTEN session and the start lock take it from here too.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    const counters: StoreCounters = { statements: 0, transactions: 0, roundTrips: 0 };
    namePreparedStatements(pool, counters);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const pgStore: Store = { db, dialect: 'postgres', pgPool: pool, counters, close: () => db.destroy() };
    surviveLostConnections(pool, (err) => {
      if (pgStore.onConnectionLost) pgStore.onConnectionLost(err);
      else process.emitWarning(`PostgreSQL dropped a connection (${err.message}); the next query opens another`);
    });
    store = pgStore;
    // Instances started together: one creates the schema and migrates, the others then find it done.
    try {
      await inStartTurn(pool, async () => {
        if (options.pgSchema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${options.pgSchema}"`);
        const migrated = await migrate(db);
        if (migrated) store.migrated = migrated;
      });
    } catch (err) {
      // Not started: nothing of it stays open (main.ts tries again while the database is starting).
      await db.destroy().catch(() => {});
      throw err;
    }
    return store;
  } else {
    const file = options.sqliteFile ?? ':memory:';
    if (file !== ':memory:') preparePrivateDatabase(file);
    const writeTurn = file === ':memory:' ? undefined : options.writeTurn ?? new WriteTurn(WriteTurn.buffer(), 'main');
    // The checkpointer takes the same turns, to have the WAL started over under steady writes.
    const database = openSqlite(file, { checkpointer: options.checkpointer ?? true, ...(writeTurn ? { turn: writeTurn.buffer } : {}) });
    const lockEpisodes = new LockEpisodes();
    const db = new Kysely<DB>({ dialect: new DirectSqliteDialect(database, writeTurn, lockEpisodes) });
    // The checkpointer's connection closes first, so this one is the last and checkpoints on close.
    store = { db, dialect: 'sqlite', counters: database.counters, file, lockEpisodes, ...(writeTurn ? { writeTurn } : {}), close: async () => { await database.checkpointer?.stop(); await db.destroy(); } };
  }
  const migrated = await migrate(store.db);
  if (migrated) store.migrated = migrated;
  return store;
}

/** PostgreSQL advisory lock key of the start turn ('icbootst' as a number). */
const START_LOCK = 0x6963626f6f747374n.toString();

/**
 * PostgreSQL: runs `fn` while no other instance is in its start turn (a session advisory lock on
 * a connection of its own, outside the pool: `fn` may need every pooled one). Creating a schema,
 * Kysely's migration tables, the first admin and the demo are each "if missing, create": two
 * instances started together on an empty database both found them missing, and the second
 * failed on a duplicate (schema name, user email).
 */
export async function inStartTurn<T>(pool: pg.Pool, fn: () => Promise<T>): Promise<T> {
  const lock = new pg.Client(pool.options as pg.ClientConfig);
  // Lost mid-migration: the statement in flight fails and startup with it, rather than an unheard 'error' event.
  lock.on('error', () => {});
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [START_LOCK]);
    return await fn();
  } finally {
    // Closing the session releases the lock too.
    await lock.end().catch(() => {});
  }
}

/** SQLite's dialect, whose adapter also carries the connection's DirectQuery (see directQuery); its driver waits for locks without blocking (sqlite-driver.ts). */
class DirectSqliteDialect extends SqliteDialect {
  constructor(private database: ReturnType<typeof openSqlite>, private turn?: WriteTurn, private episodes?: LockEpisodes) { super({ database }); }
  override createAdapter() { return Object.assign(new WaitingSqliteAdapter(), { direct: this.database.direct }); }
  override createDriver() { return new WaitingSqliteDriver(this.database, this.turn, this.episodes); }
}

/**
 * Inside a SQLite transaction, statements can skip Kysely's per-query machinery (connection
 * mutex, promise chain, result mapping; ~10 µs each) and run on the connection directly: the
 * transaction already holds the connection, so nothing else can interleave. Undefined outside
 * a transaction and on PostgreSQL, where Kysely's path is the only one.
 */
/** Whether `db` talks to PostgreSQL (code shared by both dialects picks its SQL by it). */
export const isPostgres = (db: Executor): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

export function directQuery(db: Executor): DirectQuery | undefined {
  if (!db.isTransaction) return undefined;
  return (db.getExecutor().adapter as { direct?: DirectQuery }).direct;
}

export interface Migrated { applied: number; latest: string }

/** Brings the schema up to date; says how many migrations it applied and the latest, when it applied any. */
export async function migrate(db: Db): Promise<Migrated | undefined> {
  // Unless told the schema, Kysely on PostgreSQL takes a migration table in ANY schema for its own
  // (another app's, a parallel test's) and then fails on a missing lock table: name the current one.
  const migrationTableSchema = db.getExecutor().adapter instanceof PostgresAdapter
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined;
  await refuseNewerDatabase(db, migrationTableSchema);
  // Features add migrations in parallel; their numbers need not arrive in order.
  const migrator = new Migrator({
    db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  // Kysely checks for its tables by reading every schema's tables in the database, naming each
  // schema, table and column again (has_schema_privilege, pg_get_serial_sequence): a schema another
  // app or instance drops meanwhile fails that read (3F000 naming it, or 42P01 / 42703 for its
  // tables). Read again. Migrations run in one transaction, so a failed attempt left nothing.
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) {
      const applied = results?.filter((r) => r.status === 'Success').length ?? 0;
      // Their names sort as they are numbered ("083-…"), as Kysely runs them.
      return applied > 0 ? { applied, latest: Object.keys(migrations).sort().at(-1)! } : undefined;
    }
    if (attempt >= 5 || !droppedElsewhere(error, migrationTableSchema)) throw error;
  }
}

/**
 * A database migrated by a release this one does not know all of (a downgrade, or an older instance
 * started beside newer ones): Kysely stopped with an uncaught "corrupted migrations: previously
 * executed migration … is missing", naming neither version, as if the data were damaged. It stops
 * here instead, before anything is written, with one line saying both versions and the ways out.
 * Migrations cannot be undone (each release's only go forward), so an older release never runs on it.
 */
async function refuseNewerDatabase(db: Db, schema: string | undefined): Promise<void> {
  const table = schema
    ? (await sql<{ t: string | null }>`select to_regclass(format('%I.kysely_migration', ${schema}::text))::text as t`.execute(db)).rows[0]?.t
    : (await sql<{ t: string }>`select name as t from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db)).rows[0]?.t;
  if (!table) return;
  const executed = (await sql<{ name: string }>`select name from ${sql.table(schema ? `${schema}.kysely_migration` : 'kysely_migration')}`.execute(db)).rows.map((r) => r.name);
  const unknown = executed.filter((name) => !(name in migrations)).sort();
  if (unknown.length === 0) return;
  const ours = Object.keys(migrations).sort().at(-1)!;
  const at = executed.sort().at(-1)!;
  const known = `it is at ${at}, and this release knows migrations up to ${ours}; nothing was changed`;
  // Names sort as numbered: one past ours came from a newer release; one before it, from another build.
  throw new ConfigError(at > ours
    ? `the database was upgraded by a newer release: ${known}. Start the newer release, or restore the backup taken before the upgrade (with its secret key) to run this one`
    : `the database was migrated by another build (${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in this release): ${known}. Start the build that migrated it, or restore the backup taken before it did`);
}

/** A catalogue read that met another schema's drop: "schema … does not exist" about a schema other than `own`, or a table or column gone. */
function droppedElsewhere(err: unknown, own: string | undefined): boolean {
  const e = err as { code?: string; message?: string };
  if (!own) return false;
  if (e?.code === '42P01' || e?.code === '42703') return true;
  if (e?.code !== '3F000') return false;
  const named = /schema "([^"]+)" does not exist/.exec(e.message ?? '')?.[1];
  return named !== undefined && named !== own;
}

/** A unique constraint was violated (SQLite or PostgreSQL wording). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errcode?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/i.test(e?.message ?? '');
}

/**
 * A row refers to one that is gone (PostgreSQL 23503, SQLite's FOREIGN KEY constraint): a write
 * that raced a delete of what it names (a contact being erased while an agent writes to them).
 */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '23503' || /FOREIGN KEY constraint failed/i.test(e?.message ?? '');
}

/**
 * The database has no room left: SQLite's SQLITE_FULL (13: the disk, or max_page_count) or
 * PostgreSQL's SQLSTATE 53100 (disk_full). The server's condition, not the request's.
 */
export function isStorageFull(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  return e.code === '53100' || (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number' && (e.errcode & 0xff) === 13);
}

/**
 * Text the database cannot store: a NUL character (PostgreSQL's SQLSTATE 22021, or 22P05 inside
 * JSON; the SQLite adapter refuses it with 22021 too, so both dialects agree).
 */
export function isUnstorableText(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === '22021' || code === '22P05';
}

/** What a user is told when text they sent, or a run rendered, holds a NUL character. */
export const UNSTORABLE_TEXT = NUL_MESSAGE;

export const toJson = (value: unknown) => JSON.stringify(value ?? null);
export const fromJson = <T>(text: string | null | undefined, fallback: T): T => {
  if (text == null) return fallback;
  try { return JSON.parse(text) as T; } catch { return fallback; }
};
