import { expect } from 'vitest';
import type { StepInput } from '../../../lib/contracts/steps';
import { createWorkflow, runsOf, shortcutWorkflow } from '../../integration/engine-support';
import { waitForRun } from '../../support/builders';
import type { TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';

// Two workflows asking the same customer (README "Two workflows asking"), the setup of the inbox
// tests on what the notice above the composer and the Close dialog say of both.

/** Ask a Question, a text answer, ten minutes to give it. */
export const askStep = (question: string): StepInput => ({ id: 'ask', type: 'ask_question', config: { question, answerType: 'text', timeoutSeconds: 600, saveToVariable: 'answer' } } as StepInput);

/**
 * Lena's new conversation with two questions waiting for her answer: first the one of `opening`
 * (a workflow Conversation Opened starts), then the one of the shortcut labelled "Ask the order"
 * (workflow "Order questions v2", "Your order number?"), launched by the admin: asked last.
 */
export async function shortcutAskingAfterOpeningWorkflow(server: TestServer, opening: { name: string; question: string }) {
  const admin = server.api(server.adminToken);
  const shortcut = await createWorkflow(server, shortcutWorkflow({ name: 'Order questions v2', trigger: { type: 'shortcut', name: 'Ask the order' }, steps: [askStep('Your order number?')] }));
  const openingWorkflow = await createWorkflow(server, { name: opening.name, trigger: { type: 'conversation_opened' }, oncePerContact: false, steps: [askStep(opening.question)] });
  const contact = await admin.post('/contacts', { firstName: 'Lena' });
  const conversation = (await admin.post('/conversations', { contactId: contact.body.id })).body.id as string;
  const [opened] = await waitFor('the opening workflow\'s run', async () => {
    const runs = await runsOf(server, openingWorkflow.id);
    return runs.length ? runs : undefined;
  });
  await waitForRun(server.app.services.db, opened!.id, ['waiting']);
  const launched = await admin.post(`/shortcuts/${shortcut.id}/launch`, { conversationId: conversation, values: {} });
  expect(launched.status, JSON.stringify(launched.body)).toBe(202);
  const shortcutRunId = launched.body.runId as string;
  await waitForRun(server.app.services.db, shortcutRunId, ['waiting']);
  return { conversation, openingRunId: opened!.id, shortcutRunId };
}
