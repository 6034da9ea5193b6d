import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { until } from './launcher-harness';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';

// The admin's run history in Chromium with the built extension: runs appear and change status
// from the server's event stream without Refresh, and table rows line up (bounding boxes).

const SCREENSHOT = path.join(tmpdir(), 'run-history.png');
let server: TestServer;
let ext: ExtensionBrowser;
let options: Page;
const ids = { greet: '', maria: '', bob: '' };
const admin = () => server.api(server.adminToken);

const runIds = () => options.$$eval('tr[data-run-id]', (rows) => rows.map((r) => r.getAttribute('data-run-id')));
const statusOf = (id: string) => options.$eval(`tr[data-run-id="${id}"] .badge`, (el) => el.textContent).catch(() => null);

async function openConversationFor(contactId: string) {
  const conv = await admin().post('/conversations', { contactId });
  expect(conv.status).toBe(201);
  await admin().post(`/conversations/${conv.body.id}/close`, {});
}

beforeAll(async () => {
  server = await startTestServer();
  const wf = await admin().post('/workflows', {
    name: 'Greet', trigger: { type: 'conversation_opened' },
    steps: [{ id: 'c', type: 'add_comment', config: { text: 'Hello' } }, { id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['greeted'] } }],
  });
  ids.greet = wf.body.id;
  await admin().post(`/workflows/${ids.greet}/publish`);
  ids.maria = (await admin().post('/contacts', { firstName: 'Maria', lastName: 'Garcia', phone: '+34600111222' })).body.id;
  ids.bob = (await admin().post('/contacts', { firstName: 'Bob' })).body.id;
  await openConversationFor(ids.maria);

  ext = await launchWithExtension();
  options = await ext.openOptions();
  await options.setViewport({ width: 1280, height: 900 });
  await fillConnectForm(options, server.url, server.adminToken);
  await options.waitForSelector('::-p-aria(New workflow[role="button"])', { timeout: 15_000 });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('run history in the options page', () => {
  it('shows new runs and their status changes without Refresh', async () => {
    await options.goto(`chrome-extension://${ext.extensionId}/options.html#/workflows/${ids.greet}/runs`);
    await options.waitForSelector('tr[data-run-id]', { timeout: 10_000 });
    const [first] = await runIds();
    await until(async () => (await statusOf(first!)) === 'completed', 'the first run to complete', 10_000);

    // Every shown run is finished, so nothing polls: only the pushed run.updated can bring these.
    await openConversationFor(ids.bob);
    const fresh = await until(async () => {
      const shown = await runIds();
      return shown.length === 2 && shown[0] !== first && shown[0];
    }, 'the new run to appear without Refresh', 10_000);
    await until(async () => (await statusOf(fresh)) === 'completed', 'the new run to show completed', 10_000);
  });

  it('filters by contact picked in a row and by status', async () => {
    await (await options.waitForSelector('::-p-aria(Bob[role="button"])'))!.click();
    await until(async () => (await runIds()).length === 1, 'only Bob\'s run');
    expect(await options.$eval('[data-testid="contact-filter"]', (el) => el.textContent)).toContain('Bob');
    await (await options.waitForSelector('::-p-aria(Show every contact)'))!.click();
    await until(async () => (await runIds()).length === 2, 'both runs again');
    await (await options.waitForSelector('::-p-aria(Status)') as unknown as { select(v: string): Promise<string[]> }).select('failed');
    await until(async () => (await options.$('p.empty')) !== null, 'no failed runs');
    await (await options.waitForSelector('::-p-aria(Status)') as unknown as { select(v: string): Promise<string[]> }).select('');
    await until(async () => (await runIds()).length === 2, 'both runs again');
  });

  it('lines table rows up: every cell of a row, the actions cell included, spans the same height', async () => {
    await options.screenshot({ path: SCREENSHOT, fullPage: true });
    const check = () => options.$$eval('table.table tbody tr', (rows) => rows.map((row) => {
      const cells = [...row.children].map((c) => c.getBoundingClientRect());
      const actions = row.querySelector('td.actions')?.getBoundingClientRect();
      const button = row.querySelector('td.actions button')?.getBoundingClientRect();
      const first = cells[0]!;
      return {
        tops: cells.map((c) => Math.round(c.top - first.top)),
        bottoms: cells.map((c) => Math.round(c.bottom - first.bottom)),
        // The buttons sit in the middle of their row, like the text beside them.
        buttonOffset: button && actions ? Math.round((button.top + button.bottom) / 2 - (first.top + first.bottom) / 2) : 0,
      };
    }));
    const runRows = await check();
    expect(runRows.length).toBeGreaterThan(0);
    for (const row of runRows) {
      expect(row.tops.every((d) => d === 0), `cell tops ${row.tops}`).toBe(true);
      expect(row.bottoms.every((d) => d === 0), `cell bottoms ${row.bottoms}`).toBe(true);
      expect(Math.abs(row.buttonOffset)).toBeLessThanOrEqual(2);
    }
    // The workflows list has an actions cell too.
    await (await options.waitForSelector('nav a[href="#/workflows"]'))!.click();
    await options.waitForSelector('table.table tbody tr td.actions');
    for (const row of await check()) {
      expect(row.tops.every((d) => d === 0), `workflow row tops ${row.tops}`).toBe(true);
      expect(row.bottoms.every((d) => d === 0)).toBe(true);
      expect(Math.abs(row.buttonOffset)).toBeLessThanOrEqual(2);
    }
  });
});
