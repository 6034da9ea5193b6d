import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConversationDetail } from '../../lib/contracts/conversations';
import { Contact } from '../../lib/contracts/contacts';
import type { StepInput } from '../../lib/contracts/steps';
import { waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow, runsOf } from './engine-support';

// r-admin: `$trigger.firstResponseTimeSeconds` was 0 on a Conversation closed run where no agent
// ever replied: the workflow's own question had set the conversation's first response. As
// Chatwoot's first_reply_created_at (Message#human_response?: a User's outgoing message, not an
// automation's or a campaign's), only a person's reply is the first response.

let server: TestServer;
let admin: Api;
let ava: Api;
beforeEach(async () => {
  server = await startTestServer();
  admin = server.api(server.adminToken);
  ava = server.api((await server.createUser('agent', { name: 'Ava' })).token);
});
afterEach(async () => { await server.close(); });

const step = (id: string, type: string, config: object) => ({ id, type, config }) as StepInput;
const detail = async (id: string) => ConversationDetail.parse((await admin.get(`/conversations/${id}`)).body);

it('a workflow’s message is not the first response: only a person’s reply is, and the Closed trigger says so', async () => {
  const welcome = await createWorkflow(server, { name: 'Welcome', trigger: { type: 'conversation_opened' }, steps: [step('ask', 'send_message', { text: 'Hi! What are you looking for?' })] });
  const closedFlow = await createWorkflow(server, { name: 'On close', trigger: { type: 'conversation_closed' }, steps: [step('note', 'add_comment', { text: 'first response {{$trigger.firstResponseTimeSeconds}}' })] });
  const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Sheena' })).body);
  const ended = async (workflowId: string, n: number) => {
    const runs = await waitFor(`${n} runs of ${workflowId}`, async () => { const r = await runsOf(server, workflowId); return r.length >= n ? r : undefined; });
    return waitForRun(server.app.services.db, runs.sort((a, b) => (a.id < b.id ? 1 : -1))[0]!.id);
  };

  // Nobody answers: only the workflow wrote.
  const first = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
  expect((await ended(welcome.id, 1)).status).toBe('completed');
  expect((await detail(first)).messages.filter((m) => m.kind === 'message').map((m) => [m.text, m.author.type])).toEqual([['Hi! What are you looking for?', 'workflow']]);
  expect((await detail(first)).firstResponseAt).toBeNull();
  expect((await admin.post(`/conversations/${first}/close`, {})).status).toBe(200);
  const unanswered = await ended(closedFlow.id, 1);
  expect(unanswered.variables.trigger).toMatchObject({ firstResponseTimeSeconds: null });

  // Ava replies after the workflow: hers is the first response.
  const second = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
  expect((await ended(welcome.id, 2)).status).toBe('completed');
  const reply = await ava.post(`/conversations/${second}/messages`, { text: 'Hello Sheena, Ava here', kind: 'message', direction: 'outgoing' });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  const answered = await detail(second);
  expect(answered.firstResponseAt).toBe(answered.messages.find((m) => m.text === 'Hello Sheena, Ava here')!.createdAt);
  expect((await admin.post(`/conversations/${second}/close`, {})).status).toBe(200);
  expect((await ended(closedFlow.id, 2)).variables.trigger).toMatchObject({ firstResponseTimeSeconds: expect.any(Number) });
});
