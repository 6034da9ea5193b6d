import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/server';
import { openStore, type Executor, type Store } from '../../server/store/database';
import { startTestServer, type TestServer, type TestServerOptions } from './server';

/** The PostgreSQL server the `.pg.test.ts` suites use; unset means "no PostgreSQL here". */
export const pgUrl = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;

const inCi = () => process.env.CI === 'true' || process.env.CI === '1';

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL at TEST_DATABASE_URL is not reachable: ${(err as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

// Probed once per test file, when a PostgreSQL suite imports this module.
const url = pgUrl();
const problem: string | undefined = url ? await probe(url) : 'TEST_DATABASE_URL is not set';

/**
 * A suite that needs PostgreSQL. Without one it is skipped locally, but with CI=true it
 * FAILS: CI promised a real server, so a missing or unreachable one is a broken run.
 */
export function describePg(name: string, body: () => void) {
  if (!problem) return describe(name, body);
  if (inCi()) {
    return describe(name, () => {
      it('has a reachable PostgreSQL (CI=true)', () => {
        throw new Error(`${problem}; CI=true requires the PostgreSQL suites to run`);
      });
    });
  }
  return describe.skip(`${name} (skipped: ${problem})`, body);
}

/** A uniquely named, not yet created schema: openStore({ pgSchema }) creates it. */
export const freshSchemaName = () => `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

export async function dropSchema(databaseUrl: string, schema: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * For each test of the calling block: a fresh server on PostgreSQL with no workers, handed to `use`,
 * closed after. Returns `restart`, for the test that needs the server started otherwise (with its
 * workers): it closes this one and hands over another started with `opts`, closed after the test in its place.
 */
export function eachPgServer(use: (server: TestServer) => void): (opts?: Omit<TestServerOptions, 'databaseUrl'>) => Promise<void> {
  let server: TestServer | undefined;
  const start = async (opts: Omit<TestServerOptions, 'databaseUrl'> = { workers: false }) => {
    server = await startTestServer({ ...opts, databaseUrl: pgUrl()! });
    use(server);
  };
  beforeEach(() => start());
  afterEach(async () => { await server?.close(); });
  return async (opts) => {
    await server?.close();
    server = undefined;
    await start(opts);
  };
}

/**
 * For the calling file: `open()` gives the test a store on a fresh schema, with one connection
 * (every statement meets the same server session); it is closed and its schema dropped after the test.
 */
export function freshPgStores(): () => Promise<Store> {
  let open: { store: Store; schema: string } | undefined;
  afterEach(async () => {
    if (!open) return;
    await open.store.close();
    await dropSchema(pgUrl()!, open.schema);
    open = undefined;
  });
  return async () => {
    const schema = freshSchemaName();
    const store = await openStore({ databaseUrl: pgUrl()!, pgSchema: schema, poolSize: 1 });
    open = { store, schema };
    return store;
  };
}

/**
 * For the calling block: `count` real servers on one fresh schema (the instances of a scale-out),
 * started one after the other (the first bootstraps the schema) before its tests, closed and the
 * schema dropped after them. The returned list fills in beforeAll.
 */
export function pgInstances(count: number, opts: { poolSize?: number; listen?: boolean; workers?: boolean[]; env?: NodeJS.ProcessEnv } = {}): RunningServer[] {
  const databaseUrl = pgUrl()!;
  const schema = freshSchemaName();
  const instances: RunningServer[] = [];
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'companion-pg-instances-'));
    for (let i = 0; i < count; i++) {
      const store = await openStore({ databaseUrl, pgSchema: schema, poolSize: opts.poolSize ?? 4 });
      instances.push(await startServer({ env: { COMPANION_DEMO: '0', ...opts.env }, config: { port: 0, dataDir }, logger: false, listen: opts.listen ?? true, store, ...(opts.workers ? { workers: opts.workers[i] ?? true } : {}) }));
    }
  });
  afterAll(async () => {
    for (const s of instances) { await s.close(); await s.store.close(); }
    await dropSchema(databaseUrl, schema);
    await rm(dataDir, { recursive: true, force: true });
  });
  return instances;
}

/**
 * Blocks of `runs` and its indexes read so far in `trx`'s transaction (pg_stat_get_xact_blocks_fetched):
 * what a queue read costs, counted in work rather than time.
 */
export const runsBlocksRead = async (trx: Executor) => Number((await sql<{ n: string }>`
  SELECT sum(pg_stat_get_xact_blocks_fetched(c.oid)) AS n FROM pg_class c
  WHERE c.oid = 'runs'::regclass OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'runs'::regclass)`.execute(trx)).rows[0]!.n);
