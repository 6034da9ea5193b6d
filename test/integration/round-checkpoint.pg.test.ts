import { expect, it } from 'vitest';
import { executeQueuedRound } from '../../server/engine/executor/batch-round';
import { checkpointMany } from '../../server/engine/executor/checkpoint-many';
import { inTransaction } from '../../server/events/unit-of-work';
import type { Services } from '../../server/services';
import { insertContact, insertRun, insertWorkflow, makeWorkflow } from '../support/builders';
import { describePg, eachPgServer } from '../support/postgres';

// PostgreSQL queued rounds write their checkpoints with the COMMIT (checkpointMany, deferred):
// the round holds every run it took locked, so nobody waits for that write's answer. And they
// take the heads' next runs with the heads' contacts (prefetchRoundTaking).

describePg('a PostgreSQL queued round\'s checkpoints go out with its COMMIT', () => {
  let services: Services;
  eachPgServer((server) => { services = server.app.services; });

  const statusOf = async (id: string) => (await services.db.selectFrom('runs').select(['status', 'step_log']).where('id', '=', id).executeTakeFirstOrThrow());

  it('one contact\'s backlog moves a whole round in three round trips: pick, contacts with the next runs, commit', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'n{{$trigger.n}}' } }] }));
    const { contact, conversation } = await insertContact(services);
    const ids: string[] = [];
    for (let n = 0; n < 200; n++) ids.push(await insertRun(services.db, { workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id, trigger: { n } }));
    const env = { services, owner: 'test-instance', stopping: () => false };
    const perRound: number[] = [];
    // Several rounds: a statement is deferred only once it is prepared on its connection (the first rounds warm the pool).
    for (let r = 0; r < 12; r++) {
      const before = services.store.counters!.roundTrips!;
      const results = await executeQueuedRound(env, 16, 60_000, { picked: () => {} });
      expect(Array.isArray(results) && results.every((x) => x.status === 'completed')).toBe(true);
      expect(results).toHaveLength(16);
      perRound.push(services.store.counters!.roundTrips! - before);
    }
    // Measured once warm: 3 (one more now and then: a connection of the pool not warm yet); 4
    // when the next runs were taken after the first pass, 5-6 when besides the checkpoints were a
    // round trip of their own before the COMMIT.
    const warm = perRound.slice(4).sort((a, b) => a - b);
    expect(warm[0]).toBe(3);
    expect(warm[Math.floor(warm.length / 2)]).toBe(3);
    // Written, in order, each run once.
    const done = await services.db.selectFrom('runs').select(['id', 'status', 'ended_at']).where('id', 'in', ids.slice(0, 192)).orderBy('id').execute();
    expect(done.map((r) => r.status)).toEqual(done.map(() => 'completed'));
    expect(done.map((r) => r.ended_at)).toEqual(done.map((r) => r.ended_at).sort());
    expect((await statusOf(ids[199]!)).status).toBe('queued');
  });

  it('a checkpoint that would miss a run fails the COMMIT: nothing of the round is written', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] }));
    const { contact } = await insertContact(services);
    const write = (ids: string[]) => inTransaction(services.db, async (uow) => {
      await checkpointMany(uow, services, 'test-instance', ids.map((id) => ({
        fence: { id, workflowId: wf.id, contactId: contact.id, owner: 'test-instance', attempts: 1 },
        next: { cursor: 1, variables: {}, stepLog: [], jumps: 0, status: 'completed' as const },
      })), () => {}, { leaseUntil: new Date(Date.now() + 60_000).toISOString() }, { deferred: true });
    });
    // Warm: the statement is prepared on the pool's connections, so later calls are deferred.
    for (let i = 0; i < 12; i++) await write([await insertRun(services.db, { workflowId: wf.id, contactId: contact.id })]);
    const queued = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
    // Ended meanwhile (as a run no longer held would be): the write must not count it.
    const gone = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
    await services.db.updateTable('runs').set({ status: 'completed' }).where('id', '=', gone).execute();
    for (let i = 0; i < 4; i++) {
      await expect(write([queued, gone])).rejects.toThrow(/wrote 1 of 2 runs/);
      expect((await statusOf(queued)).status).toBe('queued');
    }
    await write([queued]);
    expect((await statusOf(queued)).status).toBe('completed');
  });
});
