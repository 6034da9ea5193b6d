import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepInput } from '../../lib/contracts/steps';
import { waitForRun } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, runsOf, shortcutWorkflow } from '../integration/engine-support';
import { waitFor } from '../support/wait';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The built inbox's Close dialog names what closing stops. A run launched from a shortcut is named
// by the shortcut's label in the agents' menu, as the notice above the composer names it ("Shortcut
// “Ask the order”"), not by its workflow's name, which the agent never saw ("Order questions v2");
// a workflow something else started keeps its name. It named every one by its workflow.

let server: TestServer;
let inbox: InboxBrowser;
let page: Page;
const admin = () => server.api(server.adminToken);
const ask = (question: string): StepInput => ({ id: 'ask', type: 'ask_question', config: { question, answerType: 'text', timeoutSeconds: 600, saveToVariable: 'answer' } } as StepInput);

beforeAll(async () => {
  server = await startTestServer();
  inbox = await openSignedInInbox(server.url, server.adminToken, { live: true });
  page = inbox.page;
}, 60_000);

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

describe('the Close dialog on questions waiting for the customer', () => {
  it('names a shortcut\'s run by its label and a workflow something else started by its name', async () => {
    const shortcut = await createWorkflow(server, shortcutWorkflow({ name: 'Order questions v2', trigger: { type: 'shortcut', name: 'Ask the order' }, steps: [ask('Your order number?')] }));
    const greeting = await createWorkflow(server, { name: 'Welcome survey', trigger: { type: 'conversation_opened' }, oncePerContact: false, steps: [ask('How did you find us?')] });
    const contact = await admin().post('/contacts', { firstName: 'Lena' });
    const conversation = (await admin().post('/conversations', { contactId: contact.body.id })).body.id as string;
    const [opened] = await waitFor('the opening workflow\'s run', async () => {
      const runs = await runsOf(server, greeting.id);
      return runs.length ? runs : undefined;
    });
    await waitForRun(server.app.services.db, opened!.id, ['waiting']);
    const launched = await admin().post(`/shortcuts/${shortcut.id}/launch`, { conversationId: conversation, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    await waitForRun(server.app.services.db, launched.body.runId, ['waiting']);

    await page.goto(`${server.url}/inbox/c/${conversation}`);
    await page.waitForSelector('[data-testid="awaiting-answer"]:not([hidden])', { timeout: 8000 });
    // The notice (both questions, the one asked last first) and the dialog say the same names.
    expect(await page.$eval('[data-testid="awaiting-answer-text"]', (el) => el.textContent)).toMatch(/^Waiting for the customer’s answer to Shortcut “Ask the order” \(asked last: .+\) and Workflow “Welcome survey” \(/);
    await page.click('[data-testid="close-button"]');
    await page.waitForSelector('[data-testid="close-dialog"][open]');
    expect(await page.$eval('[data-testid="close-warning"]', (el) => (el as HTMLElement).hidden ? null : el.textContent)).toBe(
      'Closing stops Shortcut “Ask the order” and Workflow “Welcome survey”, which are waiting for the customer’s answer: their next message opens a new conversation and no workflow gets it. Cancel to keep the conversation open.');
    await page.click('[data-testid="close-cancel"]');
    expect(inbox.pageErrors).toEqual([]);
  });
});
