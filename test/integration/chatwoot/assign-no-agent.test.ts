import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

/**
 * A listed user with no Chatwoot agent (matched by email; removed from the account, never invited):
 * Chatwoot's round robin and respond.io's only ever pick who can take the conversation, so the
 * pick skips them, as it skips deactivated users, rather than fail every N-th conversation.
 */
let p: ChatwootPair;
beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
afterEach(async () => { await p.close(); });

// POST …/conversations/{id}/assignments `{ assignee_id }` (assignments_controller.rb); the stand-in's agents are Alex (7) and Bea (8).
const assignees = () => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/assignments')).map((r) => (r.body as { assignee_id: number }).assignee_id);
const runOf = async (id: string) => Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${id}`)).body);

async function openInChatwoot(workflowId: string, i: number) {
  const contact = p.cw.addContact({ name: `Customer ${i}`, email: `c${i}@example.com` });
  const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
  await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
  const runs = await waitFor('the run to end', async () => {
    const all = await runsOf(p.server, workflowId);
    return all.length === i + 1 && all.every((r) => ['completed', 'failed'].includes(r.status)) ? all : undefined;
  }, 30_000);
  const fresh = runs.find((r) => !seen.has(r.id))!;
  seen.add(fresh.id);
  return runOf(fresh.id);
}
/** Runs already looked at: the one a conversation started is the one not among them. */
const seen = new Set<string>();

it('skips a listed user with no Chatwoot agent in a round robin, with a note, and assigns every conversation', async () => {
  seen.clear();
  const alex = (await p.server.createUser('agent', { name: 'Alex', email: 'alex@example.com' })).user.id;
  const zed = (await p.server.createUser('agent', { name: 'Zed', email: 'zed@example.com' })).user.id;
  const flow = await createWorkflow(p.server, {
    name: 'In turn', trigger: { type: 'conversation_opened' },
    steps: [{ id: 'assign', type: 'assign_to', config: { pick: 'round_robin', userIds: [alex, zed] } }],
  });
  const notes: string[][] = [];
  for (let i = 0; i < 3; i++) {
    const run = await openInChatwoot(flow.id, i);
    expect(run.status, run.error ?? '').toBe('completed');
    notes.push(run.stepLog[0]?.notes ?? []);
  }
  expect(assignees()).toEqual([7, 7, 7]);
  for (const n of notes) expect(n).toContain('Skipped Zed: no Chatwoot agent with zed@example.com');
});

it('fails the step saying why when nobody listed has a Chatwoot agent', async () => {
  seen.clear();
  const zed = (await p.server.createUser('agent', { name: 'Zed', email: 'zed@example.com' })).user.id;
  const flow = await createWorkflow(p.server, {
    name: 'Least open', trigger: { type: 'conversation_opened' },
    steps: [{ id: 'assign', type: 'assign_to', config: { pick: 'least_open', userIds: [zed] } }],
  });
  const run = await openInChatwoot(flow.id, 0);
  expect(run.status).toBe('failed');
  expect(run.error).toContain('none of the step\'s 1 user can be assigned');
  expect(run.stepLog[0]?.notes).toContain('Skipped Zed: no Chatwoot agent with zed@example.com');
  expect(assignees()).toEqual([]);
});
