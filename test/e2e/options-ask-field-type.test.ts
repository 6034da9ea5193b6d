import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { closeOptions, openConnectedOptions, pressButton, waitForOptionsText } from './support/options-page';
import type { ExtensionBrowser } from './support/browser';

// The builder in Chromium with the built extension: an Ask a Question expecting free text saves
// to the date field "Renewal date". Publishing is refused with what to choose (Date), the workflow
// stays a draft; once the expected answer is Date it publishes. Before, it published and every
// reply that was no YYYY-MM-DD date was dropped at run time with only a note in the run log.

let server: TestServer;
let ext: ExtensionBrowser | undefined;
let options: Page;
let workflowId = '';
const status = async () => (await server.api(server.adminToken).get(`/workflows/${workflowId}`)).body.status;

beforeAll(async () => {
  server = await startTestServer();
  const admin = server.api(server.adminToken);
  expect((await admin.put('/fields/renewal', { label: 'Renewal date', type: 'date' })).status).toBe(200);
  const wf = await admin.post('/workflows', {
    name: 'Renewal', trigger: { type: 'conversation_opened' },
    steps: [{ id: 'when', type: 'ask_question', config: { question: 'When do you renew?', answerType: 'text', saveToField: 'renewal' } }],
  });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  workflowId = wf.body.id;
  ({ ext, options } = await openConnectedOptions(server.url, server.adminToken, '::-p-aria(New workflow[role="button"])'));
  await options.goto(`chrome-extension://${ext.extensionId}/options.html#/workflows/${workflowId}`);
});
afterAll(async () => closeOptions(ext, server));

describe('publishing Ask a Question saved to a date field, in the builder', () => {
  it('refuses a free-text answer, saying to expect a Date, and publishes once it does', async () => {
    await pressButton(options, 'Publish');
    await waitForOptionsText(options, 'Step 1 ("when") saves a text answer to the date field "Renewal date" (renewal), which would not keep a reply that is no date: set the expected answer to Date (it asks again until the reply is one), or save to another field');
    expect(await status()).toBe('draft');

    const expected = (await options.waitForSelector('::-p-aria(Expected answer)'))! as ElementHandle<HTMLSelectElement>;
    await expected.select('date');
    await pressButton(options, 'Publish');
    await options.waitForSelector('.badge-published', { timeout: 10_000 });
    expect(await status()).toBe('published');
  });
});
