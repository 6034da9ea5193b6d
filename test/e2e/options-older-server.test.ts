import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import type { ExtensionBrowser } from './support/browser';
import { openConnectedOptions, seedWorkflowList } from './support/options-page';
import { startOlderServer } from './support/older-server';
import { until } from './launcher-harness';

// The Chrome Web Store updates the extension before a self-hosted server is upgraded. Connected
// to a real server that answers GET /workflows as the release before paging did (any parameter
// refused with a 422, none: the whole list), the built extension's Workflows list still shows
// every workflow, 50 at a time, searched and filtered in the page, and tells the admin to update
// the server, instead of showing only "Unknown query parameter limit".

let server: TestServer;
let older: Awaited<ReturnType<typeof startOlderServer>>;
let ext: ExtensionBrowser;
let options: Page;
const COUNT = 120;

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  await seedWorkflowList(server, COUNT);
  older = await startOlderServer(server, server.adminToken);
  ({ ext, options } = await openConnectedOptions(older.url, server.adminToken, '::-p-aria(New workflow[role="button"])'));
}, 120_000);
afterAll(async () => {
  await ext?.close();
  await older?.close();
  await server?.close();
});

const rowNames = () => options.$$eval('table[aria-label="Workflows"] tbody tr > td:first-child > a[dir="auto"]', (links) => links.map((a) => a.textContent?.trim() ?? ''));
const countText = () => options.$eval('[data-testid="workflow-count"]', (p) => p.textContent).catch(() => null);
const shows = (text: string) => until(async () => (await countText()) === text, `"${text}"`, 10_000);
const byLabel = async (label: string) => (await options.waitForSelector(`::-p-aria(${label})`, { timeout: 10_000 }))! as ElementHandle<HTMLInputElement>;

it('lists every workflow a page at a time and says the server is older than the extension', async () => {
  await shows(`Showing 50 of ${COUNT} workflows`);
  expect(await rowNames()).toHaveLength(50);
  const notice = await options.$eval('[data-testid="older-server"]', (p) => p.textContent);
  expect(notice).toBe('The companion server is older than this extension: it cannot search or filter workflows, so the whole list was read and is searched here. Ask whoever runs the companion server to update it.');
  expect(await options.$$eval('[role="alert"]', (alerts) => alerts.map((a) => a.textContent))).toEqual([]);
  // It was asked as that release is asked: once refused, then with no parameters.
  expect(older.workflowCalls).toEqual(expect.arrayContaining(['?limit=50', '']));

  await (await options.waitForSelector('::-p-aria(Load more workflows[role="button"])'))!.click();
  await shows(`Showing 100 of ${COUNT} workflows`);
});

it('searches and filters the whole list in the page', async () => {
  await (await byLabel('Search by name')).type('ZETA');
  await shows('Showing 1 of 1 matching workflow');
  expect(await rowNames()).toEqual(['Zeta sub-flow']);
});
