import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ContactList } from '../../lib/contracts/contacts';
import { startTestServer, type TestServer } from '../support/server';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';
import { until } from './launcher-harness';

// A supervisor imports a 1,200-row spreadsheet from the options page of the built extension, into
// the real server: three requests, a progress bar, a summary naming the one row to fix, and no
// workflow started for the tag every row carries.

let server: TestServer;
let ext: ExtensionBrowser;
let options: Page;
let dir: string;
const shots = process.env.OPTIONS_SCREENSHOTS;

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'contact-import-'));
  const admin = server.api(server.adminToken);
  await admin.put('/fields/plan', { label: 'Plan', type: 'list', options: ['Gold', 'Silver'] });
  await admin.post('/workflows', { name: 'Welcome', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['customer'] }, steps: [], status: 'published' });
  ext = await launchWithExtension();
  options = await ext.openOptions();
  await options.setViewport({ width: 1280, height: 900 });
  await fillConnectForm(options, server.url, (await server.createUser('supervisor', { name: 'Sue Supervisor' })).token);
  await options.waitForSelector('::-p-aria(Contacts)', { timeout: 15_000 });
}, 60_000);
afterAll(async () => {
  await ext?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const bodyText = () => options.evaluate(() => document.body.innerText);

it('imports a spreadsheet in parts, with what failed and why, and starts no workflow', async () => {
  const lines = Array.from({ length: 1_200 }, (_, i) => `"Client ${i + 1}, Jr",${i === 41 ? '555 0100' : `+1 415 555 ${String(1000 + i)}`},client${i + 1}@example.com,silver,customer`);
  const file = path.join(dir, 'clients.csv');
  await writeFile(file, `Name,Phone,Email,Plan,Tags\n${lines.join('\n')}\n`);

  await (await options.waitForSelector('::-p-aria(Contacts)'))!.click();
  const input = await options.waitForSelector('input[type="file"]') as ElementHandle<HTMLInputElement>;
  await input.uploadFile(file);
  await options.waitForSelector('::-p-aria(Preview of the file)', { timeout: 10_000 });
  expect(await options.$eval('select[aria-label="Map column “Plan”"]', (s) => (s as HTMLSelectElement).value)).toBe('field:plan');
  if (shots) await options.screenshot({ path: path.join(shots, 'contact-import-mapping.png'), fullPage: true });

  await (await options.waitForSelector('::-p-aria(Import 1,200 rows[role="button"])'))!.click();
  await until(async () => (await bodyText()).includes('Import finished'), 'the import to finish', 30_000);
  expect(await bodyText()).toContain('Import finished: 1,199 created, 0 updated, 0 unchanged, 1 failed.');
  expect(await options.$eval('table[aria-label="Rows not imported"] tbody', (t) => t.textContent)).toMatch(/^43phone: Start with \+ and the country code/);
  if (shots) await options.screenshot({ path: path.join(shots, 'contact-import-done.png'), fullPage: true });

  const admin = server.api(server.adminToken);
  const found = ContactList.parse((await admin.get('/contacts?phone=%2B14155551000')).body).contacts;
  expect(found).toEqual([expect.objectContaining({ firstName: 'Client', lastName: '1, Jr', email: 'client1@example.com', tags: ['customer'], fields: { plan: 'Silver' } })]);
  const runs = await server.store.db.selectFrom('runs').select('id').execute();
  expect(runs).toEqual([]);
}, 90_000);
