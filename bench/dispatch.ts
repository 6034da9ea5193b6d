import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { changeTags } from '../server/domain/contacts';
import { writeTriggerIndex } from '../server/engine/dispatch/trigger-index';
import { inTransaction } from '../server/events/unit-of-work';
import { startServer } from '../server/server';
import { openStore } from '../server/store/database';
import { insertContact, insertWorkflow, makeWorkflow } from '../test/support/builders';

// Dispatch cost must not grow with the number of published workflows: events/s with 10 vs
// 10,000 published workflows listening on OTHER tag keys, one workflow matching. Each event is
// a real tag change (event row + dispatch + run row in one transaction); workers off so only
// ingestion + dispatch is measured.
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000);

async function measure(otherWorkflows: number) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-bench-dispatch-'));
  const store = await openStore({ sqliteFile: path.join(dataDir, 'bench.sqlite') });
  const server = await startServer({ env: { COMPANION_DEMO: '0' }, config: { port: 0, dataDir }, logger: false, listen: false, workers: false, store });
  const services = server.app.services;
  const steps = [{ id: 'a', type: 'add_comment' as const, config: { text: 'x' } }];
  await services.db.transaction().execute(async (trx) => {
    for (let i = 0; i < otherWorkflows; i++) {
      const def = makeWorkflow({ name: `other ${i}`, trigger: { type: 'contact_tag_updated', action: 'added', tags: [`other-${i}`] }, steps });
      const { id } = await insertWorkflow(trx as never, def);
      await writeTriggerIndex(trx, id, def.trigger);
    }
  });
  const target = makeWorkflow({ name: 'target', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, steps });
  const { id } = await insertWorkflow(services.db, target);
  await writeTriggerIndex(services.db, id, target.trigger);
  const contacts: string[] = [];
  for (let i = 0; i < 50; i++) contacts.push((await insertContact(services, { firstName: `C${i}` })).contact.id);

  const started = performance.now();
  for (let n = 0; n < EVENTS; n++) {
    const contactId = contacts[n % contacts.length]!;
    const action = Math.floor(n / contacts.length) % 2 === 0 ? 'add' : 'remove';
    await inTransaction(services.db, (uow) => changeTags(uow, services, contactId, action, ['vip'], { source: 'api' }));
  }
  const seconds = (performance.now() - started) / 1000;
  const runs = await services.db.selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  await server.close();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
  return { otherWorkflows, eventsPerSecond: EVENTS / seconds, runs: Number(runs.n) };
}

export async function benchDispatch(): Promise<string> {
  await measure(10); // warm-up: JIT and page cache
  const small = await measure(10);
  const large = await measure(10_000);
  const ratio = large.eventsPerSecond / small.eventsPerSecond;
  return [
    `### Dispatch (${EVENTS} tag events, SQLite file, one matching workflow)`,
    '',
    '| published workflows on other keys | events/s | runs created |',
    '|---:|---:|---:|',
    `| ${small.otherWorkflows} | ${small.eventsPerSecond.toFixed(0)} | ${small.runs} |`,
    `| ${large.otherWorkflows} | ${large.eventsPerSecond.toFixed(0)} | ${large.runs} |`,
    '',
    `Ratio 10,000 / 10: **${ratio.toFixed(2)}** (target ≥ 0.80).`,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await benchDispatch();
  console.log(out);
  await writeFile(path.join('bench', 'results', 'dispatch.md'), out);
}
