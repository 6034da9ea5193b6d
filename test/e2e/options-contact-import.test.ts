import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ContactList, type Contact } from '../../lib/contracts/contacts';
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
  for (const [key, label, type, options] of [['signup', 'Signup date', 'date', []], ['website', 'Website', 'url', []], ['language', 'Language', 'list', ['English', 'Deutsch']], ['customer_id', 'Contact ID', 'text', []]] as const) {
    await admin.put(`/fields/${key}`, { label, type, options });
  }
  await admin.put('/settings/lifecycle-stages', { stages: ['Lead', 'Customer'] });
  await admin.put('/settings/default-country', { country: 'DE' });
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
  const lines = Array.from({ length: 1_200 }, (_, i) => `"Client ${i + 1}, Jr",${i === 41 ? '0151' : `+1 415 555 ${String(1000 + i)}`},client${i + 1}@example.com,silver,customer`);
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
  expect(await options.$eval('table[aria-label="Rows not imported"] tbody', (t) => t.textContent)).toMatch(/^43Phone: "0151" is not a phone number: .*not a valid DE number either/);
  if (shots) await options.screenshot({ path: path.join(shots, 'contact-import-done.png'), fullPage: true });

  const admin = server.api(server.adminToken);
  const found = ContactList.parse((await admin.get('/contacts?phone=%2B14155551000')).body).contacts;
  expect(found).toEqual([expect.objectContaining({ firstName: 'Client', lastName: '1, Jr', email: 'client1@example.com', tags: ['customer'], fields: { plan: 'Silver' } })]);
  const runs = await server.store.db.selectFrom('runs').select('id').execute();
  expect(runs).toEqual([]);
}, 90_000);

// Excel on Windows, "CSV (semicolon delimited)": Windows-1252 bytes, day-first dates, national
// numbers, a website without https://, a language the list does not have, two people with neither
// phone nor email, and respond.io's Contact ID to find them by when the file comes again.
it('imports a Windows-1252 export as written, leaves out what does not fit, and finds the same people again by their Contact ID', async () => {
  const text = [
    'First Name;Last Name;Phone Number;Email;Lifecycle;Signup date;Website;Language;Contact ID',
    'José;García;0151 10000000;jose@example.com;customer;15/03/2024;acme.io;German;C-1',
    'Élodie;Besançon;;;Lead;;;;C-2',
    'Zoë;Müller;;;;01/02/2024;;Deutsch;C-3',
    'João;São Paulo;+55 11 91234 5678;;Lead;;;;C-4',
  ].join('\r\n');
  const file = path.join(dir, 'respondio-export.csv');
  // Every character here is in Latin-1, where Windows-1252 has the same bytes.
  await writeFile(file, Buffer.from(text, 'latin1'));
  const input = await options.waitForSelector('input[type="file"]') as ElementHandle<HTMLInputElement>;
  const pick = async () => {
    await input.uploadFile(file);
    await until(async () => (await bodyText()).includes('respondio-export.csv: 4 rows'), 'the file to be read', 10_000);
  };
  await pick();
  expect(await bodyText()).toContain('This file is not UTF-8; read as Windows-1252 (Excel\'s default). If names look wrong, save the file as CSV UTF-8.');
  expect(await bodyText()).toContain('Besançon');
  expect(await bodyText()).toMatch(/2 rows have no phone or email: they are created again at every import \(row 3, 4\)/);
  if (shots) await options.screenshot({ path: path.join(shots, 'contact-import-cp1252.png'), fullPage: true });
  await (await options.waitForSelector('::-p-aria(Import 4 rows[role="button"])'))!.click();
  await until(async () => (await bodyText()).includes('Import finished: 4 created'), 'the import to finish', 30_000);
  expect(await options.$$eval('table[aria-label="Values skipped"] tbody tr', (rows) => rows.map((r) => r.textContent))).toEqual(['2Language"German": Expected one of: English, Deutsch']);
  if (shots) await options.screenshot({ path: path.join(shots, 'contact-import-cp1252-done.png'), fullPage: true });

  const admin = server.api(server.adminToken);
  const all = async () => {
    const found: Contact[] = [];
    for (let cursor = ''; ;) {
      const page = ContactList.parse((await admin.get(`/contacts?limit=200${cursor ? `&cursor=${cursor}` : ''}`)).body);
      found.push(...page.contacts.filter((c) => c.fields.customer_id));
      if (!page.nextCursor) return found;
      cursor = page.nextCursor;
    }
  };
  const jose = (await all()).find((c) => c.fields.customer_id === 'C-1');
  expect(jose).toMatchObject({ firstName: 'José', lastName: 'García', phone: '+4915110000000', lifecycle: 'Customer', fields: { signup: '2024-03-15', website: 'https://acme.io', customer_id: 'C-1' } });
  expect(jose!.fields.language).toBeUndefined();
  expect((await all()).find((c) => c.fields.customer_id === 'C-3')).toMatchObject({ firstName: 'Zoë', lastName: 'Müller', fields: { signup: '2024-02-01', language: 'Deutsch' } });

  // The same file again, found by Contact ID: nobody twice.
  await pick();
  const findBy = await options.waitForSelector('::-p-aria(Find existing contacts by)') as ElementHandle<HTMLSelectElement>;
  await findBy.select('field');
  const field = await options.waitForSelector('::-p-aria(Custom field to find contacts by)') as ElementHandle<HTMLSelectElement>;
  await field.select('customer_id');
  expect(await bodyText()).not.toContain('created again at every import');
  await (await options.waitForSelector('::-p-aria(Import 4 rows[role="button"])'))!.click();
  await until(async () => (await bodyText()).includes('Import finished: 0 created, 0 updated, 4 unchanged, 0 failed.'), 'the second import to finish', 30_000);
  expect((await all()).map((c) => c.fields.customer_id).sort()).toEqual(['C-1', 'C-2', 'C-3', 'C-4']);
}, 90_000);
