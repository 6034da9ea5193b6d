import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { listMessages } from '../../server/domain/conversations';
import { executeQueuedRound, type QueuedPick } from '../../server/engine/executor/batch-round';
import type { PairTail } from '../../server/engine/executor/round-prefetch';
import { nextOfPairs, takeNextOfPairs } from '../../server/engine/executor/run-queue';
import type { Services } from '../../server/services';
import { insertContact, insertRun, insertWorkflow, makeWorkflow } from '../support/builders';
import { describePg, eachPgServer } from '../support/postgres';

// What PostgreSQL spends on planning and joining a round's take, counted in plans and in rows the
// executor compared (EXPLAIN ANALYZE), not in time: one contact's rounds run one after another,
// so each round's database work is added to every run's wait.

const POOL = 3;

interface PlanNode { 'Rows Removed by Join Filter'?: number; Plans?: PlanNode[] }
const joinFiltered = (node: PlanNode): number => (node['Rows Removed by Join Filter'] ?? 0) + (node.Plans ?? []).reduce((sum, child) => sum + joinFiltered(child), 0);

describePg('PostgreSQL: a round\'s take and release cost the same whatever the statistics, and are planned once', () => {
  let services: Services;
  const restart = eachPgServer((server) => { services = server.app.services; });

  const oneContact = async () => {
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'n{{$trigger.n}}' } }] }));
    const { contact, conversation } = await insertContact(services);
    return { wf, contact, conversation: conversation! };
  };

  it('a take of 256 runs with statistics taken at rest reads each run once, not against every other candidate', async () => {
    const { wf, contact } = await oneContact();
    // Statistics taken while every run had ended (runs_unfinished looks empty), then a burst.
    await services.db.transaction().execute(async (trx) => {
      const ids: string[] = [];
      for (let n = 0; n < 600; n++) ids.push(await insertRun(trx, { workflowId: wf.id, contactId: contact.id }));
      await trx.updateTable('runs').set({ status: 'completed', ended_at: new Date().toISOString() }).where('id', 'in', ids).execute();
    });
    await sql`ANALYZE runs`.execute(services.db);
    const backlog = await services.db.transaction().execute(async (trx) => {
      const out: string[] = [];
      for (let n = 0; n < 1000; n++) out.push(await insertRun(trx, { workflowId: wf.id, contactId: contact.id }));
      return out;
    });
    await services.db.updateTable('runs').set({ status: 'completed' }).where('id', '=', backlog[0]!).execute();
    const ended = [{ id: backlog[0]!, workflowId: wf.id, contactId: contact.id }];
    const { taken, filtered } = await services.db.transaction().execute(async (trx) => {
      // The statement itself, run: its locks are this transaction's, so the take below gets the same runs.
      const { rows: [plan] } = await sql<{ 'QUERY PLAN': { Plan: PlanNode }[] }>`EXPLAIN (ANALYZE, FORMAT JSON) ${nextOfPairs(ended, 256, 256)}`.execute(trx);
      return { taken: await takeNextOfPairs(trx, ended, 256, 256), filtered: joinFiltered(plan!['QUERY PLAN'][0]!.Plan) };
    });
    expect(taken.map((r) => r.id)).toEqual(backlog.slice(1, 257));
    // Measured before: a nested loop comparing each run with every candidate, 65,280 rows filtered
    // (256 × 255; ~55 ms against ~1 ms read by id).
    expect(filtered).toBeLessThan(256);
  });

  it('one contact\'s backlog, round after round: its take and its release each get one plan per connection, and every run runs once, in order', async () => {
    await restart({ workers: false, poolSize: POOL });
    const { wf, contact, conversation } = await oneContact();
    const ids = await services.db.transaction().execute(async (trx) => {
      const out: string[] = [];
      for (let n = 0; n < 400; n++) out.push(await insertRun(trx, { workflowId: wf.id, contactId: contact.id, conversationId: conversation.id, trigger: { n } }));
      return out;
    });
    const env = { services, owner: 'test-instance', stopping: () => false };
    let after: PairTail[] | undefined;
    let rounds = 0;
    for (;;) {
      let cut: PairTail[] = [];
      const pick: QueuedPick = { picked: () => {}, after, cut: (pairs) => { cut = pairs; } };
      const results = await executeQueuedRound(env, 32, 60_000, pick);
      if (results === 'none') break;
      rounds++;
      after = cut.length > 0 ? cut : undefined;
      if (!after) break;
    }
    expect(rounds).toBeGreaterThanOrEqual(12);
    expect((await listMessages(services.db, conversation.id)).map((m) => m.text)).toEqual(ids.map((_, n) => `n${n}`));

    // Every pooled connection's prepared statements: each transaction keeps its connection until all have read.
    let arrived = 0;
    let all!: () => void;
    const together = new Promise<void>((resolve) => { all = resolve; });
    const counts = await Promise.all(Array.from({ length: POOL }, () => services.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ take: string; release: string }>`SELECT
          coalesce(sum(custom_plans) FILTER (WHERE statement LIKE '%FOR UPDATE OF c%' AND statement LIKE '%cj AS MATERIALIZED%'), 0) AS take,
          coalesce(sum(custom_plans) FILTER (WHERE statement LIKE '%UPDATE runs SET blocked = 0 FROM (%'), 0) AS release
        FROM pg_prepared_statements`.execute(trx);
      if (++arrived === POOL) all();
      await together;
      return { take: Number(rows[0]!.take), release: Number(rows[0]!.release) };
    })));
    const custom = counts.reduce((a, c) => ({ take: a.take + c.take, release: a.release + c.release }), { take: 0, release: 0 });
    // Measured before: a plan made for every round's take and release (12 rounds: 12 and 12), as
    // PostgreSQL sizes the pairs' arrays it is given and the generic plan always looked costlier.
    expect(custom).toEqual({ take: 0, release: 0 });
  });
});
