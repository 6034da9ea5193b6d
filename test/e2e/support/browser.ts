import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import type { RequestName, RequestOf, ResponseOf } from '../../../lib/extension/protocol';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = path.resolve('.output/chrome-mv3');

export interface ExtensionBrowser {
  browser: Browser;
  extensionId: string;
  /** The popup's page in a tab (popup.html): same code, same messages as the toolbar popup. */
  openPopup(): Promise<Page>;
  openOptions(): Promise<Page>;
  /** The background service worker (e.g. to evaluate in it). */
  background(): Promise<WebWorker>;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, with the BUILT extension (`npm run build` first) installed in a
 * fresh profile. Throws with Chrome's own load error if the extension does not load.
 */
export async function launchWithExtension(opts: { extensionDir?: string } = {}): Promise<ExtensionBrowser> {
  const extensionDir = opts.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(path.join(extensionDir, 'manifest.json'))) throw new Error(`No built extension in ${extensionDir}: run npm run build first`);
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'ic-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    enableExtensions: true,
    userDataDir,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
  let extensionId: string;
  try {
    extensionId = await browser.installExtension(extensionDir);
  } catch (err) {
    await browser.close();
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
  const base = `chrome-extension://${extensionId}`;
  const open = async (file: string) => {
    const page = await browser.newPage();
    await page.goto(`${base}/${file}`, { waitUntil: 'domcontentloaded' });
    return page;
  };
  return {
    browser,
    extensionId,
    openPopup: () => open('popup.html'),
    openOptions: () => open('options.html'),
    async background() {
      const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(base), { timeout: 10_000 });
      const worker = await target.worker();
      if (!worker) throw new Error('The background service worker is not running');
      return worker;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/**
 * Page object: connects the extension through the real popup UI. Resolves with the popup page
 * once it shows the connected state; rejects with the popup's error text otherwise.
 */
export async function connectExtension(ext: ExtensionBrowser, serverUrl: string, token: string): Promise<Page> {
  const popup = await ext.openPopup();
  await fillConnectForm(popup, serverUrl, token);
  const outcome = await popup.waitForFunction(() => {
    const state = document.querySelector('[data-testid="connection-state"]');
    if (state?.getAttribute('data-state') === 'connected') return 'connected';
    const alert = document.querySelector('form [role="alert"]');
    return alert?.textContent ? `error: ${alert.textContent}` : false;
  }, { timeout: 15_000 });
  const result = (await outcome.jsonValue()) as string;
  if (result !== 'connected') throw new Error(`The popup did not connect: ${result}`);
  return popup;
}

/** Types into the popup's connect form and submits it (no waiting for the outcome). */
export async function fillConnectForm(popup: Page, serverUrl: string, token: string) {
  const url = await popup.waitForSelector('::-p-aria(Server URL)', { timeout: 10_000 });
  await url!.click();
  await popup.keyboard.down('Control');
  await popup.keyboard.press('KeyA');
  await popup.keyboard.up('Control');
  await popup.keyboard.press('Backspace');
  await url!.type(serverUrl);
  const tokenInput = await popup.waitForSelector('::-p-aria(Token)');
  await tokenInput!.type(token);
  const button = await popup.waitForSelector('::-p-aria(Connect[role="button"])');
  await button!.click();
}

/**
 * A typed request to the background from an extension page (popup/options), exactly as the
 * UI sends it: `await sendFromPage(popup, 'listShortcuts', {})`.
 */
export async function sendFromPage<K extends RequestName>(page: Page, name: K, data?: RequestOf<K>): Promise<ResponseOf<K>> {
  const reply = (await page.evaluate(
    (n, d) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ ic: 'request', name: n, data: d }),
    name as string, (data ?? null) as never,
  )) as { ok: true; data: ResponseOf<K> } | { ok: false; error: string } | undefined;
  if (!reply) throw new Error(`No answer from the background for ${name}`);
  if (!reply.ok) throw new Error(reply.error);
  return reply.data;
}
