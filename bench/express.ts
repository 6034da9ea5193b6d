import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, spawnServer, type ServerProcess } from '../test/support/process';
import { phone, send } from './e2e-support';
import { openWatch } from './e2e-watch';

// What an agent feels during a webhook burst: a shortcut launched every 250 ms while N webhooks
// (a 3-step workflow over 200 contacts) are acknowledged and worked through. By the queue's order
// a launch waits for every run queued before it; the express lane runs it at once. Both are
// reported from the same burst: the webhook runs' wait (created → ended) beside the shortcuts'.

const ADMIN = 'bench-express-admin-token-0123456789abcdef';
const N = Math.max(1_000, Number(process.env.BENCH_EXPRESS_RUNS ?? 20_000));
const CONTACTS = 200;
const EVERY_MS = 250;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

async function api(server: ServerProcess, method: string, p: string, body?: unknown) {
  const res = await fetch(`${server.url}/api/v1${p}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json() as any;
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

interface ExpressResult { store: string; ackSeconds: number; drainSeconds: number; webhook: number[]; shortcut: number[] }

async function measure(store: string, databaseUrl: string | undefined): Promise<ExpressResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-express-'));
  const watch = await openWatch(databaseUrl, dataDir);
  const server = await spawnServer({
    DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, RATE_LIMIT_PER_MINUTE: '100000000', WEBHOOK_RATE_LIMIT_PER_MINUTE: '100000000',
    ...(watch.databaseUrl ? { DATABASE_URL: watch.databaseUrl } : {}),
  }, await freePort(), { built: true });
  try {
    await api(server, 'PUT', '/fields/order_id', { label: 'Order', type: 'text' });
    for (let i = 0; i < CONTACTS; i++) await api(server, 'POST', '/contacts', { firstName: 'Bench', phone: phone(i) });
    const agentSide = await api(server, 'POST', '/contacts', { firstName: 'Agent side', phone: '+14155559999' });
    const conversation = await api(server, 'POST', '/conversations', { contactId: agentSide.id });
    const hook = await api(server, 'POST', '/workflows', {
      name: 'Order shipped', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }] },
      steps: [
        { id: 'field', type: 'update_contact_field', config: { field: 'order_id', value: '{{$trigger.orderId}}' } },
        { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['shipped'] } },
        { id: 'again', type: 'update_contact_field', config: { field: 'order_id', value: 'shipped {{$trigger.orderId}}' } },
      ],
    });
    await api(server, 'POST', `/workflows/${hook.id}/publish`);
    const shortcut = await api(server, 'POST', '/workflows', { name: 'VIP', trigger: { type: 'shortcut', name: 'VIP' }, steps: [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } }] });
    await api(server, 'POST', `/workflows/${shortcut.id}/publish`);
    const url = `${server.url}${new URL(hook.trigger.url).pathname}`;
    // Warm-up (connections, prepared statements, compiled code), then a quiet moment.
    await send(url, 2_000, CONTACTS, 100, false);
    while (await watch.completed(hook.id) < 2_000) await new Promise((r) => setTimeout(r, 100));

    const launched: { at: number; runId: string }[] = [];
    let stop = false;
    const launcher = (async () => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, EVERY_MS));
        const at = Date.now();
        const { runId } = await api(server, 'POST', `/shortcuts/${shortcut.id}/launch`, { conversationId: conversation.id, values: {} });
        launched.push({ at, runId });
      }
    })();
    const started = Date.now();
    // Until the last answer (autocannon itself resolves at its next whole-second tick).
    const ackSeconds = (await send(url, N, CONTACTS, 100, false)).seconds;
    while (await watch.completed(hook.id) < N + 2_000) await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await launcher;
    while (await watch.completed(shortcut.id) < launched.length) await new Promise((r) => setTimeout(r, 50));
    const hookRuns = (await watch.runs(hook.id)).filter((r) => Date.parse(r.created_at) >= started);
    const drainSeconds = (Math.max(...hookRuns.map((r) => Date.parse(r.ended_at!))) - started) / 1000;
    const ends = new Map((await watch.runs(shortcut.id)).map((r) => [r.id, Date.parse(r.ended_at!)]));
    return {
      store, ackSeconds, drainSeconds,
      webhook: hookRuns.map((r) => Date.parse(r.ended_at!) - Date.parse(r.created_at)).sort((a, b) => a - b),
      // From the agent's click (the launch request sent) to the run's end.
      shortcut: launched.map((l) => ends.get(l.runId)! - l.at).sort((a, b) => a - b),
    };
  } finally {
    server.child.kill('SIGKILL');
    await watch.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function benchExpress(): Promise<string> {
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  const results = [await measure('SQLite', undefined), ...(url ? [await measure('PostgreSQL, 1 instance', url)] : [])];
  const ms = (xs: number[]) => `${percentile(xs, 0.5).toFixed(0)} / ${percentile(xs, 0.95).toFixed(0)} / ${xs[xs.length - 1]!.toFixed(0)}`;
  return [
    `### Runs someone waits on during a burst (${N.toLocaleString('en')} webhooks, 3-step workflow over ${CONTACTS} contacts; a shortcut launched every ${EVERY_MS} ms meanwhile)`,
    '',
    'Webhook runs wait their turn in the queue; a shortcut\'s run (and a Click-to-Chat ad\'s) is claimed and executed at once (the express lane), still after any unfinished run of its own workflow and contact. Times from the request to the run\'s end.',
    '',
    '| store | burst acknowledged in s | last webhook run done at s | webhook runs: created → done p50 / p95 / max ms | shortcuts launched | shortcut: launch → done p50 / p95 / max ms |',
    '|---|---:|---:|---|---:|---|',
    ...results.map((r) => `| ${r.store} | ${r.ackSeconds.toFixed(1)} | ${r.drainSeconds.toFixed(1)} | ${ms(r.webhook)} | ${r.shortcut.length} | **${ms(r.shortcut)}** |`),
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${await benchExpress()}\n`);
}
