import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { freePort, spawnServer } from '../test/support/process';

// Webhook ingest with durable acknowledgement vs a bare Fastify route on the same machine,
// in one run. Each /hooks request stores the event and its run (SQLite, WAL) before the 202.
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
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

async function durable(workers: '0' | '1') {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-bench-'));
  const port = await freePort();
  const server = await spawnServer({ COMPANION_WORKERS: workers, DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, RATE_LIMIT_PER_MINUTE: '100000000', WEBHOOK_RATE_LIMIT_PER_MINUTE: '100000000',
    // e.g. BENCH_SERVER_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles only the companion.
    ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}) }, port);
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

export async function benchWebhooks(): Promise<string> {
  const barePort = await freePort();
  const bare = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'bare-fastify.ts')], { env: { ...process.env, PORT: String(barePort) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => bare.stdout!.once('data', r));
  const bareResult = await load(`http://127.0.0.1:${barePort}/hooks/x`, bare.pid!);
  bare.kill('SIGKILL');

  const modes = (process.env.BENCH_WORKERS ? [process.env.BENCH_WORKERS] : ['1', '0']) as ('0' | '1')[];
  const durables: { workers: '0' | '1'; result: Awaited<ReturnType<typeof load>>; rss: number }[] = [];
  for (const workers of modes) durables.push({ workers, ...(await durable(workers)) });

  const row = (name: string, r: Awaited<ReturnType<typeof load>>) =>
    `| ${name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${r.cpuUs.toFixed(0)} |`;
  return [
    `### Webhook ingest (${DURATION} s, ${CONNECTIONS} connections, autocannon on loopback, ${CONTACTS === 1 ? 'one contact' : `${CONTACTS} contacts`})`,
    '',
    '| endpoint | req/s | p50 ms | p99 ms | non-2xx | errors | server CPU µs/req |',
    '|---|---|---|---|---|---|---|',
    row('bare Fastify 202', bareResult),
    ...durables.map((d) => row(`/hooks/:token (durable 202, SQLite, run executor ${d.workers === '0' ? 'off: ingest-only instance' : 'on'})`, d.result)),
    '',
    ...durables.map((d) => `Executor ${d.workers === '0' ? 'off' : 'on'}: ratio durable / bare **${(d.result.rps / bareResult.rps).toFixed(2)}** (target ≥ 0.50), CPU per request bare / durable ${(bareResult.cpuUs / d.result.cpuUs).toFixed(2)}, companion peak RSS ${d.rss} MiB.`),
    // The load generator shares the machine: req/s moves with whatever else runs, CPU per request much less.
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await benchWebhooks();
  console.log(out);
  await writeFile(path.join('bench', 'results', 'webhooks.md'), out);
}
