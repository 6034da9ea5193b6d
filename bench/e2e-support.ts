import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/support/process';

// Pieces of the end-to-end runs benchmark (e2e-runs.ts): load generation, bare Fastify, sizes.

export const phone = (i: number) => `+1415556${String(i).padStart(4, '0')}`;

export interface SendResult {
  /** Requests answered 202, with the run ids they acknowledged. */
  accepted: number;
  runIds: string[];
  non202: number;
  errors: number;
  seconds: number;
  rps: number;
}

/**
 * Sends `total` JSON POSTs to `url` as fast as they are accepted (autocannon, `connections` at
 * once, loopback); bodies go round robin over `contacts` phones, each with its own order id.
 * With `collect`, every 202's run ids are kept (to check each became exactly one completed run).
 */
export async function send(url: string, total: number, contacts: number, connections: number, collect: boolean): Promise<SendResult> {
  let n = 0;
  const runIds: string[] = [];
  let accepted = 0;
  let non202 = 0;
  const started = performance.now();
  // The clock stops at the last answer: autocannon itself notices `amount` only at its next
  // 1-second tick, which would round every rate down to N / whole seconds.
  let last = started;
  const result = await autocannon({
    url, method: 'POST', connections, amount: total, headers: { 'content-type': 'application/json' },
    requests: [{
      setupRequest: (req: autocannon.Request) => {
        const i = n++;
        return { ...req, body: JSON.stringify({ phone: phone(i % contacts), order: { id: `A-${i}` } }) };
      },
      onResponse: (status: number, body: string) => {
        last = performance.now();
        if (status !== 202) { non202++; return; }
        accepted++;
        if (collect) for (const id of (JSON.parse(body) as { runIds: string[] }).runIds) runIds.push(id);
      },
    }],
  });
  const seconds = (last - started) / 1000;
  return { accepted, runIds, non202, errors: result.errors + result.timeouts, seconds, rps: result.requests.total / seconds };
}

/** Bare Fastify (bench/bare-fastify.ts) under the same load: the ceiling every ratio is taken against. */
export async function bare(total: number, contacts: number, connections: number): Promise<number> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'bare-fastify.ts')], {
    env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((r) => child.stdout!.once('data', r));
  try {
    return (await send(`http://127.0.0.1:${port}/hooks/x`, total, contacts, connections, false)).rps;
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

export async function fileSize(file: string): Promise<number> {
  return (await stat(file).catch(() => ({ size: 0 }))).size;
}

/** CPU time (user + system, µs) of a process and its children still alive, from /proc (clock ticks of 10 ms). */
export async function procCpuUs(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10_000;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
