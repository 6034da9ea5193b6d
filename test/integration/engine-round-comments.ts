import { expect } from 'vitest';
import { getConversation, listMessages } from '../../server/domain/conversations';
import { executeQueuedRound } from '../../server/engine/executor/batch-round';
import type { Services } from '../../server/services';
import { getRun, insertContact, insertRun, insertWorkflow, makeWorkflow } from '../support/builders';

/**
 * Run rounds (no worker running: the test takes them) of `count` runs on as many contacts,
 * each a comment, a message (built-in inbox) and a comment. Every comment and message lands once,
 * in order, on its contact's conversation, and the message is the conversation's first response.
 * Returns the store's statements and round trips (PostgreSQL) per run in the round, for the
 * caller to hold to its dialect's budget. Shared by the SQLite and PostgreSQL round tests.
 */
export async function roundOfComments(services: Services, count: number): Promise<{ statements: number; roundTrips: number }> {
  const contacts: Awaited<ReturnType<typeof insertContact>>[] = [];
  for (let i = 0; i < count; i++) contacts.push(await insertContact(services, { firstName: `C${i}` }));
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
    { id: 'a', type: 'add_comment', config: { text: 'a {{$trigger.n}}' } },
    { id: 'hi', type: 'send_message', config: { text: 'Hello {{$trigger.n}}' } },
    { id: 'b', type: 'add_comment', config: { text: 'b {{$trigger.n}}' } },
  ] }));
  const ids = await services.db.transaction().execute(async (trx) => {
    const out: string[] = [];
    for (const [n, c] of contacts.entries()) out.push(await insertRun(trx, { workflowId: wf.id, contactId: c.contact.id, conversationId: c.conversation!.id, trigger: { n } }));
    return out;
  });
  const counters = services.store.counters!;
  const before = { statements: counters.statements, roundTrips: counters.roundTrips ?? 0 };
  // Rounds until none is left (a PostgreSQL round may take fewer than asked).
  let done = 0;
  for (let round = 0; done < count && round < count; round++) {
    const results = await executeQueuedRound({ services, owner: 'test-instance', stopping: () => false }, count, 60_000);
    if (!Array.isArray(results)) break;
    done += results.length;
  }
  const used = { statements: (counters.statements - before.statements) / count, roundTrips: ((counters.roundTrips ?? 0) - before.roundTrips) / count };
  expect(done).toBe(count);
  for (const [n, { conversation }] of contacts.entries()) {
    expect((await getRun(services.db, ids[n]!)).status).toBe('completed');
    const messages = await listMessages(services.db, conversation!.id);
    expect(messages.map((m) => `${m.kind}:${m.text}`)).toEqual([`comment:a ${n}`, `message:Hello ${n}`, `comment:b ${n}`]);
    expect((await getConversation(services.db, conversation!.id)).firstResponseAt).toBe(messages[1]!.createdAt);
  }
  return used;
}
