import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getContact } from '../../server/domain/contacts';
import { listMessages } from '../../server/domain/conversations';
import { upsertField } from '../../server/domain/fields';
import { writeTriggerIndex } from '../../server/engine/dispatch/trigger-index';
import type { Services } from '../../server/services';
import { getRun, insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';
import { roundOfClosings, roundOfComments } from './engine-round-steps';
import { roundWithFailingSteps } from './engine-round-failing-step';

// Group commit of runs (server/engine/executor/batch-round.ts): many queued runs advance in one
// transaction, and what each run does is exactly what it did alone.

let server: TestServer;
let services: Services;
beforeEach(async () => {
  server = await startTestServer();
  services = server.app.services;
});
afterEach(async () => { await server.close(); });

/** Queues runs in ONE transaction, so the worker finds them all at once. */
async function queue(runs: { workflowId: string; contactId: string; conversationId?: string | null; trigger?: Record<string, unknown> }[]) {
  const ids = await services.db.transaction().execute(async (trx) => {
    const out: string[] = [];
    for (const r of runs) out.push(await insertRun(trx, r));
    return out;
  });
  services.runSignal.notify();
  return ids;
}

describe('runs advanced together (group commit)', () => {
  it('60 three-step runs over 20 contacts: each step once, in order per contact, in far fewer transactions than steps', async () => {
    const contacts: Awaited<ReturnType<typeof insertContact>>[] = [];
    for (let i = 0; i < 20; i++) contacts.push(await insertContact(services, { firstName: `C${i}` }));
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'a', type: 'add_comment', config: { text: 'a {{$trigger.n}}' } },
      { id: 'b', type: 'update_contact_tag', config: { action: 'add', tags: ['seen'] } },
      { id: 'c', type: 'add_comment', config: { text: 'c {{$trigger.n}}' } },
    ] }));
    const before = services.store.counters!.transactions;
    const ids = await queue(Array.from({ length: 60 }, (_, n) => ({
      workflowId: wf.id, contactId: contacts[n % 20]!.contact.id, conversationId: contacts[n % 20]!.conversation!.id, trigger: { n },
    })));
    const runs = await Promise.all(ids.map((id) => waitForRun(services.db, id)));
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect(runs.every((r) => r.stepLog.map((e) => e.stepId).join() === 'a,b,c')).toBe(true);
    // Alone, each step is a transaction (180 here) plus claims; together a round holds many runs.
    expect(services.store.counters!.transactions - before).toBeLessThan(40);
    for (let i = 0; i < 20; i++) {
      const { contact, conversation } = contacts[i]!;
      const texts = (await listMessages(services.db, conversation!.id)).map((m) => m.text);
      // Runs of one contact in one workflow do not interleave: a,c of run n before those of n+20.
      expect(texts).toEqual([i, i + 20, i + 40].flatMap((n) => [`a ${n}`, `c ${n}`]));
      expect((await getContact(services.db, contact.id)).tags).toEqual(['seen']);
    }
  });

  it('lifecycle stage, assignment and close read no settings, contact, user or conversation of their own', async () => {
    await server.close();
    server = await startTestServer({ workers: false });
    const { statements } = await roundOfClosings(server.app.services, 40);
    // Measured: 6.4 per run (the assignment's and the close's updates and their activity lines,
    // the survey's enrolment and run, and a share of the round's; 4.4 before the lines); 14.3
    // when each step read the settings, the contact, the user or the conversation again.
    expect(statements).toBeLessThan(7.25);
  });

  it("comment and message steps read no conversation of their own and look up no earlier effect (the run never ran)", async () => {
    await server.close();
    server = await startTestServer({ workers: false });
    const { statements } = await roundOfComments(server.app.services, 40);
    // Measured: 5.25 per run (three inserts, the first response time, the effect's record and a
    // share of the round's); 11.2 when each step read its conversation (and again after the
    // first response time forgot them all) and the message's effect was looked up first.
    expect(statements).toBeLessThan(6.5);
  });

  it('a run whose step fails in a round fails alone with its error; the others in the round complete', async () => {
    await roundWithFailingSteps(services, 10);
  });

  it('a wait in a round parks the run with the steps before it committed; it resumes and finishes later', async () => {
    const { contact, conversation } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['before'] } },
      { id: 'wait', type: 'wait', config: { seconds: 1 } },
      { id: 'note', type: 'add_comment', config: { text: 'after the wait' } },
    ] }));
    const [id] = await queue([{ workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id }]);
    const waiting = await waitForRun(services.db, id!, ['waiting']);
    expect(waiting.stepLog.map((e) => e.stepId)).toEqual(['tag', 'wait']);
    const run = await waitForRun(services.db, id!);
    expect(run.status).toBe('completed');
    expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toEqual(['after the wait']);
    expect((await getRun(services.db, id!)).stepLog.map((e) => e.stepId)).toEqual(['tag', 'wait', 'note']);
  });

  it('a run whose wait is over resumes on time while new runs keep arriving (queued rounds do not starve it)', async () => {
    const { contact, conversation } = await insertContact(services);
    const waiter = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'wait', type: 'wait', config: { seconds: 1 } },
      { id: 'note', type: 'add_comment', config: { text: 'woke up' } },
    ] }));
    const busy = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['busy'] } }] }));
    const others: Awaited<ReturnType<typeof insertContact>>['contact'][] = [];
    for (let i = 0; i < 50; i++) others.push((await insertContact(services, { firstName: `B${i}` })).contact);
    const [id] = await queue([{ workflowId: waiter.id, contactId: contact.id, conversationId: conversation!.id }]);
    await waitForRun(services.db, id!, ['waiting']);
    // Keep a backlog queued past the wake-up time: every round finds queued heads.
    const batch = () => Array.from({ length: 20 }, () => others.map((c) => ({ workflowId: busy.id, contactId: c.id }))).flat();
    await queue(batch());
    let feeding = true;
    const feeder = (async () => {
      while (feeding) {
        await queue(batch());
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      const run = await waitForRun(services.db, id!, ['completed'], 4_000);
      expect(run.stepLog.map((e) => e.stepId)).toEqual(['wait', 'note']);
      expect(Date.parse(run.endedAt!) - Date.parse(run.stepLog[0]!.endedAt)).toBeLessThan(2_000);
    } finally {
      feeding = false;
      await feeder;
    }
    expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toEqual(['woke up']);
  });

  it('a run whose first step calls out (HTTP request) is taken from the queue and goes on alone, once', async () => {
    const { contact } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'call', type: 'http_request', config: { method: 'GET', url: 'http://127.0.0.1:1/never', timeoutMs: 1_000 } },
    ] }));
    const [id] = await queue([{ workflowId: wf.id, contactId: contact.id }]);
    const run = await waitForRun(services.db, id!, ['completed', 'failed']);
    // Refused by the private-address guard or the closed port: either way one attempt, logged once.
    expect(run.stepLog.map((e) => e.stepId)).toEqual(['call']);
    expect((await getRun(services.db, id!)).status).toBe(run.status);
  });

  it("one contact's backlog: runs follow one another in order, many per commit", async () => {
    const { contact, conversation } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'n{{$trigger.n}}' } }] }));
    const before = services.store.counters!.transactions;
    const ids = await queue(Array.from({ length: 60 }, (_, n) => ({ workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id, trigger: { n } })));
    const statementsBefore = services.store.counters!.statements;
    await waitForRun(services.db, ids.at(-1)!);
    // A pass reads the pair's next runs together (one statement), not pick, read and release per run:
    // 5.2 statements per run before, 1.3 now (the comment itself is one), the last run's wait included.
    expect((services.store.counters!.statements - statementsBefore) / 60).toBeLessThan(2);
    const runs = await Promise.all(ids.map((id) => waitForRun(services.db, id)));
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toEqual(Array.from({ length: 60 }, (_, n) => `n${n}`));
    // One run of the pair at a time, yet not one commit per run: a round takes the next one as the last ends.
    expect(services.store.counters!.transactions - before).toBeLessThan(15);
  });

  it("one contact's backlog with a wait: the next run starts only once the waiting one has ended", async () => {
    const { contact, conversation } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'start', type: 'add_comment', config: { text: 'start {{$trigger.n}}' } },
      { id: 'wait', type: 'wait', config: { seconds: 1 } },
      { id: 'end', type: 'add_comment', config: { text: 'end {{$trigger.n}}' } },
    ] }));
    const ids = await queue(Array.from({ length: 3 }, (_, n) => ({ workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id, trigger: { n } })));
    for (const id of ids) expect((await waitForRun(services.db, id, ['completed'], 10_000)).status).toBe('completed');
    expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('a later step of a round sees what earlier steps (and earlier runs of the contact) wrote', async () => {
    await upsertField(services.db, { key: 'plan', label: 'Plan', type: 'text', options: [] });
    const { contact, conversation } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'before', type: 'add_comment', config: { text: 'was {{$contact.fields.plan}} / {{$contact.tags}}' } },
      { id: 'set', type: 'update_contact_field', config: { field: 'plan', value: 'p{{$trigger.n}}' } },
      { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['t{{$trigger.n}}'] } },
      { id: 'after', type: 'add_comment', config: { text: 'now {{$contact.fields.plan}} / {{$contact.tags}}' } },
    ] }));
    const ids = await queue([0, 1].map((n) => ({ workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id, trigger: { n } })));
    for (const id of ids) expect((await waitForRun(services.db, id)).status).toBe('completed');
    const texts = (await listMessages(services.db, conversation!.id)).map((m) => m.text);
    expect(texts).toEqual(['was  / ', 'now p0 / t0', 'was p0 / t0', 'now p1 / t0, t1']);
    const stored = await getContact(services.db, contact.id);
    expect(stored.fields.plan).toBe('p1');
    expect(stored.tags).toEqual(['t0', 't1']);
    // The round's events are stored (inserted together before its commit), in the order they happened.
    const events = await services.db.selectFrom('events').select(['type', 'payload']).where('contact_id', '=', contact.id)
      .where('type', 'in', ['contact.field_updated', 'contact.tag_added']).orderBy('id').execute();
    expect(events.map((e) => `${e.type} ${JSON.parse(e.payload).newValue ?? JSON.parse(e.payload).tag}`))
      .toEqual(['contact.field_updated p0', 'contact.tag_added t0', 'contact.field_updated p1', 'contact.tag_added t1']);
  });

  it("a round's steps see the conversation a step before them closed: later steps and the runs its events start", async () => {
    await upsertField(services.db, { key: 'stage', label: 'Stage', type: 'text', options: [] });
    const { contact, conversation } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'close', type: 'close_conversation', config: {} },
      { id: 'set', type: 'update_contact_field', config: { field: 'stage', value: 'closed' } },
      { id: 'open', type: 'open_conversation', config: {} },
    ] }));
    const listener = makeWorkflow({ trigger: { type: 'contact_field_updated', field: 'stage' }, steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['heard'] } }] });
    const heard = await insertWorkflow(services.db, listener);
    await writeTriggerIndex(services.db, heard.id, listener.trigger);
    const [id] = await queue([{ workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id }]);
    const run = await waitForRun(services.db, id!);
    expect(run.status).toBe('completed');
    // Had the round kept the conversation it saw open before the close, "open" would have found it still open.
    const opened = run.stepLog.find((e) => e.stepId === 'open')!.output as { conversationId: string; alreadyOpen: boolean };
    expect(opened.alreadyOpen).toBe(false);
    expect(opened.conversationId).not.toBe(conversation!.id);
    // The field event's run started with no open conversation (the round's own close came first).
    const started = await services.db.selectFrom('runs').select(['id', 'conversation_id']).where('workflow_id', '=', heard.id).execute();
    expect(started).toHaveLength(1);
    expect(started[0]!.conversation_id).toBeNull();
    expect((await waitForRun(services.db, started[0]!.id)).status).toBe('completed');
  });

  it('contacts, their conversations, field definitions and listeners are read once per round, and each changed contact written once', async () => {
    await upsertField(services.db, { key: 'a', label: 'A', type: 'text', options: [] });
    await upsertField(services.db, { key: 'b', label: 'B', type: 'number', options: [] });
    const contacts: Awaited<ReturnType<typeof insertContact>>['contact'][] = [];
    for (let i = 0; i < 30; i++) contacts.push((await insertContact(services, { open: false })).contact);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'a', type: 'update_contact_field', config: { field: 'a', value: 'x{{$trigger.n}}' } },
      { id: 'b', type: 'update_contact_field', config: { field: 'b', value: '{{$trigger.n}}' } },
    ] }));
    const ids = await queue(contacts.map((c, n) => ({ workflowId: wf.id, contactId: c.id, trigger: { n } })));
    const before = services.store.counters!.statements;
    // The runs of distinct contacts end in one round or a few: wait on the last, then count.
    expect((await waitForRun(services.db, ids.at(-1)!)).status).toBe('completed');
    const perRun = (services.store.counters!.statements - before) / 30;
    for (const id of ids) expect((await waitForRun(services.db, id)).status).toBe('completed');
    for (const [n, c] of contacts.entries()) expect((await getContact(services.db, c.id)).fields).toEqual({ a: `x${n}`, b: n });
    // Per run, a share of its round's statements (~1.1): the contacts read together, each changed
    // contact written once at the round's end, the checkpoints together. An update per step
    // would add 2, reading contact, conversation, fields and listeners per run or step ~6.
    expect(perRun).toBeLessThan(2);
  });
});

