import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import type { ExtensionBrowser } from './support/browser';
import { closeOptions, openConnectedOptions, pressButton, seedWorkflowList, selectLabelled, workflowRowNames } from './support/options-page';
import { until } from './launcher-harness';

// GET /workflows answers a page at a time (50 unless the caller asks for up to 200). The built
// extension's Workflows list of a workspace with 300 workflows shows 50 with "Load more", searches
// the names on the server and filters by status and trigger (respond.io's and n8n's lists), and a
// Trigger workflow step offers the manual workflows that sort last too (it reads every page).

let server: TestServer;
let ext: ExtensionBrowser;
let options: Page;
const COUNT = 300;

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  await seedWorkflowList(server, COUNT);
  ({ ext, options } = await openConnectedOptions(server.url, server.adminToken, '::-p-aria(New workflow[role="button"])'));
}, 120_000);
afterAll(() => closeOptions(ext, server));

const byLabel = (label: string) => selectLabelled(options, label);
const click = (name: string) => pressButton(options, name);

const rowNames = () => workflowRowNames(options);
const countText = () => options.$eval('[data-testid="workflow-count"]', (p) => p.textContent);
const shows = (text: string | RegExp) => until(async () => (typeof text === 'string' ? (await countText()) === text : text.test((await countText()) ?? '')), `"${text}"`, 10_000);
/** Back to every workflow: as many rows as were loaded before the search. */
const EVERY = new RegExp(`^Showing \\d+ of ${COUNT} workflows$`);

it('shows the first 50 of 300 by name, and "Load more" the next 50', async () => {
  await shows(`Showing 50 of ${COUNT} workflows`);
  const names = await rowNames();
  expect(names).toHaveLength(50);
  expect(names.slice(0, 2)).toEqual(['Flow 000', 'Flow 001']);
  await click('Load more workflows');
  await shows(`Showing 100 of ${COUNT} workflows`);
  expect((await rowNames()).at(-1)).toBe('Flow 099');
});

it('finds the workflow that sorts last by searching its name, and by its trigger', async () => {
  const search = await byLabel('Search by name');
  await search.type('zeta');
  await shows('Showing 1 of 1 matching workflow');
  expect(await rowNames()).toEqual(['Zeta sub-flow']);
  await search.click({ count: 3 });
  await options.keyboard.press('Escape');
  await shows(EVERY);
  await (await byLabel('Trigger')).select('manual');
  await shows('Showing 1 of 1 matching workflow');
  expect(await rowNames()).toEqual(['Zeta sub-flow']);
  await (await byLabel('Status')).select('draft');
  await shows('No workflows match this search and these filters.');
  await click('Clear filters');
  await shows(EVERY);
});

it('offers the manual workflow that sorts last in a Trigger workflow step', async () => {
  await click('New workflow');
  await (await byLabel('New step')).select('trigger_workflow');
  await click('Add step');
  const pick = await byLabel('Workflow to start');
  await until(async () => (await pick.evaluate((s) => [...s.options].map((o) => o.textContent))).includes('Zeta sub-flow'), 'the manual workflow in the picker', 10_000);
});
