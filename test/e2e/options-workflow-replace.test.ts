import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Workflow } from '../../lib/contracts/workflow';
import { startTestServer, type TestServer } from '../support/server';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';
import { until } from './launcher-harness';

// An admin imports the newer version of a live webhook workflow from the options page of the built
// extension, into the real server, and picks "Replace": the workflow keeps its id and webhook URL,
// stays published, and the shop's next delivery runs the new version at once, as the page says.

let server: TestServer;
let ext: ExtensionBrowser;
let options: Page;
let dir: string;
let live: Workflow;
const shots = process.env.OPTIONS_SCREENSHOTS;

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'workflow-replace-'));
  const trigger = { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [] };
  live = Workflow.parse((await server.api(server.adminToken).post('/workflows', { name: 'Order paid', trigger, steps: [], status: 'published' })).body);
  ext = await launchWithExtension();
  options = await ext.openOptions();
  await options.setViewport({ width: 1280, height: 900 });
  await fillConnectForm(options, server.url, server.adminToken);
  await options.waitForSelector('::-p-aria(Workflows)', { timeout: 15_000 });
}, 60_000);
afterAll(async () => {
  await ext?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const bodyText = () => options.evaluate(() => document.body.innerText);

it('replaces a published workflow from a file: same URL, still live, the next delivery runs the new version', async () => {
  const admin = server.api(server.adminToken);
  await admin.post('/contacts', { firstName: 'Ana', phone: '+14155550123' });
  const file = (await admin.get(`/workflows/export?ids=${live.id}`)).body;
  file.workflows[0].definition.steps = [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['paid'] } }];
  const saved = path.join(dir, 'order-paid.workflows.json');
  await writeFile(saved, JSON.stringify(file));

  await (await options.waitForSelector('::-p-aria(Workflows)'))!.click();
  const input = await options.waitForSelector('input[type="file"][accept*="json"]') as ElementHandle<HTMLInputElement>;
  await input.uploadFile(saved);
  const replace = await options.waitForSelector(`::-p-aria(Replace “Order paid” (published, version 1, ${live.id}))`, { timeout: 10_000 });
  await replace!.click();
  await until(async () => (await bodyText()).includes('"Order paid" is published and stays published: this version is live once imported'), 'the warning of the replace', 10_000);
  if (shots) {
    await mkdir(shots, { recursive: true });
    await options.screenshot({ path: path.join(shots, 'workflow-import-replace.png'), fullPage: true });
  }
  await (await options.waitForSelector('::-p-aria(Import and replace[role="button"])'))!.click();
  await until(async () => (await bodyText()).includes('“Order paid” now runs the file\'s version: it stays published, with the same webhook URL'), 'the import to finish', 10_000);
  if (shots) await options.screenshot({ path: path.join(shots, 'workflow-import-replaced.png'), fullPage: true });

  const after = Workflow.parse((await admin.get(`/workflows/${live.id}`)).body);
  expect([after.status, after.version, after.steps.length]).toEqual(['published', 2, 1]);
  const url = live.trigger.type === 'incoming_webhook' ? live.trigger.url! : '';
  expect(after.trigger.type === 'incoming_webhook' && after.trigger.url).toBe(url);
  expect((await admin.get('/workflows')).body.workflows).toHaveLength(1);

  // The shop's next delivery, right after: taken, and run on the file's version (its tag).
  const delivered = await server.request('POST', new URL(url).pathname, { body: { phone: '+14155550123' } });
  expect(delivered.status).toBe(202);
  await until(async () => (await admin.get('/contacts?phone=%2B14155550123')).body.contacts[0]?.tags.includes('paid'), 'the new version to run', 10_000);
}, 60_000);
