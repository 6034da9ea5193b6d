import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM } from './browser';

/** A headless Chromium on the built-in inbox (dist/inbox), signed in with `token`; page errors collected. */
export interface InboxBrowser {
  browser: Browser;
  page: Page;
  pageErrors: string[];
  close(): Promise<void>;
}

/** A headless Chromium with one page at the inbox's viewport, its page errors collected. */
export async function launchInboxChromium(): Promise<InboxBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'inbox-chrome-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  await page.setViewport({ width: 1360, height: 820 });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  return {
    browser, page, pageErrors,
    async close() {
      await browser.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function openSignedInInbox(serverUrl: string, token: string, opts: { live?: boolean } = {}): Promise<InboxBrowser> {
  const inbox = await launchInboxChromium();
  const { page } = inbox;
  await page.goto(`${serverUrl}/inbox`);
  await page.waitForSelector('[data-testid="signin-token"]', { visible: true });
  await page.type('[data-testid="signin-token"]', token);
  await page.click('[data-testid="signin-submit"]');
  await page.waitForSelector('[data-testid="inbox"]', { visible: true });
  if (opts.live) await page.waitForSelector('[data-testid="live-state"][data-state="live"]');
  return inbox;
}

/** Opens a conversation from the list once its row is there: the list loads after the inbox shows, and a click before that finds nothing. */
export async function clickConversation(page: Page, conversationId: string): Promise<void> {
  const link = `[data-testid="conversation-item"][data-id="${conversationId}"] a`;
  await page.waitForSelector(link, { timeout: 15_000 });
  // A live change redraws the rows: one that lands between finding the row and clicking it
  // leaves puppeteer holding the old node. The row is there again at once: click the new one.
  for (let attempt = 0; ; attempt++) {
    try {
      await page.click(link);
      return;
    } catch (err) {
      if (attempt >= 2 || !/detached/i.test(String(err))) throw err;
    }
  }
}
