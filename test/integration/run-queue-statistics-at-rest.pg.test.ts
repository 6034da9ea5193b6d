import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { claimPostgres } from '../../server/engine/executor/claim-postgres';
import { reviewRunStatistics } from '../../server/engine/executor/run-statistics';
import type { Services } from '../../server/services';
import type { Executor } from '../../server/store/database';
import { insertContact, insertRun, insertWorkflow, makeWorkflow } from '../support/builders';
import { describePg, eachPgServer, pgUrl, runsBlocksRead as blocksRead } from '../support/postgres';
import { startTestServer } from '../support/server';
import { waitFor } from '../support/wait';

// A long-running PostgreSQL database is analyzed by autovacuum while it is at rest: every run has
// ended, so its statistics say no run is queued and runs_unfinished (088) looks empty. A burst of
// one contact's webhooks then queues a backlog the planner cannot see until the next autoanalyze
// (a minute or more away, and 10 % of the table later). Planned for an empty runs_unfinished,
// the claim read the candidates again for every unfinished run (each pass probing the backlog):
// 57 completed runs/s instead of ~1,190 in the end-to-end benchmark with BENCH_PG_ANALYZE=1, and
// one claim statement ran for 280 seconds.
// Counted here in blocks read (pg_stat_get_xact_blocks_fetched), not in time.

describePg('PostgreSQL queue reads with statistics taken at rest', () => {
  let services: Services;
  eachPgServer((server) => { services = server.app.services; });

  /** 300 ended runs, analyzed as autovacuum would at rest, then `queued` runs of the same contact. */
  const burstAfterRest = async (queued: number, { on = services, held = false, rest = true }: { on?: Services; held?: boolean; rest?: boolean } = {}) => {
    const services = on;
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'hi' } }] }));
    const { contact } = await insertContact(services);
    await services.db.transaction().execute(async (trx) => {
      const ids: string[] = [];
      for (let n = 0; n < 300; n++) ids.push(await insertRun(trx, { workflowId: wf.id, contactId: contact.id }));
      await trx.updateTable('runs').set({ status: 'completed', ended_at: new Date().toISOString() }).where('id', 'in', ids).execute();
    });
    if (rest) await sql`ANALYZE runs`.execute(services.db);
    const ids = await services.db.transaction().execute(async (trx) => {
      // A run of the pair waiting for tomorrow holds the backlog behind it (one run at a time per pair).
      if (held) await insertRun(trx, { workflowId: wf.id, contactId: contact.id, status: 'waiting', wakeAt: new Date(Date.now() + 86_400_000).toISOString() });
      const out: string[] = [];
      for (let n = 0; n < queued; n++) out.push(await insertRun(trx, { workflowId: wf.id, contactId: contact.id }));
      return out;
    });
    return ids;
  };

  it('a claim of the backlog\'s head reads a bounded number of blocks, and takes only the head', async () => {
    const ids = await burstAfterRest(1500);
    const now = new Date().toISOString();
    const { taken, blocks } = await services.db.transaction().execute(async (trx) => {
      const before = await blocksRead(trx);
      const taken = await claimPostgres(trx, { owner: 'test', now, leaseUntil: new Date(Date.now() + 60_000).toISOString(), limit: 64 }, [ids[0]!, ids[1]!]);
      return { taken, blocks: (await blocksRead(trx)) - before };
    });
    // Order kept: the second run waits for the first.
    expect(taken.map((r) => r.id)).toEqual([ids[0]]);
    // Measured: 309 blocks in all (the due-waiting and lost-lease parts still read runs_unfinished
    // whole, once each); 231,088 with the candidates as an IN list (a semi join whose outer side
    // was runs_unfinished, read whole, with the candidates read again for each of its rows).
    expect(blocks / ids.length).toBeLessThan(5);
  });

  const plannedUnfinished = async (db: Executor) =>
    Number((await sql<{ n: number }>`SELECT reltuples AS n FROM pg_class WHERE oid = to_regclass('runs_unfinished')`.execute(db)).rows[0]!.n);

  it('a backlog several times what the statistics hold gets runs analyzed, once; a small one or a quiet database does not', async () => {
    expect(await reviewRunStatistics(services.db)).toBe('fine');
    await burstAfterRest(600);
    expect(await reviewRunStatistics(services.db)).toBe('fine');
    expect(await plannedUnfinished(services.db)).toBe(0);
    await burstAfterRest(900, { rest: false });
    expect(await reviewRunStatistics(services.db)).toBe('analyzed');
    expect(await plannedUnfinished(services.db)).toBeGreaterThanOrEqual(1000);
    expect(await reviewRunStatistics(services.db)).toBe('fine');
  });

  it('an instance that executes runs analyzes a backlog that built up after the statistics were taken at rest', async () => {
    const worker = await startTestServer({ databaseUrl: pgUrl()!, workers: true });
    try {
      const db = worker.app.services.db;
      await burstAfterRest(1500, { on: worker.app.services, held: true });
      expect(await plannedUnfinished(db)).toBe(0);
      await waitFor('runs analyzed by the instance', async () => (await plannedUnfinished(db)) >= 1000 || undefined, 15_000);
    } finally {
      await worker.close();
    }
  });
});
