import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { claimPostgres } from '../../server/engine/executor/claim-postgres';
import { pickQueued } from '../../server/engine/executor/run-queue';
import type { Services } from '../../server/services';
import type { Executor } from '../../server/store/database';
import { insertContact, insertRun, insertWorkflow, makeWorkflow } from '../support/builders';
import { describePg, eachPgServer } from '../support/postgres';
import { BACKLOG, blocksCounter, historyAtRest, queuedRuns } from './runs-at-rest';

// The claim's and the pick's reads with statistics taken at rest (autovacuum analyzed `runs` when
// every run had ended: runs_unfinished looks empty), as in run-queue-reads-at-rest.pg.test.ts:
// each read here used to filter runs_unfinished, i.e. the whole queued backlog, on every claim or
// pick. Counted in blocks read (pg_stat_get_xact_blocks_fetched), not in time.

/**
 * Blocks read from runs and its indexes, but for indexes with no entry: an empty btree is its
 * metapage alone, which the planner reads for each mention of runs in a statement (tens of blocks
 * a claim, whatever the backlog, and more with each partial index added).
 */
const blocksRead = async (trx: Executor) => Number((await sql<{ n: string }>`
  SELECT sum(pg_stat_get_xact_blocks_fetched(c.oid)) AS n FROM pg_class c
  WHERE c.oid = 'runs'::regclass
    OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'runs'::regclass) AND pg_relation_size(c.oid) > current_setting('block_size')::int`.execute(trx)).rows[0]!.n);

/** A read of the few runs it is about stays under this; the backlog filtered once is several hundred blocks. */
const FEW = 60;

describePg('PostgreSQL claims and picks skip the queued backlog with statistics taken at rest', () => {
  let services: Services;
  eachPgServer((server) => { services = server.app.services; });

  const counted = blocksCounter(() => services, blocksRead);
  const at = (ms: number) => new Date(Date.now() + ms).toISOString();

  /** HISTORY ended runs analyzed at rest; then one contact's burst of BACKLOG queued runs, the first one running. */
  const burstAfterRest = async () => {
    const { workflowId, ada } = await historyAtRest(services);
    const backlog = await services.db.transaction().execute((trx) => queuedRuns(trx, BACKLOG, { workflowId, contactId: ada }));
    await services.db.updateTable('runs').set({ status: 'running', lease_owner: 'other', lease_until: at(86_400_000) }).where('id', '=', backlog[0]!).execute();
    return { backlog, workflowId };
  };

  it('a claim looks for due waiting runs and lost leases among the waiting and running runs, not the queued backlog, and takes them', async () => {
    const { backlog, workflowId } = await burstAfterRest();
    const { contact: bo } = await insertContact(services, { firstName: 'Bo' });
    const { contact: cy } = await insertContact(services, { firstName: 'Cy' });
    const waiting = await insertRun(services.db, { workflowId, contactId: bo.id, status: 'waiting', wakeAt: at(3_600_000) });
    const lost = await insertRun(services.db, { workflowId, contactId: cy.id, status: 'running' });
    await services.db.updateTable('runs').set({ lease_owner: 'gone', lease_until: at(3_600_000) }).where('id', '=', lost).execute();
    // The beyond-the-queue part of a claim beside queued rounds (claim.ts: not deep, nothing picked).
    const claim = (trx: Executor, now: string) => claimPostgres(trx, { owner: 'me', now, leaseUntil: at(7_200_000), limit: 16 }, []);
    const idle = await counted((trx) => claim(trx, at(0)));
    expect(idle.result).toEqual([]);
    // Measured: 285 blocks before migration 104 (both parts read runs_unfinished, the 3,000 queued
    // runs, and filtered them through the heap), 5 after.
    expect(idle.blocks).toBeLessThan(FEW);
    // An hour on: the wait is over and the lease lost; the run holding the backlog still has its lease.
    const due = await counted((trx) => claim(trx, at(3_700_000)));
    expect(due.result.map((r) => r.id).sort()).toEqual([waiting, lost].sort());
    expect(due.result.every((r) => r.status === 'running' && r.lease_owner === 'me')).toBe(true);
    expect((await services.db.selectFrom('runs').select('status').where('id', '=', backlog[1]!).executeTakeFirstOrThrow()).status).toBe('queued');
  });

  it('a pick reads the queue heads only, not the blocked runs before them, and takes the one runnable head', async () => {
    const { backlog, workflowId } = await burstAfterRest();
    // The first pick of the burst marked every run behind the running one blocked; then another
    // contact's run arrived, the one head that may start.
    await services.db.updateTable('runs').set({ blocked: 1 }).where('id', 'in', backlog.slice(1)).execute();
    const { contact: bo } = await insertContact(services, { firstName: 'Bo' });
    const head = await insertRun(services.db, { workflowId, contactId: bo.id });
    // The first read after the marks walks the dead entries they left in runs_ready (until vacuum)
    // and flags them, whichever index it reads (~240 blocks here): counted from the next one.
    await pickQueued(services.db, 'postgres', 8);
    const { result, blocks } = await counted((trx) => pickQueued(trx, 'postgres', 8));
    expect(result).toEqual({ picked: [head], more: false, marked: [] });
    // Measured: 2,039 and 6,054 blocks in two runs before (the window read runs_unfinished and
    // filtered every blocked run through the heap), 41 after.
    expect(blocks).toBeLessThan(FEW);
  });

  it('a pick still marks the heads behind an unfinished run of their pair and passes over a head another transaction holds', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'hi' } }] }));
    const contacts = await Promise.all(['A', 'B', 'C'].map((firstName) => insertContact(services, { firstName })));
    const [a, b, c] = contacts.map(({ contact }) => contact.id) as [string, string, string];
    const a1 = await insertRun(services.db, { workflowId: wf.id, contactId: a });
    const a2 = await insertRun(services.db, { workflowId: wf.id, contactId: a });
    const b1 = await insertRun(services.db, { workflowId: wf.id, contactId: b });
    const c1 = await insertRun(services.db, { workflowId: wf.id, contactId: c });
    let release!: () => void;
    let held!: () => void;
    const holding = new Promise<void>((resolve) => { held = resolve; });
    const other = services.db.transaction().execute(async (trx) => {
      await sql`SELECT id FROM runs WHERE id = ${b1} FOR UPDATE`.execute(trx);
      held();
      await new Promise<void>((resolve) => { release = resolve; });
    });
    await holding;
    try {
      // A window of 16 after a limit of 2: a1 and c1 picked, a2 marked, b1 passed over.
      expect(await pickQueued(services.db, 'postgres', 2)).toEqual({ picked: [a1, c1], more: false, marked: [a2] });
      const blocked = await services.db.selectFrom('runs').select(['id', 'blocked']).where('id', 'in', [a1, a2, b1, c1]).orderBy('id').execute();
      expect(blocked.map((r) => [r.id, Number(r.blocked)])).toEqual([[a1, 0], [a2, 1], [b1, 0], [c1, 0]]);
    } finally {
      release();
      await other;
    }
    expect((await pickQueued(services.db, 'postgres', 3)).picked).toEqual([a1, b1, c1]);
  });
});
