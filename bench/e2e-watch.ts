import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { fileSize, procCpuUs } from './e2e-support';

// The end-to-end benchmark's view of the database the servers write: completed runs, the runs
// themselves, cost counters (PostgreSQL: pg_stat_*; CPU of the server's backends) and, for SQLite,
// file sizes. SQLite is read from a separate read-only connection (WAL lets it read alongside).

interface RunRow { id: string; status: string; step_log: string; created_at: string; ended_at: string | null }
export interface DbCounters { statements: number | null; transactions: number | null; cpuUs: number | null }

export interface Watch {
  /** PostgreSQL: a fresh database for this scenario, to hand to the servers. */
  databaseUrl?: string;
  completed(workflowId: string): Promise<number>;
  runs(workflowId: string): Promise<RunRow[]>;
  dbCounters(): Promise<DbCounters>;
  /** Samples the WAL file size every 100 ms until stop(), which gives the largest seen. */
  sampleWal(): { stop(): Promise<number> };
  sizes(): Promise<{ db: number; wal: number }>;
  /** PostgreSQL: pins the postmaster and its live children (backends fork from it, inheriting it) to `cpus`. */
  pin(cpus: string): Promise<void>;
  /**
   * PostgreSQL, `atRest` (default: BENCH_PG_ANALYZE=1): ANALYZE after the warm-up, every run ended, as autovacuum
   * leaves a database that was idle before a burst. A fresh database has no statistics during
   * the burst (its first autoanalyze comes after it), so without this the plans measured are
   * not the ones a long-running instance gets.
   */
  settle?(atRest?: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function openWatch(adminUrl: string | undefined, dataDir: string): Promise<Watch> {
  return adminUrl ? openPgWatch(adminUrl) : openSqliteWatch(path.join(dataDir, 'companion.sqlite'));
}

function openSqliteWatch(file: string): Watch {
  let db: DatabaseSync | undefined;
  const conn = () => (db ??= new DatabaseSync(file, { readOnly: true }));
  return {
    async completed(workflowId) {
      const row = conn().prepare("SELECT count(*) AS n FROM runs WHERE workflow_id = ? AND status = 'completed'").get(workflowId) as { n: number };
      return Number(row.n);
    },
    async runs(workflowId) {
      return conn().prepare('SELECT id, status, step_log, created_at, ended_at FROM runs WHERE workflow_id = ?').all(workflowId) as unknown as RunRow[];
    },
    async dbCounters() { return { statements: null, transactions: null, cpuUs: null }; },
    sampleWal() {
      let peak = 0;
      let stopped = false;
      const loop = (async () => {
        while (!stopped) {
          peak = Math.max(peak, await fileSize(`${file}-wal`));
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      return { async stop() { stopped = true; await loop; return peak; } };
    },
    async sizes() {
      // Let go of our read snapshot first: an open reader can keep a checkpoint from finishing.
      db?.close();
      db = undefined;
      return { db: await fileSize(file), wal: await fileSize(`${file}-wal`) };
    },
    async pin() {},
    async close() { db?.close(); },
  };
}

async function openPgWatch(adminUrl: string): Promise<Watch> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  // BENCH_PG_SETTINGS="key=value;…": settings of this database alone, to look inside a run, e.g.
  // "session_preload_libraries=auto_explain;auto_explain.log_min_duration=0;auto_explain.log_analyze=on;
  // auto_explain.log_timing=off;auto_explain.log_buffers=on;auto_explain.log_wal=on" logs each
  // statement's plan as the burst met it (statistics change under it, so afterwards is too late);
  // "pg_stat_statements.track_planning=on" counts each statement's plans (BENCH_PG_KEEP=1 to read them).
  for (const setting of (process.env.BENCH_PG_SETTINGS ?? '').split(';').filter((s) => s.includes('='))) {
    const at = setting.indexOf('=');
    const key = setting.slice(0, at).trim();
    if (!/^[a-z_][a-z0-9_.]*$/i.test(key)) throw new Error(`BENCH_PG_SETTINGS: "${key}" is not a setting's name`);
    await admin.query(`ALTER DATABASE ${name} SET ${key} = ${pg.escapeLiteral(setting.slice(at + 1).trim())}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const hasStatements = await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').then(
    () => client.query('SELECT 1 FROM pg_stat_statements LIMIT 1').then(() => true), () => false);
  // The postmaster: its children are the backends serving the instances (and this watcher).
  const me = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  const postmaster = await parentOf(me);
  return {
    databaseUrl: url.toString(),
    async completed(workflowId) {
      const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM runs WHERE workflow_id = $1 AND status = 'completed'", [workflowId]);
      return Number(rows[0]!.n);
    },
    async runs(workflowId) {
      const { rows } = await client.query<RunRow>('SELECT id, status, step_log, created_at, ended_at FROM runs WHERE workflow_id = $1', [workflowId]);
      return rows;
    },
    async dbCounters() {
      // Statistics reach the shared counters within a second of a backend going idle.
      await new Promise((r) => setTimeout(r, 1_500));
      const tx = await client.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
      const st = hasStatements
        ? await client.query<{ n: string }>('SELECT coalesce(sum(calls), 0) AS n FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())')
        : undefined;
      return { transactions: Number(tx.rows[0]!.n), statements: st ? Number(st.rows[0]!.n) : null, cpuUs: postmaster ? await childrenCpuUs(postmaster, me) : null };
    },
    sampleWal() { return { stop: async () => 0 }; },
    async sizes() { return { db: 0, wal: 0 }; },
    async pin(cpus) {
      if (!postmaster) return;
      pin(postmaster, cpus);
      for (const child of await childrenOf(postmaster)) pin(child, cpus);
    },
    async settle(atRest = process.env.BENCH_PG_ANALYZE === '1') {
      if (atRest) await client.query('ANALYZE');
    },
    async close() {
      await client.end();
      // BENCH_PG_KEEP=1 leaves the database behind, to read its pg_stat_* views after the run.
      if (process.env.BENCH_PG_KEEP) process.stderr.write(`kept database ${name}\n`);
      else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
    },
  };
}

/** Pins every thread of `pid` to the CPU list `cpus` (taskset; absent taskset: a warning, no pinning). */
export function pin(pid: number, cpus: string) {
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
  if (r.status !== 0) process.stderr.write(`taskset could not pin ${pid} to ${cpus}\n`);
}

/**
 * Caps every thread of `pid` at `share` of one CPU (a cgroup of its own: v2 cpu.max, else v1
 * cfs_quota). Returns the release (moves nothing back: call it once the process has exited), or
 * undefined where no writable cpu controller exists (then nothing is capped).
 */
export function limitCpu(pid: number, share: number): (() => void) | undefined {
  // A short period: a process stopped for the rest of a long one would hold its row locks meanwhile.
  const period = 10_000;
  const quota = Math.max(1_000, Math.round(share * period));
  const tries: { root: string; write: (dir: string) => void }[] = [
    { root: '/sys/fs/cgroup', write: (dir) => writeFileSync(path.join(dir, 'cpu.max'), `${quota} ${period}`) },
    { root: '/sys/fs/cgroup/cpu', write: (dir) => { writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(period)); writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(quota)); } },
  ];
  for (const t of tries) {
    const dir = path.join(t.root, `companion-bench-${pid}`);
    try {
      if (t.root === '/sys/fs/cgroup' && !existsSync(path.join(t.root, 'cgroup.controllers'))) continue;
      mkdirSync(dir, { recursive: true });
      t.write(dir);
      writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
      return () => { try { rmdirSync(dir); } catch { /* still busy: left for the next boot */ } };
    } catch {
      try { rmdirSync(dir); } catch { /* not made */ }
    }
  }
  process.stderr.write(`no writable cpu cgroup: ${pid} is not capped\n`);
  return undefined;
}

/** Whether limitCpu can cap a process here (tried on this process's own cgroup root, nothing moved). */
export function canLimitCpu(): boolean {
  for (const root of ['/sys/fs/cgroup', '/sys/fs/cgroup/cpu']) {
    const dir = path.join(root, `companion-bench-probe-${process.pid}`);
    try {
      if (root === '/sys/fs/cgroup' && !existsSync(path.join(root, 'cgroup.controllers'))) continue;
      mkdirSync(dir);
      const ok = existsSync(path.join(dir, 'cpu.max')) || existsSync(path.join(dir, 'cpu.cfs_quota_us'));
      rmdirSync(dir);
      if (ok) return true;
    } catch { /* not here */ }
  }
  return false;
}

async function childrenOf(parent: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (/^\d+$/.test(entry) && (await parentOf(Number(entry))) === parent) out.push(Number(entry));
  }
  return out;
}

async function parentOf(pid: number): Promise<number | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isFinite(ppid) && ppid > 1 ? ppid : undefined;
}

/**
 * CPU of every live child of the postmaster (backends, checkpointer, WAL writer) and itself, but
 * `watcher`: the benchmark's own backend, whose completion polls (a count over the workflow's
 * runs, ~20 ms each on 20,000 runs) measured ~15-20 µs per run that no instance spent.
 */
async function childrenCpuUs(postmaster: number, watcher: number): Promise<number> {
  let total = await procCpuUs(postmaster);
  for (const child of await childrenOf(postmaster)) if (child !== watcher) total += await procCpuUs(child);
  return total;
}
