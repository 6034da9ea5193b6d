import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

/**
 * Registered by least-open.test.ts (SQLite) and .pg.test.ts (PostgreSQL). Assign to → Least open
 * with Chatwoot: the pick is made here, then Chatwoot is asked (POST …/conversations/{id}/assignments
 * `{ assignee_id }`, assignments_controller.rb) and only its answer writes the local assignee.
 * respond.io's "least open contacts" and Chatwoot's own load-balanced assignment spread a rush.
 */
export function leastOpenSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() }); });
  afterEach(async () => { await p.close(); });

  const assignees = () => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/assignments')).map((r) => (r.body as { assignee_id: number }).assignee_id);
  const agents = async () => ({
    alex: (await p.server.createUser('agent', { name: 'Alex', email: 'alex@example.com' })).user.id,
    bea: (await p.server.createUser('agent', { name: 'Bea', email: 'bea@example.com' })).user.id,
  });
  const leastOpen = (userIds: string[]) => createWorkflow(p.server, {
    name: 'Least open', trigger: { type: 'conversation_opened' },
    steps: [{ id: 'assign', type: 'assign_to', config: { pick: 'least_open', userIds } }],
  });
  const runsEnded = (workflowId: string, n: number) => waitFor('runs to end', async () => {
    const all = await runsOf(p.server, workflowId);
    return all.length === n && all.every((r) => ['completed', 'failed'].includes(r.status)) ? all : undefined;
  }, 60_000);
  const notesOf = async (id: string) => Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${id}`)).body).stepLog[0]?.notes ?? [];

  it('spreads a burst of conversations opened at once across the agents, as one at a time would', async () => {
    const { alex, bea } = await agents();
    const flow = await leastOpen([bea, alex]);
    const hooks = Array.from({ length: 6 }, (_, i) => {
      const contact = p.cw.addContact({ name: `Customer ${i}`, email: `c${i}@example.com` });
      const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
      return p.cw.conversationPayload(conv.id, 'conversation_created');
    });
    await Promise.all(hooks.map((h) => p.hook(h)));
    const runs = await runsEnded(flow.id, 6);
    expect(runs.map((r) => r.status)).toEqual(Array(6).fill('completed'));
    // The stand-in's agents: Alex is 7, Bea 8 (by email).
    const given = assignees();
    expect(given).toHaveLength(6);
    expect(given.filter((id) => id === 8)).toHaveLength(3);
    expect(given.filter((id) => id === 7)).toHaveLength(3);
    const open = (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations as { assigneeId: string | null }[];
    expect(open.filter((c) => c.assigneeId === bea)).toHaveLength(3);
    expect(open.filter((c) => c.assigneeId === alex)).toHaveLength(3);
  });

  it('does not count snoozed or pending Chatwoot conversations as open work', async () => {
    const { alex, bea } = await agents();
    // Bea (agent 8) has a snoozed and a pending conversation; Alex (7) one open one.
    const old = [];
    for (const [i, [status, agent]] of ([['snoozed', 8], ['pending', 8], ['open', 7]] as const).entries()) {
      const contact = p.cw.addContact({ name: `Old ${i}`, email: `old${i}@example.com` });
      const conv = p.cw.addConversation({ contactId: contact.id, status, firstMessage: { content: 'Hi', incoming: true } });
      conv.assigneeId = agent;
      await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
      old.push(conv);
    }
    const flow = await leastOpen([bea, alex]);
    const seen = new Set<string>();
    const arrive = async (i: number) => {
      const contact = p.cw.addContact({ name: `New ${i}`, email: `new${i}@example.com` });
      const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
      await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
      const runs = await runsEnded(flow.id, i + 1);
      const fresh = runs.find((r) => !seen.has(r.id))!;
      seen.add(fresh.id);
      return fresh;
    };
    const first = await arrive(0);
    expect(first.status).toBe('completed');
    expect(assignees()).toEqual([8]);
    expect(await notesOf(first.id)).toContain('Fewest open conversations: Bea with 0');
    // Still open in the companion's lists: only the count of open work leaves them out.
    const open = (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations as { assigneeId: string | null }[];
    expect(open.filter((c) => c.assigneeId === bea)).toHaveLength(3);

    // Bea takes both back up (conversation_status_changed to open): they count again, so Alex is next.
    for (const conv of old.slice(0, 2)) {
      const was = conv.status;
      conv.status = 'open';
      conv.updated_at += 2;
      await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', { status: { previous_value: was, current_value: 'open' } }));
    }
    const second = await arrive(1);
    expect(second.status).toBe('completed');
    expect(assignees()).toEqual([8, 7]);
    expect(await notesOf(second.id)).toContain('Fewest open conversations: Alex with 1');
  });
}
