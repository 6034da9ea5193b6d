import { expect } from 'vitest';
import { ConversationList, Message } from '../../../lib/contracts/conversations';
import { Run } from '../../../lib/contracts/runs';
import type { CwStandinConversation } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import type { ChatwootPair } from './harness';

// For the suites on Chatwoot's message_updated (message-edits, missed-messages): a conversation
// opened there, how its mirror here reads, and a question waiting for the customer's answer.

/** Jane Doe opens a conversation in Chatwoot, nothing written yet; its conversation_created is delivered. */
export async function janeOpens(p: ChatwootPair) {
  const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
  const conv = p.cw.addConversation({ contactId: jane.id });
  expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
  return conv;
}

/** The conversation mirrored here from `conv`, if there is one. */
export const mirrorOf = async (p: ChatwootPair, conv: CwStandinConversation) =>
  ConversationList.parse((await p.server.api(p.server.adminToken).get('/conversations')).body).conversations.find((c) => c.externalId === String(conv.id));

/** The messages of `conv`'s mirror as an agent reads them here; none while it has no mirror. */
export async function threadOf(p: ChatwootPair, conv: CwStandinConversation) {
  const mirror = await mirrorOf(p, conv);
  return mirror ? ((await p.server.api(p.server.adminToken).get(`/conversations/${mirror.id}`)).body.messages as unknown[]).map((m) => Message.parse(m)) : [];
}

/**
 * A published workflow asks "How many guests?" when a conversation opens and notes the answer;
 * Jane opens one and the question waits. `runOf()` reads that run again.
 */
export async function guestsAsked(p: ChatwootPair) {
  const flow = await createWorkflow(p.server, {
    name: 'guests', trigger: { type: 'conversation_opened' },
    steps: [
      { id: 'ask', type: 'ask_question', config: { question: 'How many guests?', answerType: 'text', saveToVariable: 'guests' } },
      { id: 'note', type: 'add_comment', config: { text: 'Guests: {{$step.guests}}' } },
    ],
  });
  const conv = await janeOpens(p);
  const [started] = await runsOf(p.server, flow.id);
  const runOf = async () => Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${started!.id}`)).body);
  await waitFor('the question', async () => ((await runOf()).status === 'waiting' ? true : undefined));
  return { flow, conv, runOf };
}
