import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { connectExtension, fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';
import { launcherState, openConversation, until } from './launcher-harness';

// The options page in real Chromium with the built extension, against the real server. The admin
// (and then a supervisor) works in one browser profile, the agent's inbox runs in another.

let server: TestServer;
let console_: ExtensionBrowser;
let agentBrowser: ExtensionBrowser;
let options: Page;
let inbox: Page;
let agent: { id: string; name: string; token: string };
let supervisorToken: string;
const PHONE = '+34600111222';
const shots = process.env.OPTIONS_SCREENSHOTS;

async function screenshot(name: string) {
  if (!shots) return;
  await mkdir(shots, { recursive: true });
  await options.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

const byLabel = async (label: string) => {
  const el = await options.waitForSelector(`::-p-aria(${label})`, { timeout: 10_000 });
  if (!el) throw new Error(`Nothing labelled ${label}`);
  return el as ElementHandle<HTMLInputElement>;
};
async function fill(label: string, value: string) {
  const el = await byLabel(label);
  await el.click({ count: 3 });
  await options.keyboard.down('Control');
  await options.keyboard.press('KeyA');
  await options.keyboard.up('Control');
  await options.keyboard.press('Backspace');
  await el.type(value);
}
const choose = async (label: string, value: string) => (await byLabel(label) as unknown as ElementHandle<HTMLSelectElement>).select(value);
const click = async (name: string) => (await options.waitForSelector(`::-p-aria(${name}[role="button"])`, { timeout: 10_000 }))!.click();
const bodyText = () => options.evaluate(() => document.body.innerText);
const waitText = (text: string, ms = 10_000) => until(async () => (await bodyText()).includes(text), `"${text}" on the options page`, ms);

async function addStep(type: string) {
  await choose('New step', type);
  await click('Add step');
}

/** The launcher's menu entries, opening and closing the menu to read them. */
async function menuEntries(): Promise<string[]> {
  const button = await inbox.waitForSelector('pierce/button[aria-label="Shortcuts"]');
  if (await button!.evaluate((b) => b.getAttribute('aria-disabled') === 'true')) return [];
  await button!.click();
  await inbox.waitForSelector('pierce/[role="option"]', { timeout: 2000 }).catch(() => undefined);
  const entries = await inbox.$$eval('pierce/[role="option"]', (els) => els.map((e) => e.textContent ?? ''));
  await inbox.keyboard.press('Escape');
  return entries;
}

beforeAll(async () => {
  server = await startTestServer();
  const a = await server.createUser('agent', { name: 'Ada Agent' });
  agent = { id: a.user.id, name: a.user.name, token: a.token };
  supervisorToken = (await server.createUser('supervisor', { name: 'Sue Supervisor' })).token;
  const admin = server.api(server.adminToken);
  const contact = await admin.post('/contacts', { firstName: 'Maria', lastName: 'Garcia', phone: PHONE });
  const conversation = await admin.post('/conversations', { contactId: contact.body.id });

  [console_, agentBrowser] = await Promise.all([launchWithExtension(), launchWithExtension()]);
  await connectExtension(agentBrowser, server.url, agent.token);
  inbox = await agentBrowser.browser.newPage();
  await openConversation(inbox, server.url, agent.token, conversation.body.id);

  options = await console_.openOptions();
  await options.setViewport({ width: 1280, height: 900 });
  await fillConnectForm(options, server.url, server.adminToken);
  await options.waitForSelector('::-p-aria(New workflow[role="button"])', { timeout: 15_000 });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await screenshot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
});

afterAll(async () => {
  await console_?.close();
  await agentBrowser?.close();
  await server?.close();
});

describe('options page, admin', () => {
  it('creates a shortcut workflow with a form and publishes it; the agent\'s launcher shows it without a reload', async () => {
    expect(await menuEntries()).toEqual([]);
    await click('New workflow');
    await fill('Workflow name', 'Order lookup');
    await fill('Shortcut name', 'Order lookup');
    await fill('Description', 'Look an order up by its number');
    await click('Add field');
    // Each field's controls say whose they are ("Label of Field 1", then of its label).
    await fill('Label of Field 1', 'Order number');
    await (await byLabel('Required (Order number)')).click();
    await options.waitForSelector('::-p-aria(Form preview) ::-p-aria(Order number *)', { timeout: 5000 }).catch(() => undefined);
    await addStep('add_comment');
    await fill('Comment', 'Looking up {{$trigger.order_number}}');
    await screenshot('shortcut-editor');
    await click('Publish');
    await options.waitForSelector('.badge-published', { timeout: 10_000 });
    expect(options.url()).toMatch(/#\/workflows\/[^/]+$/);

    const list = await server.api(server.adminToken).get('/workflows');
    const saved = list.body.workflows.find((w: { name: string }) => w.name === 'Order lookup');
    expect(saved).toMatchObject({
      status: 'published',
      trigger: { type: 'shortcut', name: 'Order lookup', form: { fields: [{ label: 'Order number', variable: 'order_number', required: true, type: 'text' }] } },
      steps: [{ type: 'add_comment', config: { text: 'Looking up {{$trigger.order_number}}' } }],
    });
    const entries = await until(async () => {
      const e = await menuEntries();
      return e.some((t) => t.includes('Order lookup')) && e;
    }, 'the new shortcut in the agent\'s launcher', 10_000);
    expect(entries.join(' ')).toContain('Look an order up by its number');
  });

  it('builds a webhook workflow, tests its mappings, and shows the run of a real POST with the extracted variables', async () => {
    await (await options.waitForSelector('nav a[href="#/workflows"]'))!.click();
    await click('New workflow');
    await fill('Workflow name', 'Order webhook');
    await choose('Trigger type', 'incoming_webhook');
    await click('Add variable');
    await fill('JSON key 1', '$.order.id');
    await fill('Variable 1', 'order_id');
    await addStep('add_comment');
    await fill('Comment', 'Order {{$trigger.order_id}} received');
    await click('Save');
    const urlEl = await options.waitForSelector('::-p-aria(Webhook URL)', { timeout: 10_000 });
    const hookUrl = await urlEl!.evaluate((el) => el.textContent ?? '');
    expect(hookUrl).toMatch(/\/hooks\//);

    await fill('Sample JSON body', JSON.stringify({ phone: PHONE, order: { id: 'A-1001', total: 30 } }));
    await click('Test mappings');
    await waitText('"A-1001"');
    await waitText('1 matching contact');
    await screenshot('webhook-editor');

    await click('Publish');
    await options.waitForSelector('.badge-published', { timeout: 10_000 });
    const post = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: PHONE, order: { id: 'A-1001' } }) });
    expect(post.status).toBeLessThan(300);

    // The editor's header row scrolls under the sticky top bar once the page is scrolled (as
    // filling the sample body does); a person scrolls back up to reach the link, and so does this.
    await options.evaluate(() => window.scrollTo(0, 0));
    await (await options.waitForSelector('a::-p-text(Run history)'))!.click();
    await options.waitForSelector('::-p-aria(Runs)', { timeout: 10_000 });
    await until(async () => (await bodyText()).includes('completed'), 'the run to complete in the history', 15_000);
    await click('Details');
    await waitText('order_id');
    const text = await bodyText();
    expect(text).toContain('"A-1001"');
    expect(text).toContain('add_comment_1');
    await screenshot('run-history');
  });
});

describe('options page, supervisor', () => {
  it('sees the restrictions (first), contacts and runs, and an agent toggle disables the agent\'s launcher within a second', async () => {
    await click('Disconnect');
    await fillConnectForm(options, server.url, supervisorToken);
    const toggle = await options.waitForSelector(`::-p-aria(Shortcuts for ${agent.name})`, { timeout: 15_000 });
    const nav = await options.$$eval('nav[aria-label="Sections"] a', (links) => links.map((l) => l.textContent));
    expect(nav).toEqual(['Restrictions', 'Contacts', 'Runs']);
    expect(await launcherState(inbox)).toMatchObject({ disabled: false });
    await screenshot('restrictions');

    const started = Date.now();
    await toggle!.click();
    await until(async () => (await launcherState(inbox)).disabled, 'the agent\'s launcher to be disabled', 1000);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1000);
    const me = await server.api(agent.token).get('/shortcuts');
    expect(me.body.allowed).toBe(false);

    await toggle!.click();
    await until(async () => !(await launcherState(inbox)).disabled, 'the launcher to come back', 3000);
  });
});
