import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { freePort, spawnServer } from '../test/support/process';

// Webhook ingest with durable acknowledgement vs a bare Fastify route on the same machine,
// in one run. Each /hooks request stores the event and its run (SQLite, WAL) before the 202.
const DURATION = Number(process.env.BENCH_SECONDS ?? 6);
// 100 connections, as Fastify's own benchmarks load a server (`autocannon -c 100`, without their
// pipelining: webhook senders do not pipeline). BENCH_CONNECTIONS=n to try another load.
const CONNECTIONS = Math.max(1, Number(process.env.BENCH_CONNECTIONS ?? 100));
const ADMIN = 'ict_bench-admin-token-0000000000000000000000000';
// BENCH_CONTACTS=n spreads the deliveries over n contacts (round robin). With one contact (the
// default) every run waits for the previous one of that contact, and the executor's claim walks
// that whole backlog: the executor-on row then measures mostly that walk.
const CONTACTS = Math.max(1, Number(process.env.BENCH_CONTACTS ?? 1));
const phone = (i: number) => `+1415555${String(123 + i).padStart(4, '0')}`;
const bodies = Array.from({ length: CONTACTS }, (_, i) => JSON.stringify({ phone: phone(i), order: { id: 'A-1' } }));

/** CPU time (user + system, ms) the process has used: per request it does not depend on how busy the machine is. */
async function cpuMs(pid: number) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10; // clock ticks of 10 ms
}

async function load(url: string, pid: number) {
  const cpuBefore = await cpuMs(pid);
  let next = 0;
  const result = await autocannon({
    url, method: 'POST', connections: CONNECTIONS, duration: DURATION, headers: { 'content-type': 'application/json' }, body: bodies[0],
    ...(bodies.length > 1 ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: bodies[next++ % bodies.length]! }) }] } : {}),
  });
  const cpuUs = result.requests.total > 0 ? ((await cpuMs(pid)) - cpuBefore) * 1000 / result.requests.total : NaN;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, cpuUs };
}

async function peakRss(pid: number) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** '0': an ingest-only instance; '1': runs executed on the event loop that acknowledges; 'thread': on a thread of their own. */
type Mode = '0' | '1' | 'thread';

async function durable(mode: Mode) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-bench-'));
  const port = await freePort();
  const server = await spawnServer({ COMPANION_WORKERS: mode === '0' ? '0' : '1', COMPANION_EXECUTOR_THREAD: mode === 'thread' ? '1' : '0', DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, RATE_LIMIT_PER_MINUTE: '100000000', WEBHOOK_RATE_LIMIT_PER_MINUTE: '100000000',
    // e.g. BENCH_SERVER_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles only the companion.
    ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}) }, port, { built: true });
  const api = async (method: string, p: string, b?: unknown) => {
    const res = await fetch(server.url + p, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: b === undefined ? undefined : JSON.stringify(b) });
    return res.json() as Promise<any>;
  };
  for (let i = 0; i < CONTACTS; i++) await api('POST', '/api/v1/contacts', { firstName: 'Bench', phone: phone(i) });
  const wf = await api('POST', '/api/v1/workflows', {
    name: 'bench', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }] },
    steps: [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['shipped'] } }],
  });
  await api('POST', `/api/v1/workflows/${wf.id}/publish`);
  const hooksResult = await load(`${server.url}${new URL(wf.trigger.url).pathname}`, server.child.pid!);
  const rss = await peakRss(server.child.pid!);
  // A profiled server writes its profile on a graceful exit only.
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill(process.env.BENCH_SERVER_NODE_OPTIONS ? 'SIGTERM' : 'SIGKILL');
  await exited;
  if (process.env.BENCH_SHOW_OUTPUT) process.stderr.write(server.output());
  await rm(dataDir, { recursive: true, force: true });

  return { result: hooksResult, rss };
}

/** A reference Fastify server from bench/ (bare-fastify.ts, durable-floor.ts) under the same load. */
async function reference(file: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', file)], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => child.stdout!.once('data', r));
  const result = await load(`http://127.0.0.1:${port}/hooks/x`, child.pid!);
  child.kill('SIGKILL');
  return result;
}

type Load = Awaited<ReturnType<typeof load>>;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]!; };
/** The round whose ratio is the median one: its row is reported as measured, not averaged. */
const medianRound = <T extends { ratio: number }>(rounds: T[]) => { const m = median(rounds.map((r) => r.ratio)); return rounds.find((r) => r.ratio === m)!; };

// The load generator shares the machine with the server, and on a shared VM the speed of the
// machine itself moves from minute to minute: each target is measured as a ratio within a
// round (bare Fastify, then the others right after), over several rounds, and the median reported.
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));

export async function benchWebhooks(): Promise<string> {
  const modes = (process.env.BENCH_WORKERS ? [process.env.BENCH_WORKERS] : ['0', '1', 'thread']) as Mode[];
  const rows: { name: string; rounds: { result: Load; ratio: number; rss?: number; spread?: number }[] }[] = [
    { name: 'bare Fastify 202 (no storage; mean of the runs before and after the others)', rounds: [] },
    { name: 'durable floor: Fastify + SQLite insert of event and run only (reference)', rounds: [] },
    ...modes.map((w) => ({ name: `/hooks/:token (durable 202, SQLite, run executor ${w === '0' ? 'off: ingest-only instance' : w === 'thread' ? 'on its own thread' : 'on'})`, rounds: [] })),
  ];
  for (let round = 0; round < ROUNDS; round++) {
    // Bare Fastify before and after the others: the machine's speed drifts within a round too,
    // and the mean of both is the baseline of everything measured between them.
    const before = await reference('bare-fastify.ts');
    const floor = await reference('durable-floor.ts');
    const durables = [];
    for (const mode of modes) durables.push(await durable(mode));
    const after = await reference('bare-fastify.ts');
    const baseline = (before.rps + after.rps) / 2;
    rows[0]!.rounds.push({ result: { ...before, rps: baseline, cpuUs: (before.cpuUs + after.cpuUs) / 2 }, ratio: 1, spread: after.rps / before.rps });
    rows[1]!.rounds.push({ result: floor, ratio: floor.rps / baseline });
    durables.forEach((d, i) => rows[2 + i]!.rounds.push({ result: d.result, ratio: d.result.rps / baseline, rss: d.rss }));
  }

  const line = (name: string, r: Load, ratio: string, all: string) =>
    `| ${name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${r.cpuUs.toFixed(0)} | ${ratio} | ${all} |`;
  const hooks = rows.slice(2);
  return [
    `### Webhook ingest (${ROUNDS} rounds of ${DURATION} s per server, ${CONNECTIONS} connections, autocannon on loopback, ${CONTACTS === 1 ? 'one contact' : `${CONTACTS} contacts`})`,
    '',
    'Each round loads bare Fastify, the floor and the companion, then bare Fastify again; a ratio is taken against the mean of the two bare runs of its round. Rows show the round with the median ratio; the bare row\'s last column is its second run over its first (how much the machine drifted within each round).',
    '',
    '| endpoint | req/s | p50 ms | p99 ms | non-2xx | errors | server CPU µs/req | ratio to bare (median) | ratios per round |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row, i) => {
      const m = i === 0 ? row.rounds[Math.floor((row.rounds.length - 1) / 2)]! : medianRound(row.rounds);
      const all = i === 0 ? row.rounds.map((r) => `×${(r.spread ?? 1).toFixed(2)}`) : row.rounds.map((r) => r.ratio.toFixed(2));
      return line(row.name, m.result, i === 0 ? '1' : `**${m.ratio.toFixed(2)}**`, all.join(', '));
    }),
    '',
    ...hooks.map((row) => `${row.name}: median ratio **${median(row.rounds.map((r) => r.ratio)).toFixed(2)}** (target ≥ 0.50); companion peak RSS ${Math.max(...row.rounds.map((r) => r.rss ?? 0))} MiB.`),
    `Durable floor (no product logic): median ratio ${median(rows[1]!.rounds.map((r) => r.ratio)).toFixed(2)}: what an event-and-run commit alone leaves of bare Fastify when the load generator shares the machine's ${cpus().length} cores.`,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await benchWebhooks();
  console.log(out);
  await writeFile(path.join('bench', 'results', 'webhooks.md'), out);
}
