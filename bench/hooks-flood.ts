import { spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, spawnServer } from '../test/support/process';

// Issue 14: a flood of large bodies to random /hooks/<token> URLs must not slow the API.
// /healthz latency (p95 of sequential requests) idle, then under the flood; target ratio ≤ 2.
// Unknown URLs are refused in onRequest, before the body is read (connection closed).
const SAMPLES = Number(process.env.BENCH_FLOOD_SAMPLES ?? 400);
const CONNECTIONS = Number(process.env.BENCH_FLOOD_CONNECTIONS ?? 50);
const BODY = JSON.stringify({ junk: 'x'.repeat(512 * 1024) }); // half the 1 MiB body limit

async function healthzP95(url: string) {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    const res = await fetch(`${url}/healthz`);
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)]!, p95: times[Math.floor(times.length * 0.95)]! };
}

async function scenario(name: string, env: Record<string, string>) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-bench-'));
  const port = await freePort();
  const server = await spawnServer({ DATA_DIR: dataDir, COMPANION_DEMO: '0', RATE_LIMIT_PER_MINUTE: '100000000', ...env }, port, { built: true });
  try {
    await healthzP95(server.url); // warm up
    const idle = await healthzP95(server.url);
    // The flood comes from another process, as an attacker's would (and so it does not share this
    // process's event loop with the /healthz client).
    const flooder = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'hooks-flood.ts'), 'flood', server.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let report = '';
    flooder.stdout!.on('data', (c) => { report += String(c); });
    await new Promise((r) => setTimeout(r, 1_500));
    const busy = await healthzP95(server.url);
    const done = new Promise((r) => flooder.once('exit', r));
    flooder.kill('SIGTERM');
    await done;
    const statuses = report.trim() || 'flood report missing';
    return { name, idle, busy, ratio: busy.p95 / idle.p95, statuses };
  } finally {
    server.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The flooding process: POSTs large bodies to random /hooks URLs until SIGTERM, then reports. */
async function flood(url: string) {
  const instance = autocannon({
    url, connections: CONNECTIONS, duration: 600,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY,
      setupRequest: (req: autocannon.Request) => ({ ...req, path: `/hooks/${randomBytes(32).toString('base64url')}` }) }],
  });
  // Counted here, not from autocannon's final result: stopped while the server holds connections
  // open (the tarpit), it could wait for them past any deadline (seen: a flooder hung for 10 min).
  let total = 0;
  let fourxx = 0;
  let errors = 0;
  const events = instance as unknown as EventEmitter;
  events.on('response', (_client: unknown, statusCode: number) => { total++; if (statusCode >= 400 && statusCode < 500) fourxx++; });
  events.on('reqError', () => { total++; errors++; });
  const report = () => {
    process.stdout.write(`${total} flood requests (${fourxx} 4xx, ${errors} socket errors)`, () => process.exit(0));
  };
  process.once('SIGTERM', () => { (instance as unknown as { stop(): void }).stop(); report(); });
  await instance;
  report();
}
if (process.argv[2] === 'flood') await flood(process.argv[3]!);

export async function benchHooksFlood(): Promise<string> {
  const rows = [
    await scenario('unknown-URL limit per address on (default)', {}),
    await scenario('limit off: every delivery looked up', { WEBHOOK_UNKNOWN_PER_MINUTE: '100000000' }),
  ];
  const ms = (n: number) => n.toFixed(2);
  return [
    `### /healthz under a flood of 512 KiB bodies to random /hooks URLs (${CONNECTIONS} connections, ${SAMPLES} sequential /healthz samples)`,
    '',
    '| scenario | idle p50 / p95 ms | flood p50 / p95 ms | p95 ratio (target ≤ 2) | flood |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${ms(r.idle.p50)} / ${ms(r.idle.p95)} | ${ms(r.busy.p50)} / ${ms(r.busy.p95)} | **${r.ratio.toFixed(2)}** | ${r.statuses} |`),
    '',
  ].join('\n');
}
