import { expect } from 'vitest';
import { listMessages } from '../../server/domain/conversations';
import type { Services } from '../../server/services';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';

/**
 * Runs of two comment steps on as many contacts, queued together so that rounds take many at
 * once. Every comment lands once, in order, on its contact's conversation; returns the store's
 * statements and round trips (PostgreSQL) per run, for the caller to hold to its dialect's budget.
 * Shared by the SQLite and PostgreSQL round tests.
 */
export async function roundOfComments(services: Services, count: number): Promise<{ statements: number; roundTrips: number }> {
  const contacts: Awaited<ReturnType<typeof insertContact>>[] = [];
  for (let i = 0; i < count; i++) contacts.push(await insertContact(services, { firstName: `C${i}` }));
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
    { id: 'a', type: 'add_comment', config: { text: 'a {{$trigger.n}}' } },
    { id: 'b', type: 'add_comment', config: { text: 'b {{$trigger.n}}' } },
  ] }));
  const ids = await services.db.transaction().execute(async (trx) => {
    const out: string[] = [];
    for (const [n, c] of contacts.entries()) out.push(await insertRun(trx, { workflowId: wf.id, contactId: c.contact.id, conversationId: c.conversation!.id, trigger: { n } }));
    return out;
  });
  const counters = services.store.counters!;
  const before = { statements: counters.statements, roundTrips: counters.roundTrips ?? 0 };
  services.runSignal.notify();
  // Rounds take the runs oldest first: once the last has ended the others have (checked below).
  // Counted then, before the checks' own reads.
  await waitForRun(services.db, ids.at(-1)!, ['completed', 'failed', 'cancelled'], 20_000);
  const used = { statements: (counters.statements - before.statements) / count, roundTrips: ((counters.roundTrips ?? 0) - before.roundTrips) / count };
  const runs = await Promise.all(ids.map((id) => waitForRun(services.db, id, ['completed', 'failed', 'cancelled'], 20_000)));
  expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'completed'));
  for (const [n, { conversation }] of contacts.entries()) {
    const messages = await listMessages(services.db, conversation!.id);
    expect(messages.map((m) => `${m.kind}:${m.text}`)).toEqual([`comment:a ${n}`, `comment:b ${n}`]);
  }
  return used;
}
