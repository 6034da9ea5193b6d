// A copy of bench/runs.ts's SQLite scenario (three-step runs: comment, tag, comment; 200 contacts,
// one instance, file + WAL) that reports per-run counters: main-thread CPU (threadCpuUsage),
// process CPU (cpuUsage), statements and transactions, and runs/s. One process = one tree:
//   npx tsx bench/cpu-per-run.ts [<tree-root> [<label>]]   (default: this checkout)
// To compare two commits, make a worktree of each (node_modules linked) and run them alternately,
// rotating the order, 20-30 times each; compare paired medians (bench/RESULTS.md, 35th session).
// A warm-up batch first (JIT), then the measured batch on the same server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..'));
const label = process.argv[3] ?? path.basename(root);
const RUNS = Number(process.env.BENCH_CPU_RUNS ?? 10_000);
const WARM = Number(process.env.BENCH_CPU_WARM ?? 2_000);
const CONTACTS = 200;

const { newId, nowIso } = await import(path.join(root, 'server/ids.ts'));
const { startServer } = await import(path.join(root, 'server/server.ts'));
const { openStore, toJson } = await import(path.join(root, 'server/store/database.ts'));
const { insertContact, insertWorkflow, makeWorkflow } = await import(path.join(root, 'test/support/builders.ts'));

const dataDir = await mkdtemp(path.join(tmpdir(), 'cpu-per-run-data-'));
const dbDir = await mkdtemp(path.join(tmpdir(), 'cpu-per-run-sqlite-'));
const store = await openStore({ sqliteFile: path.join(dbDir, 'bench.sqlite') });
const server = await startServer({ env: { COMPANION_DEMO: '0' }, config: { port: 0, dataDir }, logger: false, listen: false, store });
const services = server.app.services;
try {
  const contacts: string[] = [];
  for (let i = 0; i < CONTACTS; i++) contacts.push((await insertContact(services, { firstName: `B${i}` })).contact.id);
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
    { id: 'a', type: 'add_comment', config: { text: 'run {{$trigger.n}} a' } },
    { id: 'b', type: 'update_contact_tag', config: { action: 'add', tags: ['bench'] } },
    { id: 'c', type: 'add_comment', config: { text: 'run {{$trigger.n}} c' } },
  ] }));

  let seq = 0;
  async function batch(n: number) {
    const now = nowIso();
    const rows = Array.from({ length: n }, () => {
      const k = seq++;
      return {
        id: newId('run'), workflow_id: wf.id, workflow_version: 1, contact_id: contacts[k % CONTACTS]!, conversation_id: null,
        event_id: newId('evt'), event_type: 'bench', variables: toJson({ trigger: { n: k } }), status: 'queued', cursor: 0, step_log: '[]',
        wake_at: null, attempts: 0, jumps: 0, depth: 0, lease_owner: null, lease_until: null, error: null, created_at: now, updated_at: now, ended_at: null, blocked: 0,
      };
    });
    for (let i = 0; i < rows.length; i += 500) await services.db.insertInto('runs').values(rows.slice(i, i + 500)).execute();
    const target = seq;
    const c0 = { ...store.counters };
    const t0 = process.threadCpuUsage();
    const p0 = process.cpuUsage();
    const started = Date.now();
    services.runSignal.notify();
    for (;;) {
      await new Promise((r) => setTimeout(r, Number(process.env.BENCH_CPU_POLL_MS ?? 100)));
      const { n: done } = await services.db.selectFrom('runs').select((eb: any) => eb.fn.countAll().as('n')).where('status', '=', 'completed').executeTakeFirstOrThrow();
      if (Number(done) >= target) break;
    }
    const t1 = process.threadCpuUsage();
    const p1 = process.cpuUsage();
    const c1 = { ...store.counters };
    const { last } = await services.db.selectFrom('runs').select((eb: any) => eb.fn.max('ended_at').as('last')).executeTakeFirstOrThrow();
    const seconds = (Date.parse(String(last)) - started) / 1000;
    const { failed } = await services.db.selectFrom('runs').select((eb: any) => eb.fn.countAll().as('failed')).where('status', '!=', 'completed').executeTakeFirstOrThrow();
    if (Number(failed) !== 0) throw new Error(`${failed} runs not completed`);
    return {
      runsPerSecond: n / seconds,
      threadCpuUs: (t1.user + t1.system - t0.user - t0.system) / n,
      processCpuUs: (p1.user + p1.system - p0.user - p0.system) / n,
      statements: (c1.statements - c0.statements) / n,
      transactions: (c1.transactions - c0.transactions) / n,
    };
  }
  await batch(WARM);
  // Under valgrind --tool=callgrind --instr-atstart=no: count instructions of the measured batch only.
  const cg = process.env.BENCH_CPU_CALLGRIND === '1';
  // BENCH_CPU_PROF=<file>: a V8 CPU profile of the measured batch only.
  const { Session } = await import('node:inspector/promises');
  const prof = process.env.BENCH_CPU_PROF ? new Session() : undefined;
  if (cg) execFileSync('callgrind_control', ['-i', 'on', String(process.pid)]);
  if (prof) { prof.connect(); await prof.post('Profiler.enable'); await prof.post('Profiler.setSamplingInterval', { interval: 100 }); await prof.post('Profiler.start'); }
  const r = await batch(RUNS);
  if (prof) { const { profile } = await prof.post('Profiler.stop'); (await import('node:fs')).writeFileSync(process.env.BENCH_CPU_PROF!, JSON.stringify(profile)); }
  if (cg) execFileSync('callgrind_control', ['-i', 'off', String(process.pid)]);
  process.stdout.write(`${JSON.stringify({ label, runs: RUNS, load: loadavg()[0], ...r })}\n`);
} finally {
  await server.close();
  await server.store.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(dbDir, { recursive: true, force: true });
}
