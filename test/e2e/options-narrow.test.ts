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
// but a wide table, inside its own box; the menu wraps and every section stays reachable. Then
// Settings (841 px: its tables) and the workflow editor (a step's buttons, a field's "Insert
// variable", a fieldset's rows and a condition's parts past the step's edge) did not fit either.

let server: TestServer;
let crm: HttpServer;
let ext: ExtensionBrowser;
let options: Page;
let editorPath = '';
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
  // What the Settings, Mini-apps and editor cases show: a row in each settings table, an app,
  // and a workflow whose conditions, headers and branch lay out side by side on a wide screen.
  expect((await admin().put('/fields/order_reference', { label: 'Order reference', type: 'text' })).status).toBe(200);
  expect((await admin().post('/ads', { adAccountId: 'act_9', adId: '555', name: 'Spring sale, Spanish speakers', channel: 'messenger', status: 'ACTIVE', objective: 'MESSAGES', optimizationGoal: 'CONVERSATIONS', destinationType: 'MESSENGER' })).status).toBe(201);
  expect((await admin().post('/apps', { key: 'payments', name: 'Payments' })).status).toBe(201);
  const editable = await admin().post('/workflows', {
    name: 'Tell the CRM about new conversations',
    trigger: { type: 'conversation_opened', conditions: { logic: 'and', rules: [{ field: 'source', operator: 'is', value: 'user' }, { field: 'inbox', operator: 'is', value: 'Spanish support' }] } },
    steps: [
      { id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm/conversations`, headers: [{ key: 'Authorization', value: 'Bearer {{$trigger.token}}' }], body: '{ "phone": "{{$contact.phone}}" }', timeoutMs: 10_000, responseMappings: [] } },
      { id: 'vip', type: 'branch', config: { branches: [{ name: 'VIP', conditions: { logic: 'and', rules: [{ left: '{{$contact.tags}}', operator: 'is', right: 'vip' }] }, goTo: 'crm' }] } },
    ],
  });
  expect(editable.status, JSON.stringify(editable.body)).toBe(201);
  editorPath = `#/workflows/${editable.body.id}`;
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
/**
 * Controls past the screen's edge, or past the panel, card or group they are in (cut off by it,
 * or drawn over its border), but those in a table's own scrolling box: each as its name says it.
 */
const strayControls = () => options.$$eval('.content :is(button, input, select, textarea, a, summary, legend, code)', (els) => els.flatMap((el) => {
  const box = el.getBoundingClientRect();
  if (box.width === 0 || el.closest('.table-wrap')) return [];
  const holder = el.parentElement?.closest('.card, .panel, fieldset, .app-card');
  const limit = Math.min(document.documentElement.clientWidth, holder ? holder.getBoundingClientRect().right : Infinity);
  const left = holder ? holder.getBoundingClientRect().left : 0;
  return box.right > limit + 0.5 || box.left < left - 0.5 ? [`${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30)}`] : [];
}));

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

  it.each([
    ['Settings', async () => (await options.waitForSelector('nav a[href="#/settings"]'))!.click(), 'table[aria-label="Custom fields"] tbody tr'],
    ['Mini-apps', async () => {
      await (await options.waitForSelector('nav a[href="#/apps"]'))!.click();
      // The app builder, open, with a row of each kind.
      await (await options.waitForSelector('summary::-p-text(Register an app from its manifest)'))!.click();
      for (const add of ['Add auth input', 'Add field', 'Add trigger', 'Add action']) await (await options.waitForSelector(`::-p-aria(${add}[role="button"])`))!.click();
    }, 'article[aria-label="Payments"]'],
    ['the workflow editor', () => options.evaluate((to) => { location.hash = to; }, editorPath), 'li[data-step-id="vip"]'],
  ])('%s fits the screen: nothing sticks out of it, or out of its panel', async (_name, open, shown) => {
    await options.setViewport({ width: 320, height: 800 });
    try {
      await open();
      await options.waitForSelector(shown, { timeout: 10_000 });
      expect(await pageWidth()).toBeLessThanOrEqual(320);
      expect(await strayControls()).toEqual([]);
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
