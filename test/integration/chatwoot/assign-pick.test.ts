import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

// Round robin on conversations that live in Chatwoot: the turn is taken here (one order whatever
// the inbox), and the person picked is assigned in Chatwoot as the agent with their email
// (POST …/conversations/{id}/assignments { assignee_id }, as any Assign to step there).

let p: ChatwootPair;
beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
afterEach(async () => { await p.close(); });

const assignments = () => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/assignments')).map((r) => r.body);

it('takes turns here and assigns each pick in Chatwoot through its agent', async () => {
  const alex = (await p.server.createUser('agent', { name: 'Alex', email: 'alex@example.com' })).user.id;
  const bea = (await p.server.createUser('agent', { name: 'Bea', email: 'bea@example.com' })).user.id;
  const flow = await createWorkflow(p.server, {
    name: 'in turn', trigger: { type: 'conversation_opened' },
    steps: [{ id: 'assign', type: 'assign_to', config: { pick: 'round_robin', userIds: [bea, alex] } }],
  });
  for (const [i, email] of ['jane@example.com', 'joe@example.com', 'jim@example.com'].entries()) {
    const contact = p.cw.addContact({ name: `Customer ${i}`, email });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const runs = await waitFor('the run to end', async () => {
      const all = await runsOf(p.server, flow.id);
      return all.length === i + 1 && all.every((r) => ['completed', 'failed'].includes(r.status)) ? all : undefined;
    });
    const run = Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${runs[0]!.id}`)).body);
    expect(run.status, run.error ?? '').toBe('completed');
  }
  // Bea is agent 8 there, Alex 7.
  expect(assignments()).toEqual([{ assignee_id: 8 }, { assignee_id: 7 }, { assignee_id: 8 }]);
});
