import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { executeQueuedRound } from '../../server/engine/executor/batch-round';
import { startEngine } from '../../server/engine/executor/index';
import { markBlocked, pickHeldPostgres, takeNextOfPairs } from '../../server/engine/executor/run-queue';
import type { Services } from '../../server/services';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { describePg, eachPgServer, pgUrl } from '../support/postgres';
import { runQueueSuite } from './run-queue-suite';

describePg('run queue heads (PostgreSQL)', () => runQueueSuite(pgUrl()));

describePg('blocked marks and queued rounds (PostgreSQL)', () => {
  let services: Services;
  eachPgServer((server) => { services = server.app.services; });

  const blockedOf = async (id: string) => (await services.db.selectFrom('runs').select('blocked').where('id', '=', id).executeTakeFirstOrThrow()).blocked;

  it('is looked at again by the process that made it: the run goes on without waiting for the full sweep', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const contactId = (await insertContact(services)).contact.id;
    // Another instance is running the pair's first run (its lease is far from over).
    const first = await insertRun(services.db, { workflowId: wf.id, contactId });
    await services.db.updateTable('runs').set({ status: 'running', lease_owner: 'other-instance', lease_until: '2999-01-01T00:00:00.000Z', attempts: 1 }).where('id', '=', first).execute();
    const next = await insertRun(services.db, { workflowId: wf.id, contactId });
    // The full sweep is ten minutes away: only the re-check of this process's own mark can release `next`.
    const engine = await startEngine(services, { workers: true, pollMs: 50, unblockMs: 600_000, recheckMs: 1_000 });
    try {
      const until = Date.now() + 5_000;
      while (await blockedOf(next) !== 1) {
        if (Date.now() > until) throw new Error('the worker never marked the run behind a running one blocked');
        await new Promise((r) => setTimeout(r, 10));
      }
      // The other instance's round ends `first` now; it looked for a blocked successor before the
      // mark above committed, so it released nothing (the race this repairs).
      await services.db.updateTable('runs').set({ status: 'completed', ended_at: new Date().toISOString(), lease_until: null }).where('id', '=', first).execute();
      const started = Date.now();
      expect((await waitForRun(services.db, next, ['completed', 'failed', 'cancelled'], 8_000)).status).toBe('completed');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await engine.stop();
    }
  });

  it('leaves a run blocked while the run before it is still unfinished', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const contactId = (await insertContact(services)).contact.id;
    const first = await insertRun(services.db, { workflowId: wf.id, contactId, status: 'waiting', wakeAt: '2999-01-01T00:00:00.000Z' });
    const next = await insertRun(services.db, { workflowId: wf.id, contactId });
    const engine = await startEngine(services, { workers: true, pollMs: 50, unblockMs: 600_000, recheckMs: 200 });
    try {
      await new Promise((r) => setTimeout(r, 1_000)); // marked, then looked at again (several times over)
      expect(await blockedOf(next)).toBe(1);
      expect((await waitForRun(services.db, next, ['queued'])).status).toBe('queued');
      expect((await waitForRun(services.db, first, ['waiting'])).status).toBe('waiting');
    } finally {
      await engine.stop();
    }
  });

  // Queued rounds: how a round picks and holds its heads, and takes its pairs' next runs.

  it('two rounds at once take different heads; a head found blocked is marked after the round, and only if it still waits', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const contacts: string[] = [];
    for (let i = 0; i < 4; i++) contacts.push((await insertContact(services, { firstName: `C${i}` })).contact.id);
    const heads: string[] = [];
    for (const contactId of contacts) heads.push(await insertRun(services.db, { workflowId: wf.id, contactId }));
    const behind = await insertRun(services.db, { workflowId: wf.id, contactId: contacts[0]! });

    let secondPicked!: () => void;
    const secondDone = new Promise<void>((r) => { secondPicked = r; });
    let firstHolds!: () => void;
    const firstHolding = new Promise<void>((r) => { firstHolds = r; });
    const first = services.db.transaction().execute(async (trx) => {
      const held = await pickHeldPostgres(trx, 2);
      firstHolds();
      await secondDone; // holds its heads while the other round picks
      await trx.updateTable('runs').set({ status: 'completed', ended_at: new Date().toISOString() }).where('id', '=', heads[0]!).execute();
      return held;
    });
    await firstHolding;
    const second = await services.db.transaction().execute(async (trx) => {
      const held = await pickHeldPostgres(trx, 4);
      secondPicked();
      return held;
    });
    const firstHeld = await first;

    expect(firstHeld.rows.map((r) => r.id)).toEqual(heads.slice(0, 2));
    expect(firstHeld.rows[0]!.workflow_id).toBe(wf.id); // whole rows, for the round
    expect(second.rows.map((r) => r.id)).toEqual(heads.slice(2));
    // Both saw the pair's second run behind its first; neither marked it while picking.
    expect(firstHeld.blocked).toEqual([behind]);
    expect(second.blocked).toEqual([behind]);
    expect(await blockedOf(behind)).toBe(0);

    // The first round ended the run before it: marking now would stall it, so it is not marked.
    expect(await markBlocked(services.db, firstHeld.blocked)).toEqual([]);
    expect(await blockedOf(behind)).toBe(0);
    // A run behind a head that is still queued is.
    const behindSecond = await insertRun(services.db, { workflowId: wf.id, contactId: contacts[1]! });
    expect(await markBlocked(services.db, [behindSecond])).toEqual([behindSecond]);
    expect(await blockedOf(behindSecond)).toBe(1);
  });

  it('after a pass, takes the next run of each pair it ended: locked and whole, never past an unfinished one', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const ada = (await insertContact(services, { firstName: 'Ada' })).contact.id;
    const bob = (await insertContact(services, { firstName: 'Bob' })).contact.id;
    const adaRuns: string[] = [];
    for (let i = 0; i < 3; i++) adaRuns.push(await insertRun(services.db, { workflowId: wf.id, contactId: ada }));
    const bobFirst = await insertRun(services.db, { workflowId: wf.id, contactId: bob });
    await insertRun(services.db, { workflowId: wf.id, contactId: bob, status: 'waiting', wakeAt: '2999-01-01T00:00:00.000Z' });
    await insertRun(services.db, { workflowId: wf.id, contactId: bob });
    const fence = (id: string, contactId: string) => ({ id, workflowId: wf.id, contactId });

    let otherTried!: () => void;
    const tried = new Promise<void>((r) => { otherTried = r; });
    let taken!: () => void;
    const holding = new Promise<void>((r) => { taken = r; });
    const round = services.db.transaction().execute(async (trx) => {
      // The pass ended each pair's head.
      await trx.updateTable('runs').set({ status: 'completed', ended_at: new Date().toISOString() }).where('id', 'in', [adaRuns[0]!, bobFirst]).execute();
      const next = await takeNextOfPairs(trx, [fence(adaRuns[0]!, ada), fence(bobFirst, bob)], 10);
      taken();
      await tried;
      return next;
    });
    await holding;
    // Another round cannot take the run this one holds.
    const other = await services.db.transaction().execute((trx) => sql<{ id: string }>`SELECT id FROM runs WHERE id = ${adaRuns[1]!} FOR UPDATE SKIP LOCKED`.execute(trx));
    otherTried();
    const next = await round;
    expect(next.map((r) => r.id)).toEqual([adaRuns[1]]); // Bob's next run waits behind his waiting one
    expect(next[0]!.workflow_id).toBe(wf.id);
    expect(other.rows).toEqual([]);
    // At most `limit`.
    expect(await services.db.transaction().execute((trx) => takeNextOfPairs(trx, [fence(adaRuns[0]!, ada), fence(adaRuns[1]!, ada)], 1))).toHaveLength(1);
  });

  it('takes several next runs of a pair, in order, up to its first running or waiting run: none from behind it', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const ada = (await insertContact(services, { firstName: 'Ada' })).contact.id;
    const bob = (await insertContact(services, { firstName: 'Bob' })).contact.id;
    const cy = (await insertContact(services, { firstName: 'Cy' })).contact.id;
    const add = (contactId: string, status?: 'running' | 'waiting') =>
      insertRun(services.db, { workflowId: wf.id, contactId, ...(status ? { status } : {}), ...(status === 'waiting' ? { wakeAt: '2999-01-01T00:00:00.000Z' } : {}) });
    // Ada: ended, two queued, one running (another round's), one queued behind it.
    const adaEnded = await add(ada);
    const adaNext = [await add(ada), await add(ada)];
    await add(ada, 'running');
    const adaBehind = await add(ada);
    // Bob: ended, one queued, one waiting, two queued behind it.
    const bobEnded = await add(bob);
    const bobNext = await add(bob);
    await add(bob, 'waiting');
    await add(bob);
    await add(bob);
    // Cy: ended, nothing unfinished after it: all three queued runs.
    const cyEnded = await add(cy);
    const cyNext = [await add(cy), await add(cy), await add(cy)];
    const ended = [adaEnded, bobEnded, cyEnded];
    const next = await services.db.transaction().execute(async (trx) => {
      await trx.updateTable('runs').set({ status: 'completed', ended_at: new Date().toISOString() }).where('id', 'in', ended).execute();
      return takeNextOfPairs(trx, [{ id: adaEnded, workflowId: wf.id, contactId: ada }, { id: bobEnded, workflowId: wf.id, contactId: bob }, { id: cyEnded, workflowId: wf.id, contactId: cy }], 20, 10);
    });
    expect(next.map((r) => r.id)).toEqual([...adaNext, bobNext, ...cyNext]);
    expect(next.map((r) => r.id)).not.toContain(adaBehind);
  });

  it('takes a pair\'s next runs only up to one someone else holds: the runs behind it are not taken ahead of it', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const ada = (await insertContact(services, { firstName: 'Ada' })).contact.id;
    const runs: string[] = [];
    for (let i = 0; i < 5; i++) runs.push(await insertRun(services.db, { workflowId: wf.id, contactId: ada }));
    const fence = { id: runs[0]!, workflowId: wf.id, contactId: ada };
    // A pick or a re-check marking the third run blocked holds its row for a moment.
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    let locked!: () => void;
    const holding = new Promise<void>((r) => { locked = r; });
    const marker = services.db.transaction().execute(async (trx) => {
      await sql`SELECT id FROM runs WHERE id = ${runs[2]!} FOR UPDATE`.execute(trx);
      locked();
      await released;
    });
    await holding;
    try {
      const next = await services.db.transaction().execute(async (trx) => {
        await trx.updateTable('runs').set({ status: 'completed', ended_at: new Date().toISOString() }).where('id', '=', runs[0]!).execute();
        return takeNextOfPairs(trx, [fence], 10, 10);
      });
      // Before: [1, 3, 4]: the fourth and fifth runs would have run before the third.
      expect(next.map((r) => r.id)).toEqual([runs[1]]);
    } finally {
      release();
      await marker;
    }
    // Once nobody holds it, the pair goes on in order.
    const rest = await services.db.transaction().execute((trx) => takeNextOfPairs(trx, [{ ...fence, id: runs[1]! }], 10, 10));
    expect(rest.map((r) => r.id)).toEqual(runs.slice(2));
  });

  it('a round that ends a pair\'s run releases the pair\'s next run, stored blocked, that it could not take itself', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const contactId = (await insertContact(services)).contact.id;
    const first = await insertRun(services.db, { workflowId: wf.id, contactId });
    // Stored blocked behind `first`, as a webhook batch stores a pair's second run.
    const next = await insertRun(services.db, { workflowId: wf.id, contactId });
    await services.db.updateTable('runs').set({ blocked: 1 }).where('id', '=', next).execute();
    // Someone holds `next` while the round runs, so the round cannot take it along (SKIP LOCKED).
    const holder = await services.store.pgPool!.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM runs WHERE id = $1 FOR UPDATE', [next]);
      const round = executeQueuedRound({ services, owner: 'test-instance', stopping: () => false }, 64, 60_000);
      await new Promise((r) => setTimeout(r, 300));
      await holder.query('ROLLBACK');
      expect((await round as { id: string; status: string }[]).map((r) => [r.id, r.status])).toEqual([[first, 'completed']]);
    } finally {
      holder.release();
    }
    // No sweep, no re-check, no engine here: the round itself released it.
    expect(await blockedOf(next)).toBe(0);
  });

  it('a round takes 1/headShare of its size in contacts and chains their backlogs, leaving the other contacts to the rounds beside it; it says whether the chains filled it', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const contacts: string[] = [];
    for (let c = 0; c < 16; c++) contacts.push((await insertContact(services, { firstName: `C${c}` })).contact.id);
    // Eight runs per contact, queued round-robin (a burst over many contacts arrives so).
    const runsOf = new Map<string, string[]>(contacts.map((c) => [c, []]));
    for (let i = 0; i < 8; i++) for (const c of contacts) runsOf.get(c)!.push(await insertRun(services.db, { workflowId: wf.id, contactId: c }));
    const env = { services, owner: 'test-instance', stopping: () => false };
    const filled: boolean[] = [];
    const pick = { picked: () => {}, headShare: 8, chained: (f: boolean) => { filled.push(f); } };

    const first = await executeQueuedRound(env, 64, 60_000, pick) as { id: string; status: string }[];
    // 64 / 8 = 8 heads, the oldest eight contacts'; the passes took each one's seven next runs.
    const taken = contacts.slice(0, 8);
    expect(first.map((r) => r.status)).toEqual(first.map(() => 'completed'));
    expect(first.map((r) => r.id).sort()).toEqual(taken.flatMap((c) => runsOf.get(c)!).sort());
    const left = await services.db.selectFrom('runs').select('status').where('contact_id', 'in', contacts.slice(8)).execute();
    expect(left.map((r) => r.status)).toEqual(left.map(() => 'queued'));
    // Each contact's runs ended in the order they were queued.
    for (const c of taken) {
      const ended = await services.db.selectFrom('runs').select(['id', 'ended_at']).where('contact_id', '=', c).orderBy('id').execute();
      expect(ended.map((r) => r.ended_at)).toEqual(ended.map((r) => r.ended_at).sort());
    }
    expect(filled).toEqual([true]);

    // Half the round in heads (the least share): 32 asked, the other 8 contacts found, each chained whole.
    const second = await executeQueuedRound(env, 64, 60_000, { ...pick, headShare: 2 }) as { id: string }[];
    expect(second.map((r) => r.id).sort()).toEqual(contacts.slice(8).flatMap((c) => runsOf.get(c)!).sort());

    // One run per contact: nothing to chain, the chains run out before the round is full.
    for (let c = 0; c < 20; c++) await insertRun(services.db, { workflowId: wf.id, contactId: (await insertContact(services, { firstName: `S${c}` })).contact.id });
    expect(await executeQueuedRound(env, 64, 60_000, pick)).toHaveLength(8);
    expect(filled).toEqual([true, true, false]);
  });

  it('a round moves one contact\'s backlog several runs at a time, and stops behind a run that waits', async () => {
    const statusOf = async (ids: string[]) => (await services.db.selectFrom('runs').select(['id', 'status']).where('id', 'in', ids).orderBy('id').execute()).map((r) => r.status);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'b', type: 'branch', config: {
        branches: [{ name: 'pause', conditions: { logic: 'and', rules: [{ left: '{{$trigger.pause}}', operator: 'is', right: 'yes' }] }, goTo: 'pause' }],
        elseGoTo: 'done',
      } },
      { id: 'pause', type: 'wait', config: { seconds: 3600 } },
      { id: 'done', type: 'add_comment', config: { text: 'done' } },
    ] }));
    const contactId = (await insertContact(services)).contact.id;
    const before: string[] = [];
    for (let i = 0; i < 30; i++) before.push(await insertRun(services.db, { workflowId: wf.id, contactId, trigger: { pause: 'no' } }));
    const pausing = await insertRun(services.db, { workflowId: wf.id, contactId, trigger: { pause: 'yes' } });
    const after: string[] = [];
    for (let i = 0; i < 5; i++) after.push(await insertRun(services.db, { workflowId: wf.id, contactId, trigger: { pause: 'no' } }));
    const engine = await startEngine(services, { workers: true, pollMs: 50 });
    try {
      const until = Date.now() + 8_000;
      while ((await statusOf(before)).some((s) => s !== 'completed') || (await statusOf([pausing]))[0] !== 'waiting') {
        if (Date.now() > until) throw new Error(`not done: ${(await statusOf(before)).join()} / ${(await statusOf([pausing])).join()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 300));
      // The runs after the waiting one wait behind it (the same pair), even those its round had taken.
      expect(await statusOf(after)).toEqual(after.map(() => 'queued'));
      const ended = await services.db.selectFrom('runs').select(['id', 'ended_at']).where('id', 'in', before).orderBy('id').execute();
      expect(ended.map((r) => r.ended_at)).toEqual(ended.map((r) => r.ended_at).sort());
    } finally {
      await engine.stop();
    }
  });

  it('beside rounds in flight (not deep) reads one window and marks only what waits behind another run of its pair there; alone it reads past a backlog to the next contact', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const busy = (await insertContact(services, { firstName: 'Busy' })).contact.id;
    const other = (await insertContact(services, { firstName: 'Other' })).contact.id;
    // A round of this process holds the busy contact's first run; 100 more of its runs wait behind it.
    const held = await insertRun(services.db, { workflowId: wf.id, contactId: busy });
    const backlog: string[] = [];
    for (let i = 0; i < 100; i++) backlog.push(await insertRun(services.db, { workflowId: wf.id, contactId: busy }));
    const next = await insertRun(services.db, { workflowId: wf.id, contactId: other });
    const skip = new Set([held]);

    const shallow = await services.db.transaction().execute((trx) => pickHeldPostgres(trx, 4, { skip, deep: false }));
    // One window (16 runs): the first of the pair there is the next run of the held one (its
    // round takes or releases it), the 15 behind it are blocked whoever holds what.
    expect(shallow).toEqual({ rows: [], blocked: backlog.slice(1, 16) });
    const marked = await services.db.selectFrom('runs').select('id').where('blocked', '=', 1).execute();
    expect(marked).toEqual([]); // marked after the round commits (markBlocked), not by the pick

    const deep = await services.db.transaction().execute((trx) => pickHeldPostgres(trx, 4, { skip }));
    expect(deep.rows.map((r) => r.id)).toEqual([next]);
    expect(deep.blocked).toEqual(backlog);
  });
});
