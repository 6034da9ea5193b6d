import { expect, it } from 'vitest';
import { markBlocked, pickHeldPostgres, takeNextOfPairs, unblockStalled } from '../../server/engine/executor/run-queue';
import type { Services } from '../../server/services';
import { insertContact, insertRun } from '../support/builders';
import { describePg, eachPgServer, runsBlocksRead as blocksRead } from '../support/postgres';
import { BACKLOG, blocksCounter, historyAtRest, queuedRuns } from './runs-at-rest';

// The queue's reads with statistics taken at rest (autovacuum analyzed `runs` when every run had
// ended: runs_unfinished looks empty), before the engine's own ANALYZE (run-statistics.ts). Each
// read used to filter runs_unfinished, i.e. the whole backlog, once per row it checked. Counted in
// blocks read (pg_stat_get_xact_blocks_fetched), not in time.

/** What a read of one pair (a few index seeks, a few rows) stays under; the backlog filtered once is ~350 blocks. */
const PAIR_READ = 200;

describePg('PostgreSQL queue reads stay bounded with statistics taken at rest', () => {
  let services: Services;
  eachPgServer((server) => { services = server.app.services; });

  const counted = blocksCounter(() => services, blocksRead);

  /**
   * HISTORY ended runs analyzed at rest; then one contact's burst of BACKLOG queued runs, and behind it
   * a second contact whose waiting run (due tomorrow) holds its one queued run: that run is blocked.
   */
  const burstAfterRest = async () => {
    const { workflowId, ada } = await historyAtRest(services);
    const { contact: bo } = await insertContact(services, { firstName: 'Bo' });
    return services.db.transaction().execute(async (trx) => {
      const backlog = await queuedRuns(trx, BACKLOG, { workflowId, contactId: ada });
      const waiting = await insertRun(trx, { workflowId, contactId: bo.id, status: 'waiting', wakeAt: new Date(Date.now() + 86_400_000).toISOString() });
      const behind = await insertRun(trx, { workflowId, contactId: bo.id });
      return { backlog, waiting, behind, workflowId, ada };
    });
  };

  it('the take after a run ends checks for a running or waiting run of its pair without reading the backlog, and takes the next runs in order', async () => {
    const { backlog, workflowId, ada } = await burstAfterRest();
    await services.db.updateTable('runs').set({ status: 'completed' }).where('id', '=', backlog[0]!).execute();
    const { result, blocks } = await counted((trx) => takeNextOfPairs(trx, [{ id: backlog[0]!, workflowId, contactId: ada }], 16, 16));
    expect(result.map((r) => r.id)).toEqual(backlog.slice(1, 17));
    // Measured: 352 blocks before (each stop check filtered runs_unfinished from the ended run on), 93 after.
    expect(blocks).toBeLessThan(PAIR_READ);
  });

  it('marking a run blocked behind its pair\'s waiting run reads its pair only, not the other contact\'s backlog before it', async () => {
    const { behind } = await burstAfterRest();
    const { result, blocks } = await counted((trx) => markBlocked(trx, [behind]));
    expect(result).toEqual([behind]);
    // Measured: 489 blocks before (the probes filtered runs_unfinished below the run), 68 after.
    expect(blocks).toBeLessThan(PAIR_READ);
  });

  it('re-checking a blocked run (and the sweep) reads its pair only, and leaves it blocked while the waiting run holds it', async () => {
    const { behind, waiting } = await burstAfterRest();
    await services.db.updateTable('runs').set({ blocked: 1 }).where('id', '=', behind).execute();
    const one = await counted((trx) => unblockStalled(trx, 'postgres', [behind]));
    expect(one.result).toBe(0);
    // Measured: 489 blocks before, 67 after.
    expect(one.blocks).toBeLessThan(PAIR_READ);
    await services.db.updateTable('runs').set({ status: 'completed' }).where('id', '=', waiting).execute();
    const sweep = await counted((trx) => unblockStalled(trx, 'postgres'));
    // The sweep's own read of the blocked runs still filters runs_unfinished (no index holds only
    // blocked runs): linear once per sweep (every 30 s), no longer once per blocked run.
    expect(sweep.result).toBe(1);
  });

  it('a round\'s pick of queue heads locks the one runnable head without reading the backlog behind it', async () => {
    const { backlog } = await burstAfterRest();
    // As the first pick of the burst left them: every run behind the head marked blocked.
    await services.db.updateTable('runs').set({ blocked: 1 }).where('id', 'in', backlog.slice(1)).execute();
    const { result, blocks } = await counted((trx) => pickHeldPostgres(trx, 8, { deep: false }));
    expect(result.rows.map((r) => r.id)).toEqual([backlog[0]]);
    // Measured: 12,590 blocks before (the lock's semi join read runs_unfinished whole, and the
    // probes filtered it), 269 after.
    expect(blocks).toBeLessThan(BACKLOG / 4);
  });
});
