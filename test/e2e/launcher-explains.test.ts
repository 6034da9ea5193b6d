import net from 'node:net';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import {
  LAUNCHER, connectExtension, launchWithExtension, launcherState, openConversation, openLauncher, until, type ExtensionBrowser,
} from './launcher-harness';

// The launcher explaining itself (restricted) and its "not sent" toast during a real outage, in
// Chromium with the built extension. The extension reaches the server through a TCP relay that
// the test takes down and brings back on the same port: the browser sees refused connections.

let server: TestServer;
let ext: ExtensionBrowser;
let page: Page;
let relay: Relay;
let agent: { id: string; token: string };
let supervisorToken: string;
const ids = { conversation: '' };

interface Relay { url: string; down(): Promise<void>; up(): Promise<void>; close(): Promise<void> }

async function startRelay(target: URL): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  let listener: net.Server | null = null;
  let port = 0;
  const up = () => new Promise<void>((resolve, reject) => {
    listener = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => s.destroy()); }
      client.pipe(upstream).pipe(client);
    });
    listener.once('error', reject);
    listener.listen(port, '127.0.0.1', () => { port = (listener!.address() as net.AddressInfo).port; resolve(); });
  });
  const down = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    if (!listener) return resolve();
    listener.close(() => resolve());
    listener = null;
  });
  await up();
  return { url: `http://127.0.0.1:${port}`, up, down, close: down };
}

const overlap = (a: DOMRectLike, b: DOMRectLike) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
interface DOMRectLike { left: number; right: number; top: number; bottom: number }
const rectOf = (p: Page, selector: string) => p.$eval(selector, (el) => {
  const r = el.getBoundingClientRect();
  return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
});
const shadowText = (selector: string) => page.$eval(`pierce/${selector}`, (el) => el.textContent ?? '').catch(() => '');

beforeAll(async () => {
  server = await startTestServer();
  const a = await server.createUser('agent', { name: 'Ada Agent' });
  agent = { id: a.user.id, token: a.token };
  supervisorToken = (await server.createUser('supervisor')).token;
  const admin = server.api(server.adminToken);
  const contact = await admin.post('/contacts', { firstName: 'Maria', lastName: 'Garcia' });
  ids.conversation = (await admin.post('/conversations', { contactId: contact.body.id })).body.id;
  const vip = await admin.post('/workflows', {
    name: 'Mark VIP',
    trigger: { type: 'shortcut', icon: '⭐', name: 'Mark VIP', description: 'Tag the contact as VIP' },
    steps: [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } }],
  });
  expect((await admin.post(`/workflows/${vip.body.id}/publish`)).status).toBe(200);

  relay = await startRelay(new URL(server.url));
  ext = await launchWithExtension();
  await connectExtension(ext, relay.url, agent.token);
  page = await ext.browser.newPage();
  await page.setViewport({ width: 1360, height: 820 });
  // The page itself comes straight from the server; only the extension goes through the relay.
  await openConversation(page, server.url, agent.token, ids.conversation);
});

afterAll(async () => {
  await ext?.close();
  await relay?.close();
  await server?.close();
});

describe('launcher that explains itself', () => {
  it('restricted: stays in the Tab order, and Enter shows and announces the reason', async () => {
    await until(async () => !(await launcherState(page)).disabled, 'an enabled launcher', 10_000);
    expect((await server.api(supervisorToken).patch(`/users/${agent.id}/restrictions`, { shortcutsEnabled: false })).status).toBe(200);
    await until(async () => (await launcherState(page)).disabled, 'the launcher to be restricted', 10_000);
    expect(await page.$eval(LAUNCHER, (b) => (b as HTMLButtonElement).disabled)).toBe(false);

    await page.focus('[data-testid="note-toggle"]');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => (document.activeElement?.shadowRoot?.activeElement as HTMLElement | null)?.getAttribute('aria-label'));
    expect(focused).toBe('Shortcuts');
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/[data-testid="launcher-reason"]');
    expect(await shadowText('[data-testid="launcher-reason"]')).toMatch(/turned shortcuts off|turned off/i);
    await until(async () => (await shadowText('[data-testid="launcher-announcement"]')).length > 0, 'the announcement');
    expect(await page.$eval('pierce/[data-testid="launcher-announcement"]', (el) => el.getAttribute('aria-live'))).toBe('polite');
    expect(await page.$('pierce/[role="listbox"]')).toBeNull();

    // Escape closes it; the keyboard command (as the background forwards it, lib/extension/commands.ts) says it again.
    await page.keyboard.press('Escape');
    await until(async () => !(await page.$('pierce/[data-testid="launcher-reason"]')), 'the reason to close');
    await page.bringToFront();
    const worker = await ext.background();
    await worker.evaluate(async () => {
      const c = (globalThis as any).chrome;
      const [tab] = await c.tabs.query({ active: true, currentWindow: true });
      await c.tabs.sendMessage(tab.id, { ic: 'push', push: { type: 'open-launcher' } });
    });
    await page.waitForSelector('pierce/[data-testid="launcher-reason"]', { timeout: 5000 });

    await server.api(supervisorToken).patch(`/users/${agent.id}/restrictions`, { shortcutsEnabled: true });
    await until(async () => !(await launcherState(page)).disabled, 'the launcher to come back', 10_000);
    expect(await page.$('pierce/[data-testid="launcher-reason"]')).toBeNull();
  });

  it('offline: the "not sent" toast says what happened and what to do, leaves Send uncovered, and goes when the server is back', async () => {
    await relay.down();
    await openLauncher(page);
    await page.keyboard.type('vip');
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/.ic-toast [role="alert"]', { timeout: 10_000 });
    const text = await shadowText('.ic-toast');
    expect(text).toContain('Not sent: the companion server cannot be reached, so nothing was started.');
    expect(text).toContain('Check your connection and try again');

    const toast = await rectOf(page, 'pierce/.ic-toast');
    const send = await rectOf(page, '[data-testid="send-button"]');
    const composer = await rectOf(page, '[data-testid="composer-input"]');
    expect(overlap(toast, send), `toast ${JSON.stringify(toast)} covers Send ${JSON.stringify(send)}`).toBe(false);
    expect(overlap(toast, composer)).toBe(false);
    expect(toast.bottom).toBeGreaterThan(0);

    // While the server stays away the toast stays (the launcher checks every 3 s).
    await new Promise((r) => setTimeout(r, 3500));
    expect(await page.$('pierce/.ic-toast [role="alert"]')).not.toBeNull();
    await relay.up();
    await until(async () => !(await page.$('pierce/.ic-toast [role="alert"]')), 'the toast to go once the server is back', 15_000);
  });

  it('a successful retry shows the run instead', async () => {
    await openLauncher(page);
    await page.keyboard.type('vip');
    await page.keyboard.press('Enter');
    await until(async () => (await shadowText('.ic-toast')).includes('Done'), 'the run to finish', 15_000);
    expect(await page.$('pierce/.ic-toast [role="alert"]')).toBeNull();
  });
});
