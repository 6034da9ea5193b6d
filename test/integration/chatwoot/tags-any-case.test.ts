import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

// Chatwoot labels are lowercase and a label posted must match an account label exactly; a tag in
// another case ("VIP", "SHIPPING") is that label all the same.

let p: ChatwootPair;
beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
afterEach(async () => { await p.close(); });

it('the Update Contact Tag step adds and removes Chatwoot labels whatever the case of the tag', async () => {
  const flow = await createWorkflow(p.server, {
    name: 'labels', trigger: { type: 'conversation_opened' },
    steps: [
      { id: 'add', type: 'update_contact_tag', config: { action: 'add', tags: ['VIP', 'Shipping'] } },
      { id: 'remove', type: 'update_contact_tag', config: { action: 'remove', tags: ['SHIPPING'] } },
    ],
  });
  const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
  const conv = p.cw.addConversation({ contactId: contact.id, labels: ['shipping'], firstMessage: { content: 'Hi', incoming: true } });
  await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
  const [started] = await runsOf(p.server, flow.id);
  const run = await waitFor(`run ${started!.id} to end`, async () => {
    const r = Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${started!.id}`)).body);
    return ['completed', 'failed'].includes(r.status) ? r : undefined;
  });
  expect(run.status, run.error ?? '').toBe('completed');

  expect(p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/labels')).map((r) => r.body)).toEqual([
    { labels: ['shipping', 'vip'] }, { labels: ['vip'] },
  ]);
  expect(conv.labels).toEqual(['vip']);
  expect(run.stepLog.flatMap((e) => e.notes ?? [])).not.toContainEqual(expect.stringMatching(/kept no label/));
  expect((await p.server.api(p.server.adminToken).get(`/contacts/${run.contactId}`)).body.tags).toEqual(['vip']);
});
