import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { newId, nowIso } from '../server/ids';
import { startServer, type RunningServer } from '../server/server';
import { openStore, toJson, type Store } from '../server/store/database';
import type { RunsTable } from '../server/store/schema';
import { insertContact, insertWorkflow, makeWorkflow } from '../test/support/builders';

// Three-step runs completed per second: queued runs are inserted in one go, the engine is woken,
// and the clock stops when the last run has completed. Steps: two comments and a tag change.
const RUNS = Number(process.env.BENCH_RUNS ?? 20_000);
const CONTACTS = 200;

interface Scenario { name: string; instances: number; open: () => Promise<Store>; cleanup: () => Promise<void> }

async function measure(s: Scenario): Promise<{ name: string; runs: number; seconds: number; perSecond: number }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-bench-runs-'));
  const servers: RunningServer[] = [];
  try {
    for (let i = 0; i < s.instances; i++) {
      servers.push(await startServer({ env: { COMPANION_DEMO: '0' }, config: { port: 0, dataDir }, logger: false, listen: false, store: await s.open() }));
    }
    const services = servers[0]!.app.services;
    const contacts: string[] = [];
    for (let i = 0; i < CONTACTS; i++) contacts.push((await insertContact(services, { firstName: `B${i}` })).contact.id);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'a', type: 'add_comment', config: { text: 'run {{$trigger.n}} a' } },
      { id: 'b', type: 'update_contact_tag', config: { action: 'add', tags: ['bench'] } },
      { id: 'c', type: 'add_comment', config: { text: 'run {{$trigger.n}} c' } },
    ] }));
    const now = nowIso();
    const rows: RunsTable[] = Array.from({ length: RUNS }, (_, n) => ({
      id: newId('run'), workflow_id: wf.id, workflow_version: 1, contact_id: contacts[n % CONTACTS]!, conversation_id: null,
      event_id: newId('evt'), event_type: 'bench', variables: toJson({ trigger: { n } }), status: 'queued', cursor: 0, step_log: '[]',
      wake_at: null, attempts: 0, jumps: 0, depth: 0, lease_owner: null, lease_until: null, error: null, created_at: now, updated_at: now, ended_at: null, blocked: 0,
    }));
    for (let i = 0; i < rows.length; i += 500) await services.db.insertInto('runs').values(rows.slice(i, i + 500)).execute();
    // The clock stops at the last run's stored end (ended_at, this process's clock), not at the
    // poll that sees it: polls are few, since counting 20,000 runs every 25 ms took ~7 ms of
    // PostgreSQL's time each, taken from the runs being measured.
    const started = Date.now();
    for (const server of servers) server.app.services.runSignal.notify();
    for (;;) {
      const { n } = await services.db.selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'completed').executeTakeFirstOrThrow();
      if (Number(n) >= RUNS) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const { last } = await services.db.selectFrom('runs').select((eb) => eb.fn.max('ended_at').as('last')).executeTakeFirstOrThrow();
    const seconds = (Date.parse(String(last)) - started) / 1000;
    return { name: s.name, runs: RUNS, seconds, perSecond: RUNS / seconds };
  } finally {
    for (const server of servers) { await server.close(); await server.store.close(); }
    await s.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function sqliteScenario(): Scenario {
  let dir = '';
  return {
    name: 'SQLite (file, WAL), 1 instance', instances: 1,
    open: async () => { dir = await mkdtemp(path.join(tmpdir(), 'companion-bench-sqlite-')); return openStore({ sqliteFile: path.join(dir, 'bench.sqlite') }); },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

function pgScenario(url: string, instances: number): Scenario {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  return {
    name: `PostgreSQL, ${instances} instance${instances > 1 ? 's' : ''}`, instances,
    open: () => openStore({ databaseUrl: url, pgSchema: schema, poolSize: 8 }),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try { await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); } finally { await client.end(); }
    },
  };
}

export async function benchRuns(): Promise<string> {
  const url = process.env.TEST_DATABASE_URL || process.env.BENCH_DATABASE_URL;
  const scenarios = [sqliteScenario(), ...(url ? [pgScenario(url, 1), pgScenario(url, 2)] : [])];
  const results = [];
  for (const s of scenarios) results.push(await measure(s));
  const lines = [
    `### Runs: three-step runs completed per second (${RUNS} runs over ${CONTACTS} contacts, engine concurrency 8 per instance)`,
    '',
    '| store | runs | seconds | runs/s |',
    '|---|---:|---:|---:|',
    ...results.map((r) => `| ${r.name} | ${r.runs} | ${r.seconds.toFixed(2)} | ${r.perSecond.toFixed(0)} |`),
    ...(url ? [] : ['', '_PostgreSQL rows skipped: TEST_DATABASE_URL is not set._']),
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const table = await benchRuns();
  process.stdout.write(`${table}\n`);
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/runs.md', `${table}\n_Measured on ${new Date().toISOString().slice(0, 10)}, ${process.platform}, Node ${process.versions.node}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end (PostgreSQL runs in the same machine)._\n`);
}
