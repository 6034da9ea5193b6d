import { expect } from 'vitest';
import { LaunchResult } from '../../lib/contracts/shortcuts';
import { addMessage, listMessages } from '../../server/domain/conversations';
import { inTransaction } from '../../server/events/unit-of-work';
import { claimHeads } from '../../server/engine/executor/claim';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, queueRuns, waitForRun } from '../support/builders';
import type { TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow, shortcutWorkflow } from './engine-support';

// Runs someone is waiting on (an agent's shortcut) go ahead of a backlog queued before them: by
// the queue's order they would wait for all of it (a 20,000-webhook burst: 1.7 s on SQLite, 3 s
// on PostgreSQL, measured), while the backlog itself keeps each contact's order.

/** `perContact` queued runs for each of `contacts` contacts, inserted as ingestion would (contacts in turn), then the executor told. */
export async function queueBacklog(server: Pick<TestServer, 'app'>, contacts: number, perContact: number) {
  const services = server.app.services;
  const backlog = await queueRuns(services, contacts, perContact,
    [1, 2, 3].map((i) => ({ id: `c${i}`, type: 'add_comment' as const, config: { text: `n{{$trigger.n}}.${i}` } })));
  services.runSignal.notify();
  return backlog;
}

export const endedAt = async (server: Pick<TestServer, 'app'>, ids: string[]) =>
  (await server.app.services.db.selectFrom('runs').select(['id', 'status', 'ended_at']).where('id', 'in', ids).execute());

/**
 * Queues the backlog, then `launch` (which answers the id of the run someone waits on); returns
 * once the backlog is done, with how many backlog runs had ended before that run did. Checks
 * that each backlog contact's runs still ran in order, each once.
 */
export async function behindBacklog(server: Pick<TestServer, 'app'>, backlog: { contacts: number; perContact: number }, launch: () => Promise<string>) {
  const queued = await queueBacklog(server, backlog.contacts, backlog.perContact);
  const runId = await launch();
  const end = await waitFor('the run someone waits on to complete', async () => {
    const [run] = await endedAt(server, [runId]);
    return run?.status === 'completed' ? run.ended_at! : undefined;
  }, 30_000);
  const backlogRuns = await waitFor('the backlog to complete', async () => {
    const rows = await endedAt(server, queued.ids);
    return rows.every((r) => r.status === 'completed') ? rows : undefined;
  }, 60_000);
  for (const { conversation: c } of queued.made) {
    const texts = (await listMessages(server.app.services.db, c!.id)).map((m) => m.text).filter((t) => t.startsWith('n'));
    expect(texts).toEqual(Array.from({ length: backlog.perContact }, (_, n) => [1, 2, 3].map((i) => `n${n}.${i}`)).flat());
  }
  return { runId, endedBefore: backlogRuns.filter((r) => r.ended_at! < end).length, backlog: queued.ids.length };
}

/** behindBacklog with an agent launching a shortcut on a contact of its own. */
export async function shortcutBehindBacklog(server: TestServer, backlog: { contacts: number; perContact: number }) {
  const { token } = await server.createUser('agent');
  const shortcut = await createWorkflow(server, shortcutWorkflow());
  const { conversation } = await insertContact(server.app.services);
  const result = await behindBacklog(server, backlog, async () => {
    const launched = await server.api(token).post(`/shortcuts/${shortcut.id}/launch`, { conversationId: conversation!.id, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    return LaunchResult.parse(launched.body).runId;
  });
  expect((await listMessages(server.app.services.db, conversation!.id)).map((m) => m.text)).toContain('Refund');
  return result;
}

/**
 * behindBacklog with a customer answering an Ask a Question step: the run waiting on it is woken
 * by the reply (a due waiting run, which every claim takes before queue heads, oldest first), so
 * the next message reaches the customer without waiting for the backlog.
 */
export async function answerBehindBacklog(server: Pick<TestServer, 'app'>, backlog: { contacts: number; perContact: number }) {
  const services = server.app.services;
  const { contact, conversation } = await insertContact(services);
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
    { id: 'ask', type: 'ask_question', config: { question: 'Email?', answerType: 'email', saveToVariable: 'email' } },
    { id: 'after', type: 'add_comment', config: { text: 'email={{$step.email}}' } },
  ] }));
  const asked = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id });
  services.runSignal.notify();
  await waitForRun(services.db, asked, ['waiting']);
  const result = await behindBacklog(server, backlog, async () => {
    await inTransaction(services.db, (uow) => addMessage(uow, services, conversation!.id, {
      text: 'Ada@Example.com', direction: 'incoming', kind: 'message', author: { type: 'contact', id: null },
    }, { source: 'contact' }));
    return asked;
  });
  expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toEqual(['Email?', 'Ada@Example.com', 'email=ada@example.com']);
  return result;
}

/**
 * The express claim of a waiting run (a question just answered): while its time has not come
 * (`early`), and once it is due (`due`): [id, status] of what each claim took. Needs a server
 * without a worker (nothing else claims the run meanwhile).
 */
export async function claimDueWaiting(server: TestServer) {
  const services = server.app.services;
  const shortcut = await createWorkflow(server, shortcutWorkflow());
  const { contact } = await insertContact(services);
  const asked = await insertRun(services.db, { workflowId: shortcut.id, contactId: contact.id, status: 'waiting', wakeAt: '2999-01-01T00:00:00.000Z' });
  const now = new Date();
  const request = { owner: 'me', now: now.toISOString(), leaseUntil: new Date(now.getTime() + 60_000).toISOString(), limit: 1 };
  const taken = async () => (await claimHeads(services.store, request, [asked], { only: true })).map((r) => [r.id, r.status]);
  const early = await taken();
  await services.db.updateTable('runs').set({ wake_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', asked).execute();
  return { early, due: await taken(), asked };
}

/**
 * behindBacklog with an agent's shortcut whose run starts another workflow (Trigger another
 * workflow) and, in that one, tags the contact for a third workflow listening for the tag: the
 * agent waits on the end of that chain. Returns the last link's figures.
 */
export async function chainBehindBacklog(server: TestServer, backlog: { contacts: number; perContact: number }) {
  const services = server.app.services;
  const { token } = await server.createUser('agent');
  const tagged = await createWorkflow(server, {
    name: 'Escalated', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['escalated'] },
    steps: [{ id: 'note', type: 'add_comment', config: { text: 'Billing will call you' } }],
  });
  const manual = await createWorkflow(server, {
    name: 'Escalate', trigger: { type: 'manual' },
    steps: [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['escalated'] } }],
  });
  const shortcut = await createWorkflow(server, shortcutWorkflow({ steps: [{ id: 'start', type: 'trigger_workflow', config: { workflowId: manual.id } }] }));
  const { contact, conversation } = await insertContact(services);
  const result = await behindBacklog(server, backlog, async () => {
    const launched = await server.api(token).post(`/shortcuts/${shortcut.id}/launch`, { conversationId: conversation!.id, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    return waitFor('the last workflow of the chain to be started', async () =>
      (await services.db.selectFrom('runs').select('id').where('workflow_id', '=', tagged.id).where('contact_id', '=', contact.id).executeTakeFirst())?.id, 30_000);
  });
  expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toContain('Billing will call you');
  return result;
}
