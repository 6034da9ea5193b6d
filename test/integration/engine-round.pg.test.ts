import { afterEach, beforeEach, expect, it } from 'vitest';
import { listMessages } from '../../server/domain/conversations';
import type { Services } from '../../server/services';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { describePg, pgUrl } from '../support/postgres';
import { startTestServer, type TestServer } from '../support/server';
import { roundOfClosings, roundOfComments } from './engine-round-steps';
import { roundWithFailingSteps } from './engine-round-failing-step';

// Queued rounds on PostgreSQL (batch-round.ts, queuedRoundPostgres): the row lock is the claim.
// What a round cannot finish (a failing step rolls it back) must still reach the per-run path.

describePg('runs advanced together on PostgreSQL (queued rounds)', () => {
  let server: TestServer;
  let services: Services;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: pgUrl()! });
    services = server.app.services;
  });
  afterEach(async () => { await server.close(); });

  it('a run whose step fails in a round fails alone with its error; the others in the round complete', async () => {
    await roundWithFailingSteps(services, 12);
  });

  it('lifecycle stage, assignment, close and the survey it starts cost one round trip per run: the close itself', async () => {
    await server.close();
    server = await startTestServer({ databaseUrl: pgUrl()!, workers: false });
    const { roundTrips } = await roundOfClosings(server.app.services, 40);
    // Measured: 1.85 per run (the close's guarded update, and the round's own); 3.75 when the
    // survey's enrolment and run each waited for their insert; 14.5 when besides each step read
    // the settings, the contact, the user or the conversation again, the assignment waited for
    // its update, and the close forgot every conversation the round had read.
    expect(roundTrips).toBeLessThan(2.5);
  });

  it('comment and message steps cost no round trip of their own, but the first response time', async () => {
    await server.close();
    server = await startTestServer({ databaseUrl: pgUrl()!, workers: false });
    const { roundTrips } = await roundOfComments(server.app.services, 40);
    // Measured: 1.5 per run (the first response time, and the round's own pick, reads,
    // checkpoints and commit shared by its runs); 11.35 when each step read its conversation and
    // each message, comment, effect lookup and effect record took a round trip of its own.
    expect(roundTrips).toBeLessThan(2);
  });

  it('a backlog with no deliveries coming in drains in large rounds: few commits per run, each contact in order', async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'n{{$trigger.n}}' } }] }));
    const contacts = await Promise.all(Array.from({ length: 40 }, () => insertContact(services)));
    const before = services.store.counters!.transactions;
    // Committed at once: the worker meets the whole backlog, as after a burst or a restart.
    const ids = await services.db.transaction().execute(async (trx) => {
      const out: string[] = [];
      for (let n = 0; n < 25; n++) {
        for (const { contact, conversation } of contacts) out.push(await insertRun(trx, { workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id, trigger: { n } }));
      }
      return out;
    });
    const started = Date.now();
    services.runSignal.notify();
    for (const id of ids) expect((await waitForRun(services.db, id)).status).toBe('completed');
    const drainMs = Date.now() - started;
    for (const { conversation } of contacts.slice(0, 5)) {
      expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toEqual(Array.from({ length: 25 }, (_, n) => `n${n}`));
    }
    // Transactions per run, the insert's included. Measured: 0.016-0.018 with rounds of up to 256
    // runs while nothing is delivered; 0.036-0.037 with rounds of 64 (their size while deliveries come in).
    // Besides the rounds, the claim path (due waiting runs, expired leases) takes one transaction
    // every 100 ms while rounds run (worker.ts CLAIM_DUE_MS), so a slower machine's drain counts
    // more of them (0.027 and 0.052 in two loaded fresh-clone runs): those are allowed for.
    const claimTicks = Math.ceil(drainMs / 100);
    expect(services.store.counters!.transactions - before - claimTicks).toBeLessThan(0.026 * ids.length);
  });

  it("one contact's backlog arriving while its rounds run: runs in order, no pick loop beside the round", async () => {
    const { contact, conversation } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'n{{$trigger.n}}' } }] }));
    const before = services.store.counters!.statements;
    const ids: string[] = [];
    // Batches as ingestion commits them, each announced: the first round takes the head and
    // chains the rest, while the others (not deep) find only runs behind it.
    for (let b = 0; b < 40; b++) {
      ids.push(...await services.db.transaction().execute(async (trx) => {
        const out: string[] = [];
        for (let i = 0; i < 10; i++) out.push(await insertRun(trx, { workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id, trigger: { n: b * 10 + i } }));
        return out;
      }));
      services.runSignal.notify();
      await new Promise((r) => setTimeout(r, 2));
    }
    for (const id of ids) expect((await waitForRun(services.db, id)).status).toBe('completed');
    expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toEqual(ids.map((_, n) => `n${n}`));
    // Statements per run, the inserts included: 4.1-4.7 now; 6.9-8.4 when a round that took
    // nothing kicked the worker again (an empty pick beside the round in flight, over and over
    // until that round ended).
    expect((services.store.counters!.statements - before) / ids.length).toBeLessThan(5.5);
  });
});
