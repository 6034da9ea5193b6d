import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { until } from './launcher-harness';
import { closeOptions, openConnectedOptions } from './support/options-page';
import type { ExtensionBrowser } from './support/browser';

// The builder's "Insert variable" menu in Chromium with the built extension: the admin reads each
// variable by its name (a form field's label, a custom field's label, the contact's fields in
// words), its path beside it, as n8n and respond.io show them; a search finds it by either, and
// Enter inserts the first match into the step's text.

let server: TestServer;
let ext: ExtensionBrowser | undefined;
let options: Page;
let workflowId = '';

beforeAll(async () => {
  server = await startTestServer();
  const admin = server.api(server.adminToken);
  expect((await admin.put('/fields/plan', { label: 'Plan', type: 'list', options: ['Free', 'Pro'] })).status).toBe(200);
  const wf = await admin.post('/workflows', {
    name: 'Quote',
    trigger: { type: 'shortcut', name: 'Quote', form: { fields: [{ label: 'Company size', type: 'number', variable: 'field_3' }] } },
    steps: [{ id: 'note', type: 'add_comment', config: { text: 'Size: ' } }],
  });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  workflowId = wf.body.id;
  ({ ext, options } = await openConnectedOptions(server.url, server.adminToken, '::-p-aria(New workflow[role="button"])'));
  await options.goto(`chrome-extension://${ext.extensionId}/options.html#/workflows/${workflowId}`);
});
afterAll(async () => closeOptions(ext, server));

/** The menu's items as the admin reads them: [label, path beside it]. */
const items = () => options.$$eval('[role="menu"][aria-label="Variables"] [role="menuitem"]',
  (els) => els.map((e) => [e.querySelector('.menu-label')?.textContent, e.querySelector('.menu-path')?.textContent]));

describe('the Insert variable menu of the workflow builder', () => {
  it('names each variable in words with its path beside it, finds it by either, and inserts it', async () => {
    await (await options.waitForSelector('::-p-aria(Insert variable into Comment)', { timeout: 15_000 }))!.click();
    // The custom fields arrive from the server after the editor opens.
    await until(async () => JSON.stringify(await items()).includes('"Plan"'), 'the custom field\'s label in the menu', 10_000);
    expect(await items()).toEqual(expect.arrayContaining([
      ['First name', '{{$contact.firstName}}'],
      ['Lifecycle stage', '{{$contact.lifecycle}}'],
      ['Plan', '{{$contact.fields.plan}}'],
      ['Company size', '{{$trigger.field_3}}'],
      ['Launched by', '{{$trigger.launchedByName}}'],
      ['Conversation first incoming message', '{{$conversation.firstIncomingMessage}}'],
    ]));
    const title = await options.$eval('[role="menuitem"][aria-label="Company size"]', (b) => b.getAttribute('title'));
    expect(title).toBe('{{$trigger.field_3}}');

    const search = (await options.waitForSelector('::-p-aria(Search variables)'))!;
    await search.type('plan');
    expect(await items()).toEqual([['Plan', '{{$contact.fields.plan}}']]);
    await search.click({ count: 3 });
    await search.type('trigger.field');
    expect(await items()).toEqual([['Company size', '{{$trigger.field_3}}']]);
    await search.click({ count: 3 });
    await search.type('company');
    expect(await items()).toEqual([['Company size', '{{$trigger.field_3}}']]);
    await options.keyboard.press('Enter');
    expect(await options.$('[role="menu"][aria-label="Variables"]')).toBeNull();
    expect(await options.$eval('::-p-aria(Comment)', (t) => (t as HTMLTextAreaElement).value)).toBe('Size: {{$trigger.field_3}}');
  });
});
