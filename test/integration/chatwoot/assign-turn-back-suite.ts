import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { cwFaults } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

/**
 * Registered by assign-turn-back.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A round robin's
 * turn is taken here, then Chatwoot is asked to assign (POST …/conversations/{id}/assignments
 * `{ assignee_id }`, assignments_controller.rb). respond.io's Assign To does not move its rotation
 * on for an assignment that failed: the next conversation goes to the one who never got theirs.
 */
export function assignTurnBackSuite(databaseUrl: () => string | undefined) {
  const ASSIGN = /^POST \/api\/v1\/accounts\/1\/conversations\/\d+\/assignments$/;
  // RecordNotFound as Chatwoot's RequestExceptionHandler renders it: `{ error }`, 404.
  const NOT_FOUND = { status: 404, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error: 'Resource could not be found' }) };

  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() }); });
  afterEach(async () => { await p.close(); });

  const assignments = () => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/assignments')).map((r) => r.body);
  const runOf = async (id: string) => Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${id}`)).body);
  const ended = (id: string) => waitFor(`run ${id} to end`, async () => {
    const r = await runOf(id);
    return ['completed', 'failed'].includes(r.status) ? r : undefined;
  });

  /** A round robin over `userIds` on every Chatwoot conversation opened. */
  const inTurn = (userIds: string[]) => createWorkflow(p.server, {
    name: 'in turn', trigger: { type: 'conversation_opened' },
    steps: [{ id: 'assign', type: 'assign_to', config: { pick: 'round_robin', userIds } }],
  });

  /** A customer writes in Chatwoot; returns the id of the run it started. */
  async function customerWrites(flowId: string, n: number) {
    const contact = p.cw.addContact({ name: `Customer ${n}`, email: `customer${n}@example.com` });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBeLessThan(300);
    const runs = await waitFor(`run ${n}`, async () => { const r = await runsOf(p.server, flowId); return r.length === n ? r : undefined; });
    return { conv, runId: runs[0]!.id };
  }

  async function team() {
    const alex = (await p.server.createUser('agent', { name: 'Alex', email: 'alex@example.com' })).user.id;
    const bea = (await p.server.createUser('agent', { name: 'Bea', email: 'bea@example.com' })).user.id;
    return { alex, bea };
  }

  it('Chatwoot refusing the assignment gives the turn back: the next conversation goes to the same user', async () => {
    const { alex, bea } = await team();
    const flow = await inTurn([bea, alex]);
    p.cw.failNext(ASSIGN, NOT_FOUND);
    const first = await ended((await customerWrites(flow.id, 1)).runId);
    for (const n of [2, 3]) {
      const r = await ended((await customerWrites(flow.id, n)).runId);
      expect(r.status, r.error ?? '').toBe('completed');
    }
    // Bea is Chatwoot's agent 8, Alex 7: the refused 8 is asked again, then Alex has his turn.
    expect(assignments()).toEqual([{ assignee_id: 8 }, { assignee_id: 8 }, { assignee_id: 7 }]);
    expect(first.status).toBe('failed');
    expect(first.error).toContain('Chatwoot answered 404');
    expect(first.stepLog.at(-1)!.notes).toEqual(expect.arrayContaining([
      'First in turn: Bea',
      'Bea did not get the conversation, so the turn was given back: Bea is next in turn again',
    ]));
  });

  it('Chatwoot busy (503) keeps the pick: the step tried again later assigns the same user, after another run took the next turn', async () => {
    const { alex, bea } = await team();
    const flow = await inTurn([bea, alex]);
    p.cw.failNext(ASSIGN, cwFaults.unavailable());
    const { runId } = await customerWrites(flow.id, 1);
    await waitFor('the first run to wait on a retry', async () => ((await runOf(runId)).status === 'waiting' ? true : undefined));
    expect((await ended((await customerWrites(flow.id, 2)).runId)).status).toBe('completed');

    await p.server.store.db.updateTable('runs').set({ wake_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', runId).execute();
    p.server.app.services.runSignal.notify();
    const first = await ended(runId);
    expect(first.status, first.error ?? '').toBe('completed');
    expect(first.stepLog.at(-1)!.notes).toContain('Picked before a restart: Bea (First in turn: Bea)');
    // Bea's 503, Alex's turn meanwhile, then Bea's retry: nobody is given two turns.
    expect(assignments()).toEqual([{ assignee_id: 8 }, { assignee_id: 7 }, { assignee_id: 8 }]);
  });

  it('Unassign takes the conversation off its agent in Chatwoot (assignee_id null) and here', async () => {
    const { bea } = await team();
    const flow = await createWorkflow(p.server, {
      name: 'assign then unassign', trigger: { type: 'conversation_opened' },
      steps: [
        { id: 'assign', type: 'assign_to', config: { userId: bea } },
        { id: 'unassign', type: 'assign_to', config: { userId: 'unassign' } },
      ],
    });
    const { conv, runId } = await customerWrites(flow.id, 1);
    const run = await ended(runId);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(assignments()).toEqual([{ assignee_id: 8 }, { assignee_id: null }]);
    expect(conv.assigneeId).toBeNull();
    const here = (await p.server.api(p.server.adminToken).get(`/conversations/${(run.stepLog.at(-1)!.output as { conversationId: string }).conversationId}`)).body;
    expect(here.assigneeId).toBeNull();
  });
}
