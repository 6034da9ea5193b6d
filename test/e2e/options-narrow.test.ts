import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { startTestServer, type TestServer } from '../support/server';
import { until } from './launcher-harness';
import type { ExtensionBrowser } from './support/browser';
import { openConnectedOptions } from './support/options-page';

// The built extension's options page on a 320 CSS px screen (a phone, or 1280 px zoomed to 400%;
// WCAG 1.4.10 Reflow), as the inbox already fits one: the review found the page 775 px wide (the
// menu, the header's Disconnect, the title's buttons and the tables). Nothing scrolls sideways
// but a wide table, inside its own box; the menu wraps and every section stays reachable.

let server: TestServer;
let crm: HttpServer;
let ext: ExtensionBrowser;
let options: Page;
const admin = () => server.api(server.adminToken);

beforeAll(async () => {
  crm = await startHttpServer((_req, res) => { res.statusCode = 403; res.end('{"error":"not allowed"}'); });
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  const agent = await server.createUser('agent', { name: 'Ava Agent' });
  const wf = await admin().post('/workflows', {
    name: 'Sync the order to the CRM and tell the customer', trigger: { type: 'shortcut', name: 'Sync to CRM' }, status: 'published',
    steps: [{ id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm` } }],
  });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  const contact = (await admin().post('/contacts', { firstName: 'Ana', lastName: 'López', phone: '+34600111222', email: 'ana.lopez@example.com', tags: ['vip', 'lead'] })).body;
  const conversation = (await admin().post('/conversations', { contactId: contact.id })).body;
  const launched = await server.api(agent.token).post(`/shortcuts/${wf.body.id}/launch`, { conversationId: conversation.id, values: {} });
  expect(launched.status, JSON.stringify(launched.body)).toBe(202);
  await until(async () => (await admin().get(`/runs?workflowId=${wf.body.id}&status=failed`)).body.runs?.length === 1, 'the run to fail', 15_000);

  ({ ext, options } = await openConnectedOptions(server.url, server.adminToken, 'nav a[href="#/runs"]'));
}, 60_000);

afterAll(async () => {
  await ext?.close();
  await server?.close();
  await crm?.close();
});

const pageWidth = () => options.evaluate(() => document.documentElement.scrollWidth);
const rightEdge = (selector: string) => options.$eval(selector, (el) => el.getBoundingClientRect().right);

describe('the options page on a 320 CSS px screen', () => {
  it.each([
    ['Workflows', 'workflows', 'table[aria-label="Workflows"]'],
    ['Runs', 'runs', 'table[aria-label="Runs"]'],
    ['Contacts', 'contacts', 'table[aria-label="Contacts"]'],
  ])('%s fits the screen; its table scrolls in its own box', async (_name, section, table) => {
    await options.setViewport({ width: 320, height: 800 });
    try {
      await (await options.waitForSelector(`nav a[href="#/${section}"]`))!.click();
      await options.waitForSelector(`${table} tbody tr`, { timeout: 10_000 });
      expect(await pageWidth()).toBeLessThanOrEqual(320);
      // The last section's link, Disconnect and the table's box are on the screen, not past its edge.
      for (const selector of ['nav a[href="#/settings"]', '.topbar button', `.table-wrap:has(> ${table})`]) {
        expect([selector, await rightEdge(selector) <= 320]).toEqual([selector, true]);
      }
      // The table is wider than the screen, and scrolls inside its box instead of the page.
      const box = await options.$eval(`.table-wrap:has(> ${table})`, (el) => ({ scroll: el.scrollWidth, width: el.clientWidth, overflow: getComputedStyle(el).overflowX }));
      expect(box.overflow).toBe('auto');
      expect(box.scroll).toBeGreaterThan(box.width);
    } finally {
      await options.setViewport({ width: 1280, height: 900 });
    }
  });

  it('keeps the wide layout on a desktop screen: the menu and Disconnect on one line', async () => {
    await (await options.waitForSelector('nav a[href="#/workflows"]'))!.click();
    await options.waitForSelector('table[aria-label="Workflows"] tbody tr', { timeout: 10_000 });
    const tops = await options.$$eval('.topbar .brand, .topbar nav a, .topbar button', (els) => els.map((el) => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2)));
    expect(new Set(tops).size).toBe(1);
    expect(await options.$eval('.topbar', (el) => getComputedStyle(el).position)).toBe('sticky');
  });
});
