import { expect, it } from 'vitest';
import { listMessages } from '../../server/domain/conversations';
import { executeQueuedRound, type QueuedPick } from '../../server/engine/executor/batch-round';
import type { PairTail } from '../../server/engine/executor/round-prefetch';
import type { Services } from '../../server/services';
import { insertContact, insertRun, insertWorkflow, makeWorkflow } from '../support/builders';
import { describePg, eachPgServer } from '../support/postgres';

// A PostgreSQL round whose budget stops a pair's chain (one contact's backlog) reports the pair;
// once it has committed, the next round goes on with it: no pick, its next runs taken with its
// contact (prefetchRoundFollowing), in two round trips instead of three.

describePg('PostgreSQL rounds that go on with the pairs the round before left at its budget', () => {
  let services: Services;
  const restart = eachPgServer((server) => { services = server.app.services; });

  const env = () => ({ services, owner: 'test-instance', stopping: () => false });
  const backlog = async (count: number, workflow?: { id: string }) => {
    const wf = workflow ?? await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'n{{$trigger.n}}' } }] }));
    const { contact, conversation } = await insertContact(services);
    const ids = await services.db.transaction().execute(async (trx) => {
      const out: string[] = [];
      for (let n = 0; n < count; n++) out.push(await insertRun(trx, { workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id, trigger: { n } }));
      return out;
    });
    return { wf, contact, conversation: conversation!, ids };
  };
  const round = async (limit: number, after?: PairTail[]) => {
    let cut: PairTail[] = [];
    const pick: QueuedPick = { picked: () => {}, after, cut: (pairs) => { cut = pairs; } };
    const before = services.store.counters!.roundTrips!;
    const results = await executeQueuedRound(env(), limit, 60_000, pick);
    return { results, cut, roundTrips: services.store.counters!.roundTrips! - before };
  };
  const statuses = async (ids: string[]) => (await services.db.selectFrom('runs').select(['id', 'status']).where('id', 'in', ids).orderBy('id').execute()).map((r) => r.status);

  it('goes on with a backlog in order, two round trips a round, and reports no pair once its backlog is done', async () => {
    const { wf, contact, conversation, ids } = await backlog(150);
    const first = await round(16);
    expect(Array.isArray(first.results) && first.results.map((r) => r.id)).toEqual(ids.slice(0, 16));
    // The budget stopped the chain at its 16th run, which ended: the pair goes on from there.
    expect(first.cut).toEqual([{ id: ids[15], workflowId: wf.id, contactId: contact.id }]);
    let after = first.cut;
    const perRound: number[] = [];
    for (let r = 1; r < 9; r++) {
      const next = await round(16, after);
      expect(Array.isArray(next.results) && next.results.map((x) => x.id)).toEqual(ids.slice(r * 16, r * 16 + 16));
      expect(next.cut).toEqual([{ id: ids[r * 16 + 15], workflowId: wf.id, contactId: contact.id }]);
      perRound.push(next.roundTrips);
      after = next.cut;
    }
    // Measured once the pool's connections are warm: 2 (the take with the contact, and the COMMIT
    // with the checkpoints); a round that picks its head first costs 3.
    expect(perRound.slice(3).sort((a, b) => a - b)[0]).toBe(2);
    expect(perRound.slice(3).sort((a, b) => a - b)[2]).toBe(2);
    // Six runs left: all taken, and the chain ended before the budget did, so nothing to go on with.
    const last = await round(16, after);
    expect(Array.isArray(last.results) && last.results.map((x) => x.id)).toEqual(ids.slice(144));
    expect(last.cut).toEqual([]);
    expect(await round(16, last.cut.length ? last.cut : after)).toMatchObject({ results: 'none' });
    expect(await statuses(ids)).toEqual(ids.map(() => 'completed'));
    expect((await listMessages(services.db, conversation.id)).map((m) => m.text)).toEqual(ids.map((_, n) => `n${n}`));
  });

  it('takes nothing while the pair\'s next run is held elsewhere, and never a run behind it', async () => {
    const { ids } = await backlog(40);
    const first = await round(8);
    expect(first.cut).toHaveLength(1);
    // Another transaction (a pick of another round, a mark) holds the next run: going on would run
    // the ones behind it first.
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => { locked = r; });
    const holder = services.db.transaction().execute(async (trx) => {
      await trx.selectFrom('runs').select('id').where('id', '=', ids[8]!).forUpdate().execute();
      locked();
      await held;
    });
    await isLocked;
    expect(await round(8, first.cut)).toMatchObject({ results: 'none' });
    expect(await statuses(ids.slice(8))).toEqual(ids.slice(8).map(() => 'queued'));
    release();
    await holder;
    const next = await round(8, first.cut);
    expect(Array.isArray(next.results) && next.results.map((x) => x.id)).toEqual(ids.slice(8, 16));
  });

  it('the worker drains one contact\'s backlog going on from round to round: fewer round trips per run, in order', async () => {
    await restart({ workers: true });
    const { conversation, ids } = await backlog(6000);
    const before = services.store.counters!.roundTrips!;
    services.runSignal.notify();
    // Polled by count (each poll a round trip of its own, taken off below).
    let polls = 0;
    for (;;) {
      polls++;
      const { n } = await services.db.selectFrom('runs').select((eb) => eb.fn.countAll<string>().as('n')).where('id', 'in', ids).where('status', '=', 'completed').executeTakeFirstOrThrow();
      if (Number(n) === ids.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const perRun = (services.store.counters!.roundTrips! - before - polls) / ids.length;
    expect((await listMessages(services.db, conversation.id)).map((m) => m.text)).toEqual(ids.map((_, n) => `n${n}`));
    // Measured (rounds of 256 runs, the worker's claims and beats beside them): 0.014-0.017 on a
    // quiet machine; 0.029-0.032 when each round picked its head, and a pick beside it found that
    // head held. Under load more picks meet a held head: 0.0233 beside a CPU hog, and 0.019-0.027
    // (six runs, 2026-12-07) beside a fresh-clone CI, whose own run of this test went over the bound of 0.026.
    // So the bound is at the low end of what picking each head cost on a quiet machine.
    expect(perRun).toBeLessThan(0.03);
  });

  it('a quiet contact\'s run is not queued behind hot contacts\' backlogs that keep growing while rounds go on with them', async () => {
    await restart({ workers: true });
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'n{{$trigger.n}}' } }] }));
    const completed = async (ids: string[]) => Number((await services.db.selectFrom('runs').select((eb) => eb.fn.countAll<string>().as('n'))
      .where('id', 'in', ids).where('status', '=', 'completed').executeTakeFirstOrThrow()).n);
    const add = async (contactId: string, count: number) => services.db.transaction().execute(async (trx) => {
      const out: string[] = [];
      for (let n = 0; n < count; n++) out.push(await insertRun(trx, { workflowId: wf.id, contactId, trigger: { n } }));
      return out;
    });
    // Four contacts' backlogs, each arriving once the one before is moving: each is picked by a
    // round of its own, so each could go on in a slot of its own, all four of them.
    const hot: string[] = [];
    for (let h = 0; h < 4; h++) {
      const { contact } = await insertContact(services);
      hot.push(contact.id);
      const ids = await add(contact.id, 1000);
      services.runSignal.notify();
      while (await completed(ids) === 0) await new Promise((r) => setTimeout(r, 5));
    }
    const quiet = (await insertContact(services)).contact;
    const [single] = await add(quiet.id, 1);
    services.runSignal.notify();
    // The hot contacts keep sending: their backlogs never run out while the quiet one waits.
    const younger: string[] = [];
    for (let b = 0; ; b++) {
      const run = await services.db.selectFrom('runs').select('status').where('id', '=', single!).executeTakeFirstOrThrow();
      if (run.status === 'completed' || b === 400) break;
      for (const c of hot) younger.push(...await add(c, 10));
      services.runSignal.notify();
      await new Promise((r) => setTimeout(r, 5));
    }
    // Measured: done within 40-120 of the hot contacts' later runs (the build before going on
    // from round to round: 80). The slot left to picks is a bound; in this test the rounds
    // going on did not fill every slot even without it.
    expect((await services.db.selectFrom('runs').select('status').where('id', '=', single!).executeTakeFirstOrThrow()).status).toBe('completed');
    expect(younger.length).toBeLessThan(1000);
  });
});
