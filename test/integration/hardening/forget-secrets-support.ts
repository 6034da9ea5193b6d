import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { startServer, type RunningServer } from '../../../server/server';
import type { Store } from '../../../server/store/database';

// For forget-secrets-suite.ts: a companion started on a store the test keeps (so the same data
// meets another key), the forget-secrets command as an operator runs it, and every table's rows.

export interface Companion { url: string; server: RunningServer; call(method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> }

/** The real server on a loopback port, on `store`, as the admin whose token is `adminToken` (or the one this start made). */
export async function startCompanion(store: Store, env: Record<string, string>, dataDir: string, adminToken?: string): Promise<Companion & { adminToken: string }> {
  const server = await startServer({
    env: { COMPANION_DEMO: '0', AUTH_FAILURES_PER_MINUTE: '1000000', WEBHOOK_UNKNOWN_PER_MINUTE: '1000000', CHATWOOT_SYNC_SECONDS: '0', META_ADS_SYNC_MINUTES: '0', ...env },
    config: { port: 0, dataDir }, logger: false, store, workers: false,
  });
  const token = adminToken ?? server.tokens.admin!;
  const call = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${server.url}${p.startsWith('/hooks/') || p.startsWith('/chatwoot/webhook/') ? '' : '/api/v1'}${p}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return { url: server.url, server, call, adminToken: token };
}

/** `npm run forget-secrets -- <args>` (tsx server/forget-secrets.ts) with only these settings: its exit code and all it printed. */
export async function runForgetSecrets(env: Record<string, string>, args: string[]): Promise<{ code: number | null; out: string }> {
  const base = { ...process.env };
  for (const name of ['DATABASE_URL', 'DATA_DIR', 'COMPANION_SECRET_KEY']) delete base[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/forget-secrets.ts', ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  return { code, out: out.trim() };
}

export type Tables = Record<string, unknown[]>;

/** Every row of every table, each table's rows in one order, for comparing the whole database. */
export async function allRows(store: Store): Promise<Tables> {
  const names = store.dialect === 'postgres'
    ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(store.db)).rows
    : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db)).rows;
  const tables: Tables = {};
  for (const { name } of names.sort((a, b) => a.name.localeCompare(b.name))) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(store.db);
    tables[name] = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).sort();
  }
  return tables;
}

/** The tables without the columns forget-secrets may write (what must be exactly as it was). */
export function withoutSealedColumns(tables: Tables): Tables {
  const drop: Record<string, string[]> = {
    connections: ['secrets', 'config', 'status', 'last_error', 'updated_at'],
    workflows: ['webhook_token', 'webhook_signing_secret'],
    apps: ['signing_secret', 'previous_signing_secret', 'previous_signing_secret_expires_at'],
    installations: ['auth_values'],
  };
  return Object.fromEntries(Object.entries(tables).map(([name, rows]) => {
    const parsed = (rows as string[]).map((r) => JSON.parse(r) as Record<string, unknown>);
    const kept = parsed.filter((r) => !(name === 'settings' && r.key === 'secret_key_check'))
      .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !(drop[name] ?? []).includes(k))));
    return [name, kept.map((r) => JSON.stringify(r)).sort()];
  }));
}
