import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { until } from './launcher-harness';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';

// A Branch's run details in Chromium with the built extension: an agent launches "Order a shirt"
// (form list Size: S, M, L) for a Pro customer; the Branch "Big Enterprise" asks for size L AND
// plan Enterprise. The admin reads each variable by the label the builder gives it ("Size",
// "Plan"; the variable as written on hover) and every condition, the one the "and" never
// reached marked "not checked".

let server: TestServer;
let ext: ExtensionBrowser;
let options: Page;
let runId = '';
const admin = () => server.api(server.adminToken);

beforeAll(async () => {
  server = await startTestServer();
  expect((await admin().put('/fields/plan', { label: 'Plan', type: 'list', options: ['Free', 'Pro', 'Enterprise'] })).status).toBeLessThan(300);
  const wf = await admin().post('/workflows', {
    name: 'Order a shirt',
    trigger: { type: 'shortcut', name: 'Order a shirt', form: { fields: [{ label: 'Size', type: 'list', variable: 'size', required: true, options: ['S', 'M', 'L'] }] } },
    steps: [
      { id: 'route', type: 'branch', config: { branches: [{ name: 'Big Enterprise', goTo: 'big', conditions: { logic: 'and', rules: [
        { left: '{{$trigger.size}}', operator: 'is', right: 'L' },
        { left: '{{$contact.fields.plan}}', operator: 'is', right: 'Enterprise' },
      ] } }] } },
      { id: 'small', type: 'add_comment', config: { text: 'Regular order' } },
      { id: 'big', type: 'add_comment', config: { text: 'Big order' } },
    ],
  });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  expect((await admin().post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
  const contact = await admin().post('/contacts', { firstName: 'Maria', fields: { plan: 'Pro' } });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  const conversation = await admin().post('/conversations', { contactId: contact.body.id });
  const launched = await admin().post(`/shortcuts/${wf.body.id}/launch`, { conversationId: conversation.body.id, values: { size: 'M' } });
  expect(launched.status, JSON.stringify(launched.body)).toBe(202);
  runId = launched.body.runId;
  await until(async () => (await admin().get(`/runs/${runId}`)).body.status === 'completed', 'the run to complete', 10_000);

  ext = await launchWithExtension();
  options = await ext.openOptions();
  await fillConnectForm(options, server.url, server.adminToken);
  await options.waitForSelector('::-p-aria(New workflow[role="button"])', { timeout: 15_000 });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('run details of a Branch in the options page', () => {
  it('names the variables as the builder does, the variable on hover, and marks the condition not checked', async () => {
    await options.goto(`chrome-extension://${ext.extensionId}/options.html#/runs`);
    const row = `tr[data-run-id="${runId}"]`;
    await (await options.waitForSelector(`${row} ::-p-aria(Details)`, { timeout: 10_000 }))!.click();
    const conditions = () => options.$$eval('.branches-tried ul > li', (lis) => lis.map((li) => [li.className, (li as HTMLElement).innerText]));
    await until(async () => JSON.stringify(await conditions()).includes('Size is'), 'the labels to be read', 10_000);
    expect(await conditions()).toEqual([
      ['not-held', 'Size is "L": it was “M” — no'],
      ['not-checked', 'Plan is "Enterprise": not checked'],
    ]);
    const labels = await options.$$eval('.branches-tried .variable-label', (els) => els.map((e) => [e.textContent, e.getAttribute('title')]));
    expect(labels).toEqual([['Size', '{{$trigger.size}}'], ['Plan', '{{$contact.fields.plan}}']]);
    expect(await options.$eval('.branch-outcome', (p) => p.textContent)).toBe('No branch held, so it took Else and went on to the next step.');
  });
});
