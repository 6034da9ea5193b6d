import { describe, expect, it } from 'vitest';
import { ConversationDetail } from '../../lib/contracts/conversations';
import { LaunchResult } from '../../lib/contracts/shortcuts';
import { eachAdminServer } from '../support/each-server';
import type { Api, TestServer } from '../support/server';
import { waitForRun } from './webhooks/support';

// A shortcut's `{{$trigger.launchedByName}}` is the launching agent's name, as respond.io's
// `$user` fields give; `{{$trigger.launchedBy}}`, the only one before, wrote a raw user id into notes.

let server: TestServer;
let admin: Api;
eachAdminServer(() => undefined, (s, a) => { server = s; admin = a; });

const ok = (res: { status: number; body: unknown }, status: number) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body as Record<string, unknown>;
};

describe('$trigger.launchedByName', () => {
  it('a note "by {{$trigger.launchedByName}}" reads the agent\'s name, as typed (a name is text)', async () => {
    const wf = ok(await admin.post('/workflows', {
      name: 'Delivery ticket',
      trigger: { type: 'shortcut', name: 'Delivery ticket', icon: '🚚', form: { fields: [{ label: 'Order number', type: 'text', variable: 'order', required: true }] } },
      steps: [{ id: 'note', type: 'add_comment', config: { text: 'Ticket for order #{{$trigger.order}} by {{$trigger.launchedByName}}' } }],
    }), 201);
    // Publishing checks the variable against the shortcut's: it is one of them.
    ok(await admin.post(`/workflows/${wf.id}/publish`), 200);
    const agent = await server.createUser('agent', { name: 'Maria <Ops> & Co' });
    const contact = ok(await admin.post('/contacts', { firstName: 'Sheena' }), 201);
    const conversationId = ok(await admin.post('/conversations', { contactId: contact.id }), 201).id as string;

    const launched = ok(await server.api(agent.token).post(`/shortcuts/${wf.id}/launch`, { conversationId, values: { order: '1042' } }), 202);
    const run = await waitForRun(server, LaunchResult.parse(launched).runId);
    expect(run.error).toBeNull();
    expect(run.variables.trigger).toEqual({ order: '1042', launchedBy: agent.user.id, launchedByName: 'Maria <Ops> & Co' });
    const { messages } = ConversationDetail.parse(ok(await admin.get(`/conversations/${conversationId}`), 200));
    expect(messages.filter((m) => m.kind === 'comment').map((m) => m.text)).toEqual(['Ticket for order #1042 by Maria <Ops> & Co']);
  });
});
