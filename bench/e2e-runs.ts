import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { killHard, spawnServer, freePort, type ServerProcess } from '../test/support/process';
import { bare, mib, percentile, send } from './e2e-support';
import { canLimitCpu, limitCpu, openWatch, pin, type Watch } from './e2e-watch';

// Webhook to completed run, from outside: N webhooks are sent to /hooks/:token as fast as they
// are accepted and the clock runs until all N runs have completed. Bare Fastify under the same
// load (before and after) is the yardstick: completed runs/s and the ack rate are ratios of it.
const N_SQLITE = Math.max(100, Number(process.env.BENCH_E2E_RUNS ?? 20_000));
// PostgreSQL scenarios may be shortened on their own (BENCH_E2E_PG_RUNS): on a small shared machine they run for minutes each.
const N_PG = Math.max(100, Number(process.env.BENCH_E2E_PG_RUNS ?? N_SQLITE));
const CONTACTS = Math.max(1, Number(process.env.BENCH_CONTACTS ?? 200));
const CONNECTIONS = Math.max(1, Number(process.env.BENCH_CONNECTIONS ?? 100));
const TIMEOUT_S = Number(process.env.BENCH_E2E_TIMEOUT ?? 900);
/** Webhooks (and runs) of the unmeasured warm-up before each scenario (BENCH_E2E_WARM_UP; 0: none). */
const WARM_UP = Math.max(0, Number(process.env.BENCH_E2E_WARM_UP ?? 2_000) || 0);
/** How long after the last run the WAL is measured "at rest". */
const REST_S = Number(process.env.BENCH_REST_SECONDS ?? 5);
/** Between two looks at how many runs have completed. */
const POLL_MS = 250;
const ADMIN = 'ict_bench-admin-token-0000000000000000000000000';

type StepsShape = 1 | 3;
const STEPS: Record<StepsShape, unknown[]> = {
  1: [{ id: 'field', type: 'update_contact_field', config: { field: 'order_id', value: '{{$trigger.orderId}}' } }],
  3: [
    { id: 'field', type: 'update_contact_field', config: { field: 'order_id', value: '{{$trigger.orderId}}' } },
    { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['shipped'] } },
    { id: 'status', type: 'update_contact_field', config: { field: 'order_status', value: 'shipped {{$trigger.orderId}}' } },
  ],
};

/** An instance takes webhooks and executes runs ('both'), or only one of the two. */
type Role = 'both' | 'ingest' | 'worker';
export interface Scenario {
  name: string; steps: StepsShape; databaseUrl?: string; env?: Record<string, string>;
  /** One entry per instance (default: one that does both). */
  roles?: Role[];
  /** Pin PostgreSQL and the companion processes to separate CPUs (taskset lists, e.g. '1' and '0'). */
  pin?: { db: string; app: string };
  /** Each instance capped at this share of one CPU (a cgroup): the instances, not the database, are what runs short. */
  cpuShare?: number;
  /** Contacts the webhooks go round robin over (default BENCH_CONTACTS, 200); 1: one contact's backlog, strictly in order. */
  contacts?: number;
  /** PostgreSQL: ANALYZE after the warm-up, as BENCH_PG_ANALYZE=1 does for every scenario (e2e-watch.ts, settle). */
  statisticsAtRest?: boolean;
}

export interface E2eResult {
  scenario: Scenario;
  n: number;
  bareRps: number; bareSpread: number;
  ackRps: number; accepted: number; non202: number; errors: number;
  seconds: number; runsPerSecond: number; sustained: number;
  p50: number; p99: number;
  exactlyOnce: string | true;
  statementsPerRun: number | null; transactionsPerRun: number | null; roundTripsPerRun: number | null; cpuUsPerRun: number; dbCpuUsPerRun: number | null;
  walPeak: number; walRest: number; dbSize: number;
}

async function api(server: ServerProcess, method: string, p: string, body?: unknown) {
  const res = await fetch(server.url + p, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json() as any;
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function stats(server: ServerProcess): Promise<{ cpuUs: number; store: { statements: number; transactions: number; roundTrips?: number } | null }> {
  return (await (await fetch(`${server.url}/readyz`)).json() as any).stats;
}

async function setup(server: ServerProcess, steps: StepsShape, contacts: number) {
  await api(server, 'PUT', '/api/v1/fields/order_id', { label: 'Order', type: 'text' });
  await api(server, 'PUT', '/api/v1/fields/order_status', { label: 'Order status', type: 'text' });
  for (let i = 0; i < contacts; i++) await api(server, 'POST', '/api/v1/contacts', { firstName: 'Bench', phone: `+1415556${String(i).padStart(4, '0')}` });
  return { warmUp: await workflow(server, steps, 'warm-up'), measured: await workflow(server, steps, 'measured') };
}

async function workflow(server: ServerProcess, steps: StepsShape, label: string) {
  const wf = await api(server, 'POST', '/api/v1/workflows', {
    name: `bench ${steps} step (${label})`, trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }] },
    steps: STEPS[steps],
  });
  await api(server, 'POST', `/api/v1/workflows/${wf.id}/publish`);
  return { workflowId: wf.id as string, path: new URL(wf.trigger.url).pathname };
}

/** `withBare: false`: no bare Fastify runs around it (a comparison between scenarios, e2e-vs.ts); its bare figures are NaN. */
export async function measureE2e(s: Scenario, { withBare = true }: { withBare?: boolean } = {}): Promise<E2eResult> {
  const N = s.databaseUrl ? N_PG : N_SQLITE;
  const contacts = s.contacts ?? CONTACTS;
  const bareBefore = withBare ? await bare(N, contacts, CONNECTIONS) : NaN;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-e2e-'));
  const servers: ServerProcess[] = [];
  const releases: (() => void)[] = [];
  let watch: Watch | undefined;
  try {
    watch = await openWatch(s.databaseUrl, dataDir);
    const roles = s.roles ?? ['both'];
    for (const role of roles) {
      servers.push(await spawnServer({
        ...(role === 'ingest' ? { COMPANION_WORKERS: '0' } : {}),
        DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, COMPANION_STATS: '1',
        RATE_LIMIT_PER_MINUTE: '100000000', WEBHOOK_RATE_LIMIT_PER_MINUTE: '100000000',
        ...(watch.databaseUrl ? { DATABASE_URL: watch.databaseUrl } : {}),
        ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
        ...s.env,
      }, await freePort(), { built: true }));
    }
    if (s.pin) {
      await watch.pin(s.pin.db);
      for (const srv of servers) pin(srv.child.pid!, s.pin.app);
      pin(process.pid, s.pin.app); // the load generator shares the companions' CPUs
    }
    if (s.cpuShare) for (const srv of servers) { const release = limitCpu(srv.child.pid!, s.cpuShare); if (release) releases.push(release); }
    const { warmUp, measured: { workflowId, path: hookPath } } = await setup(servers[0]!, s.steps, contacts);
    // Webhooks go to the instances that take them ('worker' ones only execute runs).
    const takers = servers.filter((_, i) => roles[i] !== 'worker');
    const spread = (url: (srv: ServerProcess) => string, n: number) => Promise.all(takers.map((srv, i) =>
      send(url(srv), Math.floor(n / takers.length) + (i < n % takers.length ? 1 : 0), contacts, Math.ceil(CONNECTIONS / takers.length), true)));
    // A warm-up on a workflow of its own, not measured: each instance opens its database
    // connections and prepares its statements (on PostgreSQL a backend each, then five planned
    // runs of every statement before its generic plan), and V8 compiles the hot code. Cold, that
    // start cost is paid once per process, yet lands on the first 20,000 runs of a benchmark.
    if (WARM_UP > 0) {
      const warm = await spread((srv) => `${srv.url}${warmUp.path}`, WARM_UP);
      const expected = warm.reduce((a, p) => a + p.runIds.length, 0);
      const until = performance.now() + TIMEOUT_S * 1000;
      while (await watch.completed(warmUp.workflowId) < expected) {
        if (performance.now() > until) throw new Error(`warm-up runs not completed after ${TIMEOUT_S} s`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    }
    await watch.settle?.(s.statisticsAtRest);
    const before = await Promise.all(servers.map(stats));
    const dbBefore = await watch.dbCounters();

    // Instances share the load (as nginx would spread it); each gets its part at once.
    const started = performance.now();
    const startedAt = Date.now();
    const walPeak = watch.sampleWal();
    const parts = await spread((srv) => `${srv.url}${hookPath}`, N);
    const sent = {
      accepted: parts.reduce((a, p) => a + p.accepted, 0), non202: parts.reduce((a, p) => a + p.non202, 0), errors: parts.reduce((a, p) => a + p.errors, 0),
      runIds: parts.flatMap((p) => p.runIds), seconds: Math.max(...parts.map((p) => p.seconds)),
    };
    for (;;) {
      if (await watch.completed(workflowId) >= sent.runIds.length) break;
      if ((performance.now() - started) / 1000 > TIMEOUT_S) throw new Error(`runs not completed after ${TIMEOUT_S} s`);
      // Polling costs the database too (a count over the workflow's runs, ~10 ms of PostgreSQL CPU
      // at 20,000 runs), on the machine being measured. The clock stops at the last run's stored
      // end, not at the poll that sees it, so polling seldom costs the figures nothing.
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const after = await Promise.all(servers.map(stats));
    const dbAfter = await watch.dbCounters();
    const peak = await walPeak.stop();
    const done = sent.runIds.length;
    const statements = before.every((b) => b.store) ? after.reduce((a, x, i) => a + x.store!.statements - before[i]!.store!.statements, 0) : null;
    const transactions = before.every((b) => b.store) ? after.reduce((a, x, i) => a + x.store!.transactions - before[i]!.store!.transactions, 0) : null;
    // PostgreSQL: answers each instance waited for (one statement or several sent together).
    const roundTrips = before.every((b) => b.store?.roundTrips !== undefined) ? after.reduce((a, x, i) => a + x.store!.roundTrips! - before[i]!.store!.roundTrips!, 0) : null;
    const cpuUs = after.reduce((a, x, i) => a + x.cpuUs - before[i]!.cpuUs, 0);

    const runs = await watch.runs(workflowId);
    const exactlyOnce = checkExactlyOnce(sent.runIds, sent.accepted, runs, s.steps, sent.errors);
    const latencies = runs.map((r) => Date.parse(r.ended_at ?? '') - Date.parse(r.created_at)).sort((a, b) => a - b);
    const ends = runs.map((r) => Date.parse(r.ended_at ?? '')).sort((a, b) => a - b);
    // Sustained: the middle 80% of completions, free of the start-up and the last stragglers.
    const lo = ends[Math.floor(ends.length * 0.1)]!;
    const hi = ends[Math.floor(ends.length * 0.9)]!;
    // The clock stops at the last run's end as stored (not when the poll noticed it).
    const seconds = (ends[ends.length - 1]! - startedAt) / 1000;
    const sustained = hi > lo ? (Math.floor(ends.length * 0.9) - Math.floor(ends.length * 0.1)) / ((hi - lo) / 1000) : NaN;

    await new Promise((r) => setTimeout(r, REST_S * 1000));
    const sizes = await watch.sizes();
    const bareAfter = withBare ? await bare(N, contacts, CONNECTIONS) : NaN;
    const bareRps = (bareBefore + bareAfter) / 2;
    return {
      scenario: s, n: N, bareRps, bareSpread: bareAfter / bareBefore,
      ackRps: sent.accepted / sent.seconds, accepted: sent.accepted, non202: sent.non202, errors: sent.errors,
      seconds, runsPerSecond: done / seconds, sustained,
      p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99),
      exactlyOnce,
      statementsPerRun: dbAfter.statements !== null && dbBefore.statements !== null ? (dbAfter.statements - dbBefore.statements) / done : statements === null ? null : statements / done,
      transactionsPerRun: dbAfter.transactions !== null && dbBefore.transactions !== null ? (dbAfter.transactions - dbBefore.transactions) / done : transactions === null ? null : transactions / done,
      roundTripsPerRun: roundTrips === null ? null : roundTrips / done,
      cpuUsPerRun: cpuUs / done,
      dbCpuUsPerRun: dbAfter.cpuUs !== null && dbBefore.cpuUs !== null ? (dbAfter.cpuUs - dbBefore.cpuUs) / done : null,
      walPeak: peak, walRest: sizes.wal, dbSize: sizes.db,
    };
  } finally {
    if (s.pin) pin(process.pid, '0-1023');
    for (const srv of servers) {
      if (process.env.BENCH_SHOW_OUTPUT) process.stderr.write(srv.output());
      // A profiled server (--cpu-prof) writes its profile on a graceful exit only.
      if (process.env.BENCH_SERVER_NODE_OPTIONS && srv.child.exitCode === null) {
        const exited = new Promise((r) => srv.child.once('exit', r));
        srv.child.kill('SIGTERM');
        await exited;
      } else await killHard(srv);
    }
    for (const release of releases) release();
    await watch?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Every 202's run ids: each exactly one run, completed, each step logged once; and no other runs. */
function checkExactlyOnce(acked: string[], accepted: number, runs: { id: string; status: string; step_log: string }[], steps: number, clientErrors: number): string | true {
  if (acked.length !== accepted) return `${accepted} answers 202 but ${acked.length} run ids`;
  if (new Set(acked).size !== acked.length) return 'a run id was acknowledged twice';
  const byId = new Map(runs.map((r) => [r.id, r]));
  // A request the load generator gave up on (its timeout) may still have been stored: such a
  // run exists without a 202 seen. More runs than that is a run nobody asked for.
  if (runs.length < acked.length || runs.length > acked.length + clientErrors) return `${acked.length} runs acknowledged (+${clientErrors} client timeouts/errors), ${runs.length} exist`;
  for (const id of acked) {
    const run = byId.get(id);
    if (!run) return `run ${id} acknowledged but not stored`;
    if (run.status !== 'completed') return `run ${id} is ${run.status}`;
    const log = JSON.parse(run.step_log) as { stepId: string; status: string }[];
    const executed = log.filter((e) => e.stepId !== 'trigger');
    if (executed.length !== steps || new Set(executed.map((e) => e.stepId)).size !== steps) return `run ${id} logged ${executed.length} steps (expected each of ${steps} once)`;
  }
  return true;
}

const fmt = (n: number | null, digits = 0) => (n === null || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));

export function e2eTable(results: E2eResult[]): string {
  return [
    `### End-to-end runs: N webhooks → N completed runs (${CONTACTS} contacts unless the scenario says one, ${CONNECTIONS} connections, autocannon on loopback)`,
    '',
    'The clock starts with the first webhook and stops when the last run has completed. Bare Fastify takes the same N requests before and after each scenario; ratios are against the mean of both.',
    '',
    '| scenario | N | bare req/s (after/before) | ack req/s (ratio) | completed runs/s (ratio) | sustained runs/s (ratio) | p50 / p99 webhook→done ms | exactly once | statements / tx / round trips per run | server CPU µs/run | DB CPU µs/run | WAL peak / at rest | DB size per 100k runs |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.scenario.name} | ${r.n} | ${fmt(r.bareRps)} (×${r.bareSpread.toFixed(2)}) | ${fmt(r.ackRps)} (**${(r.ackRps / r.bareRps).toFixed(2)}**) | ${fmt(r.runsPerSecond)} (**${(r.runsPerSecond / r.bareRps).toFixed(3)}**) | ${fmt(r.sustained)} (${(r.sustained / r.bareRps).toFixed(3)}) | ${fmt(r.p50)} / ${fmt(r.p99)} | ${r.exactlyOnce === true ? `yes (${r.accepted} of ${r.accepted + r.non202 + r.errors} answered 202${r.errors ? `; ${r.errors} client timeouts` : ''})` : `**NO: ${r.exactlyOnce}**`} | ${fmt(r.statementsPerRun, 1)} / ${fmt(r.transactionsPerRun, 2)} / ${fmt(r.roundTripsPerRun, 2)} | ${fmt(r.cpuUsPerRun)} | ${fmt(r.dbCpuUsPerRun)} | ${r.scenario.databaseUrl ? 'n/a' : `${mib(r.walPeak)} / ${mib(r.walRest)}`} | ${r.scenario.databaseUrl ? 'n/a' : mib(r.dbSize * 100_000 / r.accepted)} |`),
    '',
  ].join('\n');
}

/** The CPU share each instance gets in the capped scenarios. */
const SHARE = 0.25;

export function e2eScenarios(): Scenario[] {
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  const only = process.env.BENCH_E2E_ONLY?.split('|');
  const all: Scenario[] = [
    { name: 'SQLite, 1 step', steps: 1 },
    { name: 'SQLite, 3 steps', steps: 3 },
    { name: 'SQLite, 1 step, one contact', steps: 1, contacts: 1 },
    // Runs executed on a thread of their own (its own connection to the file), requests on the main one.
    { name: 'SQLite, executor thread, 1 step', steps: 1, env: { COMPANION_EXECUTOR_THREAD: '1' } },
    { name: 'SQLite, executor thread, 3 steps', steps: 3, env: { COMPANION_EXECUTOR_THREAD: '1' } },
    ...(url ? ([
      { name: 'PostgreSQL, 1 instance, 1 step', steps: 1, databaseUrl: url },
      { name: 'PostgreSQL, 1 instance, 3 steps', steps: 3, databaseUrl: url },
      { name: 'PostgreSQL, 1 instance, 1 step, one contact', steps: 1, contacts: 1, databaseUrl: url },
      // A long-running database meets a burst with statistics autovacuum took while every run had
      // ended; a fresh one has none until after the burst (bench/RESULTS.md, thirty-ninth session).
      { name: 'PostgreSQL, 1 instance, 1 step, one contact, statistics taken at rest', steps: 1, contacts: 1, databaseUrl: url, statisticsAtRest: true },
      { name: 'PostgreSQL, 2 instances, 1 step, one contact', steps: 1, contacts: 1, databaseUrl: url, roles: ['both', 'both'] },
      { name: 'PostgreSQL, 2 instances, 3 steps', steps: 3, databaseUrl: url, roles: ['both', 'both'] },
      { name: 'PostgreSQL, ingest-only + worker instance, 3 steps', steps: 3, databaseUrl: url, roles: ['ingest', 'worker'] },
      { name: 'PostgreSQL pinned to CPU 1, 1 instance on CPU 0, 3 steps', steps: 3, databaseUrl: url, pin: { db: '1', app: '0' } },
      { name: 'PostgreSQL pinned to CPU 1, 2 instances on CPU 0, 3 steps', steps: 3, databaseUrl: url, roles: ['both', 'both'], pin: { db: '1', app: '0' } },
      // The database with CPU to spare, the instances short of it: does a second instance add runs/s?
      ...(canLimitCpu() ? [
        { name: `PostgreSQL pinned to CPU 1, 1 instance on CPU 0 capped at ${SHARE * 100}% of a CPU, 3 steps`, steps: 3, databaseUrl: url, pin: { db: '1', app: '0' }, cpuShare: SHARE },
        { name: `PostgreSQL pinned to CPU 1, 2 instances on CPU 0 capped at ${SHARE * 100}% of a CPU each, 3 steps`, steps: 3, databaseUrl: url, roles: ['both', 'both'], pin: { db: '1', app: '0' }, cpuShare: SHARE },
      ] satisfies Scenario[] : []),
    ] satisfies Scenario[]) : []),
  ];
  // A name ending in `$` must match whole ("SQLite, 1 step$" leaves out "SQLite, 1 step, one contact").
  const matches = (name: string, o: string) => (o.endsWith('$') ? name.toLowerCase() === o.slice(0, -1).toLowerCase() : name.toLowerCase().includes(o.toLowerCase()));
  return only ? all.filter((s) => only.some((o) => matches(s.name, o))) : all;
}

export async function benchE2eRuns(): Promise<string> {
  const results: E2eResult[] = [];
  for (const s of e2eScenarios()) {
    process.stdout.write(`  e2e: ${s.name}…\n`);
    results.push(await measureE2e(s));
  }
  return e2eTable(results);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const table = await benchE2eRuns();
  process.stdout.write(`${table}\n`);
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/e2e-runs.md', `${table}\n_Measured ${new Date().toISOString()}._\n`);
}
