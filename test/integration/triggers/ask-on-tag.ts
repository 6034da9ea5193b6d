import type { Run } from '../../../lib/contracts/runs';
import { Contact } from '../../../lib/contracts/contacts';
import type { StepInput } from '../../../lib/contracts/steps';
import { waitForRun } from '../../support/builders';
import type { TestServer } from '../../support/server';
import { createWorkflow, runsOf } from '../engine-support';

// Ask a Question on the built-in inbox, as the suites on how its answers are read set it up.

/** Until the run waits for an answer, or has stopped waiting (it took one, or gave up). */
export const askSettled = (server: TestServer, runId: string): Promise<Run> => waitForRun(server.app.services.db, runId, ['waiting', 'completed', 'failed']);

/** The customer's reply, typed in the conversation. */
export const customerReplies = (server: TestServer, conversationId: string, text: string) =>
  server.api(server.adminToken).post(`/conversations/${conversationId}/messages`, { text, direction: 'incoming' });

/**
 * Asks `question` (one retry, then `config`) of a fresh contact on a new conversation: a workflow
 * `name` that tag `go` starts, the tag added. Resolves once the question waits.
 */
export async function askFreshContact(server: TestServer, ask: { name: string; question: string; config: Record<string, unknown>; contact?: Record<string, unknown> }) {
  const admin = server.api(server.adminToken);
  const wf = await createWorkflow(server, {
    name: ask.name, trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
    steps: [{ id: 'ask', type: 'ask_question', config: { question: ask.question, retries: 1, ...ask.config } } as StepInput],
  });
  const created = Contact.parse((await admin.post('/contacts', ask.contact ?? { firstName: 'Ana' })).body);
  const conversation = (await admin.post('/conversations', { contactId: created.id })).body as { id: string };
  await admin.post(`/contacts/${created.id}/tags`, { tags: ['go'] });
  const [run] = await runsOf(server, wf.id);
  await askSettled(server, run!.id);
  return { contactId: created.id, conversationId: conversation.id, runId: run!.id };
}
