import { expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { ConversationList, Message } from '../../lib/contracts/conversations';
import { Run } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { eachAdminAndAgentServer } from '../support/each-server';
import { describePg, pgUrl } from '../support/postgres';
import type { Api, TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow, shortcutWorkflow } from './engine-support';

// Messages posted on a conversation at the moment a run round asks a question there (PostgreSQL,
// several connections at once). The round holds its contact and then the conversation row; a
// request storing a message took the conversation row and then, at its commit, the contact (the
// last-message trigger's update checks the foreign key again), and PostgreSQL rolled one of them
// back as a deadlock: the sender got a 503 and the message was not stored (2-6 in 120 before).
// Every side now goes through whole, whichever comes first.

const ROUNDS = 30;
const LANES = 4;
const QUESTION = 'Your order number?';

describePg('messages and a run round on the same conversation at once (PostgreSQL)', () => {
  let server: TestServer;
  let admin: Api;
  let agent: Api;
  eachAdminAndAgentServer(pgUrl, 'Alex Agent', (s, a, g) => { server = s; admin = a; agent = g; }, { poolSize: 10 });

  // A conversation an agent opened has neither a customer message nor a first response yet, so
  // each message also marks the conversation row (first incoming message, first response).
  it.each([
    ['a customer message', ['incoming'] as const],
    ['an agent reply', ['outgoing'] as const],
    ['a customer message and an agent reply', ['incoming', 'outgoing'] as const],
  ])('%s racing a round that asks a question: all stored once, never a 503', async (_name, directions) => {
    const wf = await createWorkflow(server, shortcutWorkflow({
      name: 'Ask order', trigger: { type: 'shortcut', name: 'Ask order' },
      steps: [{ id: 'ask', type: 'ask_question', config: { question: QUESTION, answerType: 'text' } } as StepInput],
    }));
    const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const statuses = new Map<number, number>();

    // One lane: a fresh conversation, the launch, and the messages from when the launch is sent
    // to a few milliseconds after (its round starts at once). Lanes at once: several rounds, or
    // one round of several contacts, against as many requests.
    const lane = async (round: number, n: number) => {
      const contact = Contact.parse((await admin.post('/contacts', { firstName: `Maria ${round}.${n}` })).body);
      const cnv = (await agent.post('/conversations', { contactId: contact.id })).body.id as string;
      const post = (direction: 'incoming' | 'outgoing', i: number) => delay((round + n + i) % 6).then(async () => {
        const text = `${direction} ${round}.${n}`;
        return { text, status: (await (direction === 'incoming' ? admin : agent).post(`/conversations/${cnv}/messages`, { text, direction })).status };
      });
      const [launched, ...posted] = await Promise.all([
        agent.post(`/shortcuts/${wf.id}/launch`, { conversationId: cnv, values: {} }), ...directions.map(post),
      ]);
      expect(launched.status).toBe(202);
      return { contactId: contact.id, cnv, runId: launched.body.runId as string, posted };
    };

    for (let round = 0; round < ROUNDS; round++) {
      const lanes = await Promise.all(Array.from({ length: LANES }, (_, n) => lane(round, n)));
      for (const { contactId, cnv, runId, posted } of lanes) {
        for (const p of posted) statuses.set(p.status, (statuses.get(p.status) ?? 0) + 1);
        // Counted and checked once below, for all rounds: how often it failed says more than the first failure.
        if (posted.some((p) => p.status !== 201)) continue;
        // Asked: waiting for the answer, or answered already by the customer's message that came after it.
        const asked = await waitFor('the run to ask', async () => {
          const r = Run.parse((await admin.get(`/runs/${runId}`)).body);
          return r.status === 'waiting' || r.status === 'completed' ? r : undefined;
        });
        if (asked.status === 'completed') expect(directions).toContain('incoming');
        const messages = Message.array().parse((await agent.get(`/conversations/${cnv}`)).body.messages);
        for (const { text } of posted) expect(messages.filter((m) => m.text === text)).toHaveLength(1);
        expect(messages.filter((m) => m.text === QUESTION)).toHaveLength(1);
        // The list previews the latest message, whichever committed last.
        const latest = [...messages].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1)).at(-1)!;
        const listed = ConversationList.parse((await agent.get(`/conversations?contactId=${contactId}`)).body).conversations;
        expect(listed.find((c) => c.id === cnv)?.lastMessage?.id).toBe(latest.id);
      }
    }
    expect(Object.fromEntries(statuses)).toEqual({ 201: ROUNDS * LANES * directions.length });
  });
});
