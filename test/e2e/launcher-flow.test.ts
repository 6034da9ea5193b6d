import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import {
  FILTER, connectExtension, fillField, launchWithExtension, launcherState, openConversation, openLauncher, until,
  type ExtensionBrowser,
} from './launcher-harness';

// The launcher in real Chromium, on the built-in inbox, against the real server.

let server: TestServer;
let ext: ExtensionBrowser;
let page: Page;
let agent: { id: string; token: string };
let supervisorToken: string;
const ids = { contact: '', conversation: '', refund: '' };

const admin = () => server.api(server.adminToken);

beforeAll(async () => {
  server = await startTestServer();
  const a = await server.createUser('agent', { name: 'Ada Agent' });
  agent = { id: a.user.id, token: a.token };
  supervisorToken = (await server.createUser('supervisor')).token;
  const contact = await admin().post('/contacts', { firstName: 'Maria', lastName: 'Garcia', phone: '+34600111222' });
  ids.contact = contact.body.id;
  ids.conversation = (await admin().post('/conversations', { contactId: ids.contact })).body.id;

  const refund = await admin().post('/workflows', {
    name: 'Refund order',
    trigger: {
      type: 'shortcut', icon: '💸', name: 'Refund order', description: 'Refund a paid order',
      form: { fields: [
        { label: 'Order number', type: 'text', variable: 'order', required: true, placeholder: '#1042' },
        { label: 'Reason', type: 'list', variable: 'reason', required: true, options: ['Late', 'Damaged'] },
      ] },
    },
    steps: [
      { id: 'note', type: 'add_comment', config: { text: 'Refunded {{$trigger.order}} ({{$trigger.reason}})' } },
      { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['refunded'] } },
    ],
  });
  expect(refund.status, JSON.stringify(refund.body)).toBe(201);
  ids.refund = refund.body.id;
  expect((await admin().post(`/workflows/${ids.refund}/publish`)).status).toBe(200);
  const vip = await admin().post('/workflows', {
    name: 'Mark VIP',
    trigger: { type: 'shortcut', icon: '⭐', name: 'Mark VIP', description: 'Tag the contact as VIP' },
    steps: [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } }],
  });
  await admin().post(`/workflows/${vip.body.id}/publish`);

  ext = await launchWithExtension();
  await connectExtension(ext, server.url, agent.token);
  page = await ext.browser.newPage();
  await page.setViewport({ width: 1360, height: 820 });
  await openConversation(page, server.url, agent.token, ids.conversation);
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

const shadowText = (selector: string) =>
  page.$eval(`pierce/${selector}`, (el) => el.textContent ?? '').catch(() => '');

describe('launcher in the built-in inbox', () => {
  it('mounts in the composer toolbar inside an open shadow root, enabled', async () => {
    const state = await until(async () => {
      const s = await launcherState(page);
      return !s.disabled && s;
    }, 'an enabled launcher');
    expect(state.disabled).toBe(false);
    const host = await page.$eval('[data-composer-toolbar]', (t) => [...t.children].some((c) => c.shadowRoot?.querySelector('button[aria-label="Shortcuts"]')));
    expect(host).toBe(true);
  });

  it('menu -> filter -> Enter -> form; an empty required field blocks the submit', async () => {
    await openLauncher(page);
    const focused = await page.$eval(FILTER, (el) => (el.getRootNode() as ShadowRoot).activeElement === el);
    expect(focused).toBe(true);
    expect(await page.$$eval('pierce/[role="option"]', (els) => els.length)).toBe(2);
    await page.keyboard.type('refund');
    expect(await page.$$eval('pierce/[role="option"]', (els) => els.length)).toBe(1);
    await page.keyboard.press('Enter');
    await page.waitForSelector('::-p-aria(Order number)');
    await fillField(page, 'Reason', 'Damaged');
    await (await page.waitForSelector('pierce/.ic-form button[type="submit"]'))!.click();
    await page.waitForSelector('pierce/[aria-invalid="true"]');
    expect(await shadowText('.ic-field-error')).toBe('This field is required');
    const runs = await admin().get(`/workflows/${ids.refund}/runs`);
    expect(runs.body.runs).toHaveLength(0);
  });

  it('a valid submit launches; the toast follows the run; the comment and tag appear in the inbox', async () => {
    await fillField(page, 'Order number', '#1042');
    await (await page.waitForSelector('pierce/.ic-form button[type="submit"]'))!.click();
    await page.waitForSelector('pierce/.ic-toast');
    await until(async () => (await shadowText('.ic-toast')).includes('Done'), 'the toast to say Done', 15_000);
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="message-text"]')].some((m) => m.textContent === 'Refunded #1042 (Damaged)'),
      { timeout: 10_000 },
    );
    const contact = await admin().get(`/contacts/${ids.contact}`);
    expect(contact.body.tags).toContain('refunded');
    // The menu closed and focus went back to the composer.
    expect(await page.$('pierce/[role="listbox"]')).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('composer-input');
  });

  it('Esc closes the menu and gives the Shortcuts button its focus back (the menu button pattern)', async () => {
    await openLauncher(page);
    await page.keyboard.press('Escape');
    await until(async () => !(await page.$('pierce/[role="listbox"]')), 'the menu to close');
    const focused = await page.$eval('pierce/button[aria-label="Shortcuts"]', (b) => (b.getRootNode() as ShadowRoot).activeElement === b);
    expect(focused).toBe(true);
  });

  it('a restriction toggled by a supervisor disables the launcher without a reload, and a forced launch is refused', async () => {
    const started = Date.now();
    const patch = await server.api(supervisorToken).patch(`/users/${agent.id}/restrictions`, { shortcutsEnabled: false });
    expect(patch.status).toBe(200);
    const state = await until(async () => {
      const s = await launcherState(page);
      return s.disabled && s;
    }, 'a disabled launcher', 3000);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(state.title).toMatch(/\S/);
    const described = await page.$eval('pierce/button[aria-label="Shortcuts"]', (b) => {
      const id = b.getAttribute('aria-describedby');
      return id ? (b.getRootNode() as ShadowRoot).getElementById(id)?.textContent : null;
    });
    expect(described).toBe(state.title);

    const forced = await server.api(agent.token).post(`/shortcuts/${ids.refund}/launch`, { conversationId: ids.conversation, values: { order: '1', reason: 'Late' } });
    expect(forced.status).toBe(403);

    await server.api(supervisorToken).patch(`/users/${agent.id}/restrictions`, { shortcutsEnabled: true });
    await until(async () => !(await launcherState(page)).disabled, 'the launcher to come back', 3000);
  });

  it('with the server stopped, the menu still opens from the cache and a launch says it could not be sent', async () => {
    await server.app.close();
    await openLauncher(page);
    expect(await page.$$eval('pierce/[role="option"]', (els) => els.length)).toBe(2);
    await page.keyboard.type('vip');
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/.ic-toast [role="alert"]');
    expect(await shadowText('.ic-toast')).toMatch(/Not sent/);
  });
});
