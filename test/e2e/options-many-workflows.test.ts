import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';
import { until } from './launcher-harness';

// GET /workflows answers a page at a time (50 unless the caller asks for up to 200): the options
// page of the built extension reads every page, so an admin with 300 workflows sees all of them in
// the list, and a Trigger workflow step offers the manual workflows that sort last too.

let server: TestServer;
let ext: ExtensionBrowser;
let options: Page;
const COUNT = 300;

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  const admin = server.api(server.adminToken);
  for (let i = 0; i < COUNT - 1; i++) {
    const res = await admin.post('/workflows', { name: `Flow ${String(i).padStart(3, '0')}`, trigger: { type: 'conversation_opened' }, steps: [] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  // Last by name: past the first page of 50 and the first of 200.
  expect((await admin.post('/workflows', { name: 'Zeta sub-flow', trigger: { type: 'manual' }, steps: [], status: 'published' })).status).toBe(201);

  ext = await launchWithExtension();
  options = await ext.openOptions();
  await options.setViewport({ width: 1280, height: 900 });
  await fillConnectForm(options, server.url, server.adminToken);
  await options.waitForSelector('::-p-aria(New workflow[role="button"])', { timeout: 15_000 });
}, 120_000);
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

const byLabel = async (label: string) => (await options.waitForSelector(`::-p-aria(${label})`, { timeout: 10_000 }))! as ElementHandle<HTMLSelectElement>;
const click = async (name: string) => (await options.waitForSelector(`::-p-aria(${name}[role="button"])`, { timeout: 10_000 }))!.click();

it('lists all 300 workflows, by name, the last one included', async () => {
  await options.waitForSelector('xpath///tr[.//a[normalize-space()="Zeta sub-flow"]]', { timeout: 15_000 });
  const names = await options.$$eval('table[aria-label="Workflows"] tbody tr > td:first-child > a[dir="auto"]', (links) => links.map((a) => a.textContent?.trim() ?? ''));
  expect(names).toHaveLength(COUNT);
  expect(names.slice(0, 2)).toEqual(['Flow 000', 'Flow 001']);
  expect(names.at(-1)).toBe('Zeta sub-flow');
});

it('offers the manual workflow that sorts last in a Trigger workflow step', async () => {
  await click('New workflow');
  await (await byLabel('New step')).select('trigger_workflow');
  await click('Add step');
  const pick = await byLabel('Workflow to start');
  await until(async () => (await pick.evaluate((s) => [...s.options].map((o) => o.textContent))).includes('Zeta sub-flow'), 'the manual workflow in the picker', 10_000);
});
