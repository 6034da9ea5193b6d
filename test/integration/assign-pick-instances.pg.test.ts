import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createUser } from '../../server/domain/users';
import type { RunningServer } from '../../server/server';
import { insertContact, insertRun, insertWorkflow, makeWorkflow } from '../support/builders';
import { describePg, pgInstances } from '../support/postgres';

const PER_USER = 20;

/** Until each instance has read the other's beat (engine_peers), so both execute their share of the contacts at once. */
async function peersKnown(a: RunningServer, b: RunningServer) {
  const seen = async () => new Map((await sql<{ id: string; seen_ms: string }>`SELECT id, seen_ms FROM engine_peers`.execute(a.app.services.db)).rows.map((r) => [r.id, Number(r.seen_ms)]));
  const ids = [a.config.instanceId, b.config.instanceId];
  const until = Date.now() + 20_000;
  const waitFor = async (done: (rows: Map<string, number>) => boolean) => {
    for (;;) {
      const rows = await seen();
      if (done(rows)) return rows;
      if (Date.now() > until) throw new Error('the instances never saw each other');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const both = await waitFor((rows) => ids.every((id) => rows.has(id)));
  const moved = await waitFor((rows) => ids.every((id) => rows.get(id)! > both.get(id)!));
  await waitFor((rows) => ids.every((id) => rows.get(id)! > moved.get(id)!));
}

describePg('Assign to round robin and least open shared by two instances on PostgreSQL', () => {
  const instances = pgInstances(2, { poolSize: 4, listen: false });

  it.each([
    ['round_robin', 'hands the turns out fairly when both instances assign at once: no user skipped or given twice in a row'],
    ['least_open', 'spreads the conversations evenly when both instances pick at once (the step\'s row is locked while one counts)'],
  ] as const)('%s %s', async (pick, _what) => {
    const [a, b] = instances as [RunningServer, RunningServer];
    const services = a.app.services;
    await peersKnown(a, b);
    const users: string[] = [];
    for (const name of ['Ana', 'Bo', 'Cy']) users.push((await createUser(services.db, { name, email: `${name.toLowerCase()}.${pick}@example.com`, role: 'agent' })).user.id);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'assign', type: 'assign_to', config: { pick, userIds: users } }] }));
    const made: Awaited<ReturnType<typeof insertContact>>[] = [];
    for (let i = 0; i < PER_USER * users.length; i++) made.push(await insertContact(services, { firstName: `C${i}` }));
    const conversations = made.map((m) => m.conversation!.id);
    await services.db.transaction().execute(async (trx) => {
      for (const { contact, conversation } of made) await insertRun(trx, { workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id });
    });
    a.app.services.runSignal.notify();
    b.app.services.runSignal.notify();
    const until = Date.now() + 60_000;
    for (;;) {
      const { n } = await services.db.selectFrom('runs').select((eb) => eb.fn.countAll<string>().as('n')).where('workflow_id', '=', wf.id).where('status', 'in', ['completed', 'failed']).executeTakeFirstOrThrow();
      if (Number(n) === conversations.length) break;
      if (Date.now() > until) throw new Error(`only ${n} runs ended`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const runs = await services.db.selectFrom('runs').select(['status', 'lease_owner', 'step_log']).where('workflow_id', '=', wf.id).execute();
    expect(runs.filter((r) => r.status !== 'completed')).toEqual([]);
    expect(new Set(runs.map((r) => r.lease_owner)).size, 'both instances took runs').toBe(2);
    const assigned = await services.db.selectFrom('conversations').select('assignee_id').where('id', 'in', conversations).execute();
    const counts = users.map((u) => assigned.filter((c) => c.assignee_id === u).length);
    expect(counts).toEqual(users.map(() => PER_USER));
    if (pick !== 'round_robin') return;
    // The turns, in the order they were taken, go round the list without a gap.
    const reasons = runs.map((r) => (JSON.parse(r.step_log) as { output: { picked: { reason: string } } }[])[0]!.output.picked.reason);
    expect(reasons.filter((r) => r === 'First in turn: Ana')).toHaveLength(1);
    for (const [after, next] of [['Ana', 'Bo'], ['Bo', 'Cy'], ['Cy', 'Ana']]) {
      expect(reasons.filter((r) => r === `Next in turn after ${after}: ${next}`)).toHaveLength(next === 'Ana' ? PER_USER - 1 : PER_USER);
    }
  });
});
