import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Role, User } from '../../lib/contracts/users';
import { createUser as createUserRow } from '../../server/domain/users';
import type { Config } from '../../server/config';
import { startServer } from '../../server/server';
import type { ExecutorThread } from '../../server/engine/executor/executor-thread';
import { fromJson, openStore, type Store } from '../../server/store/database';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, otherwise the text (undefined when empty). */
  body: T;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer is sent as is (set the content type yourself). */
  body?: unknown;
}

/** JSON calls under /api/v1 with one token (or none): `api(token).post('/contacts', {...})`. */
export interface Api {
  get<T = any>(path: string, opts?: RequestOptions): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown, opts?: RequestOptions): Promise<ApiResponse<T>>;
  put<T = any>(path: string, body?: unknown, opts?: RequestOptions): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body?: unknown, opts?: RequestOptions): Promise<ApiResponse<T>>;
  del<T = any>(path: string, opts?: RequestOptions): Promise<ApiResponse<T>>;
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  store: Store;
  /** COMPANION_EXECUTOR_THREAD=1 on a SQLite file: the thread executing the runs. */
  executorThread?: ExecutorThread;
  adminToken: string;
  createUser(role: Role, fields?: { name?: string; email?: string }): Promise<{ user: User; token: string }>;
  api(token?: string): Api;
  /** Any request relative to the server root (not /api/v1), for raw bodies and odd headers. */
  request(method: string, path: string, opts?: RequestOptions & { token?: string }): Promise<ApiResponse>;
  /** Event rows, oldest first, payload parsed. */
  events(type?: string): Promise<{ id: string; type: string; source: string; contactId: string | null; payload: any; idempotencyKey: string | null }[]>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** A PostgreSQL URL: the server gets a fresh schema there, dropped on close. Otherwise SQLite :memory:. */
  databaseUrl?: string;
  env?: NodeJS.ProcessEnv;
  /** Background workers (engine, outbox); on by default as in production. */
  workers?: boolean;
  /** A SQLite file to keep between servers (a restart); default: a fresh in-memory database. */
  sqliteFile?: string;
  /** PostgreSQL: the pool's connections (DATABASE_POOL_SIZE); 5 unless said. */
  poolSize?: number;
  /** Settings as read, past the environment's bounds (a sync every 200 ms, to watch it in a test). */
  config?: Partial<Config>;
}

let userSeq = 0;
/** COMPANION_SECRET_KEY of test servers on a kept SQLite file (32 bytes, base64). */
const RESTART_KEY = Buffer.alloc(32, 42).toString('base64');

/** The real server on a loopback port with its own database; close() removes everything it made. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-test-'));
  let schema: string | undefined;
  let store: Store;
  if (opts.databaseUrl) {
    const { freshSchemaName } = await import('./postgres');
    schema = freshSchemaName();
    store = await openStore({ databaseUrl: opts.databaseUrl, pgSchema: schema, poolSize: opts.poolSize ?? 5 });
  } else {
    store = await openStore({ sqliteFile: opts.sqliteFile ?? ':memory:' });
  }
  const server = await startServer({
    // Every test client is 127.0.0.1: the per-address limits on failed authentications and on
    // unknown webhook URLs would turn the 401/404 matrices into 429s. Tests of those limits set them.
    // A SQLite file kept between servers (a restart) keeps its sealing key too: each server's
    // DATA_DIR is a fresh temporary one, and a start refuses data sealed with another key.
    env: { COMPANION_DEMO: '0', AUTH_FAILURES_PER_MINUTE: '1000000', WEBHOOK_UNKNOWN_PER_MINUTE: '1000000', ...(opts.sqliteFile ? { COMPANION_SECRET_KEY: RESTART_KEY } : {}), ...opts.env },
    config: { ...opts.config, port: 0, dataDir },
    logger: false,
    store,
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
  });
  const adminToken = server.tokens.admin;
  if (!adminToken) throw new Error('The test server did not bootstrap an admin token');

  const request = async (method: string, p: string, o: RequestOptions & { token?: string } = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (typeof o.body === 'string') body = o.body;
    else if (o.body instanceof Uint8Array) body = new Uint8Array(o.body);
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    const res = await fetch(server.url + p, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text === '' ? undefined : text;
    if (text && (res.headers.get('content-type') ?? '').includes('json')) {
      try { parsed = JSON.parse(text); } catch { /* leave as text */ }
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };

  const api = (token?: string): Api => {
    const call = (method: string, p: string, body: unknown, o: RequestOptions = {}) =>
      request(method, `/api/v1${p}`, { ...o, token, body: body ?? o.body });
    return {
      get: (p, o) => call('GET', p, undefined, o),
      post: (p, body, o) => call('POST', p, body, o),
      put: (p, body, o) => call('PUT', p, body, o),
      patch: (p, body, o) => call('PATCH', p, body, o),
      del: (p, o) => call('DELETE', p, undefined, o),
    };
  };

  return {
    url: server.url,
    app: server.app,
    store,
    ...(server.executorThread ? { executorThread: server.executorThread } : {}),
    adminToken,
    api,
    request,
    async createUser(role, fields = {}) {
      const n = ++userSeq;
      return createUserRow(store.db, { name: fields.name ?? `Test ${role} ${n}`, email: fields.email ?? `${role}${n}.${Date.now()}@test.local`, role });
    },
    async events(type) {
      let q = store.db.selectFrom('events').selectAll();
      if (type) q = q.where('type', '=', type);
      const rows = await q.orderBy('id').execute();
      return rows.map((r) => ({
        id: r.id, type: r.type, source: r.source, contactId: r.contact_id, payload: fromJson(r.payload, null), idempotencyKey: r.idempotency_key,
      }));
    },
    async close() {
      await server.close();
      await store.close();
      if (schema && opts.databaseUrl) {
        const { dropSchema } = await import('./postgres');
        await dropSchema(opts.databaseUrl, schema);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
