import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { until } from './launcher-harness';
import type { ExtensionBrowser } from './support/browser';
import { closeOptions, openConnectedOptions, pressButton, selectLabelled, workflowRowNames } from './support/options-page';

// The built extension's options page lists workflows in one order everywhere, as people read
// names: the Workflows list page after page, the Runs section's workflow filter and a Trigger
// workflow step's picker. They were in two: the list by bytes ("Beta", "Flow 1", "Flow 10",
// "Zeta", "alpha", "Émile"), the run filter as the server's locale ("Flow 10" before "Flow 2").
// And two people of one name are told apart by their email in "Launched by" and an Assign step.

let server: TestServer;
let ext: ExtensionBrowser;
let options: Page;
/** Every workflow's name, in the order people read them. */
let inOrder: string[] = [];
const sams: { id: string; email: string }[] = [];

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  const admin = server.api(server.adminToken);
  // 55 numbered past the first page of 50, and names bytes would put elsewhere.
  const names = [...Array.from({ length: 55 }, (_, i) => `Flow ${i + 1}`), 'alpha', 'Beta', 'Zeta', 'Émile', 'zulu'];
  for (const name of names) {
    const res = await admin.post('/workflows', { name, trigger: { type: 'manual' }, steps: [] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  inOrder = ['alpha', 'Beta', 'Émile', ...Array.from({ length: 55 }, (_, i) => `Flow ${i + 1}`), 'Zeta', 'zulu'];
  for (const email of ['sam.lee@north.test', 'sam.lee@south.test']) {
    const sam = await server.createUser('agent', { name: 'Sam Lee', email });
    sams.push({ id: sam.user.id, email });
  }
  await server.createUser('agent', { name: 'Ava Agent' });
  ({ ext, options } = await openConnectedOptions(server.url, server.adminToken, '::-p-aria(New workflow[role="button"])'));
}, 120_000);
afterAll(() => closeOptions(ext, server));

const byLabel = (label: string) => selectLabelled(options, label);
const click = (name: string) => pressButton(options, name);
const optionTexts = (select: ElementHandle<HTMLSelectElement>) => select.evaluate((s) => [...s.options].map((o) => o.textContent ?? ''));
const rowNames = () => workflowRowNames(options);
/** The two Sam Lees as a picker names them, in the order of their ids (equal names keep it). */
const samLabels = (label: (email: string) => string) => [...sams].sort((a, b) => (a.id < b.id ? -1 : 1)).map((s) => label(s.email));

describe('workflow names', () => {
  it('the Workflows list shows them in that order, page after page', async () => {
    await until(async () => (await rowNames()).length === 50, 'the first page', 10_000);
    await click('Load more workflows');
    await until(async () => (await rowNames()).length === inOrder.length, 'the second page', 10_000);
    expect(await rowNames()).toEqual(inOrder);
  });

  it('a Trigger workflow step offers them in the same order', async () => {
    await click('New workflow');
    await (await byLabel('New step')).select('trigger_workflow');
    await click('Add step');
    const pick = await byLabel('Workflow to start');
    await until(async () => (await optionTexts(pick)).length === inOrder.length + 1, 'every manual workflow in the picker', 10_000);
    expect((await optionTexts(pick)).slice(1).map((t) => t.replace(/ \(draft\)$/, ''))).toEqual(inOrder);
  });

  it('the Runs section\'s workflow filter lists them in the same order', async () => {
    await (await options.waitForSelector('nav a[href="#/runs"]'))!.click();
    const filter = await byLabel('Workflow');
    await until(async () => (await optionTexts(filter)).length === inOrder.length + 1, 'every workflow in the filter', 10_000);
    expect((await optionTexts(filter)).slice(1)).toEqual(inOrder);
  });
});

describe('people of one name', () => {
  it('"Launched by" shows each one\'s email beside the name', async () => {
    const launcher = await byLabel('Launched by');
    await until(async () => (await optionTexts(launcher)).some((t) => t.startsWith('Sam Lee')), 'the team in the filter', 10_000);
    expect(await optionTexts(launcher)).toEqual(['Anyone', 'Admin', 'Ava Agent', ...samLabels((email) => `Sam Lee (${email})`)]);
  });

  it('an Assign step shows each one\'s role and email', async () => {
    await (await options.waitForSelector('nav a[href="#/workflows"]'))!.click();
    await click('New workflow');
    await (await byLabel('New step')).select('assign_to');
    await click('Add step');
    const pick = await byLabel('Assign to');
    await until(async () => (await optionTexts(pick)).some((t) => t.startsWith('Sam Lee')), 'the team in the picker', 10_000);
    expect((await optionTexts(pick)).slice(2)).toEqual(['Admin (admin)', 'Ava Agent (agent)', ...samLabels((email) => `Sam Lee (agent, ${email})`)]);
  });
});
