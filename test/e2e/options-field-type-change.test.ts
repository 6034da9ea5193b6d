import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { closeOptions, openConnectedSettings, pressButton, retypeField } from './support/options-page';
import type { ExtensionBrowser } from './support/browser';

// Settings → Custom contact fields in Chromium with the built extension: the admin changes the
// text field "employees" to Number while the published workflow "Company size" asks a free-text
// question saving to it. The change is saved, and a warning names that workflow (a link to open
// it) with what to fix, as respond.io warns; before, nothing was said and every run failed there.

let server: TestServer;
let ext: ExtensionBrowser | undefined;
let options: Page;
let workflowId = '';

beforeAll(async () => {
  server = await startTestServer();
  const admin = server.api(server.adminToken);
  expect((await admin.put('/fields/employees', { label: 'Employees', type: 'text' })).status).toBe(200);
  const wf = await admin.post('/workflows', {
    name: 'Company size', trigger: { type: 'conversation_opened' },
    steps: [{ id: 'ask', type: 'ask_question', config: { question: 'How many people work with you?', answerType: 'text', saveToField: 'employees' } }],
  });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  workflowId = wf.body.id;
  expect((await admin.post(`/workflows/${workflowId}/publish`)).status).toBe(200);
  ({ ext, options } = await openConnectedSettings(server.url, server.adminToken));
});
afterAll(async () => closeOptions(ext, server));

describe('changing a custom field\'s type in Settings', () => {
  it('saves it and names the published workflow it breaks, with what to fix', async () => {
    await retypeField(options, 'Key of the new field', 'employees');
    await retypeField(options, 'Label of the new field', 'Employees');
    const type = (await options.waitForSelector('::-p-aria(Type of the new field)'))! as ElementHandle<HTMLSelectElement>;
    await type.select('number');
    await pressButton(options, 'Save field');
    const notice = await options.waitForSelector('::-p-aria(Published workflows this change breaks)', { timeout: 10_000 });
    expect(await notice!.evaluate((n) => (n as HTMLElement).innerText)).toBe([
      '“Employees” is saved as number. These published workflows use it in a way it no longer takes; their runs will fail there until you change or unpublish them:',
      'Company size: Step 1 ("ask") saves a text answer to the number field "Employees" (employees), which would not keep a reply that is no number: set the expected answer to Number (it asks again until the reply is one), or save to another field',
    ].join('\n'));
    expect(await notice!.$eval('a', (a) => a.getAttribute('href'))).toBe(`#/workflows/${workflowId}`);
    expect(await options.$$eval('table[aria-label="Custom fields"] tbody tr', (rows) => rows.map((r) => (r as HTMLElement).innerText.split('\t').slice(0, 3))))
      .toEqual([['employees', 'Employees', 'number']]);
  });
});
