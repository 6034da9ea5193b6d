import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { CHROMIUM } from './support/browser';

// Issue 14, "Browser side": the built-in inbox closes its live stream when the page goes into the
// back/forward cache and opens it again when it comes back, so navigating back and forth never
// piles up open streams (a browser allows 6 connections per host over HTTP/1.1).
let server: TestServer;
let browser: Browser;
let page: Page;
let userDataDir: string;

async function until<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const streams = () => server.app.services.live.streams;
const liveState = () => page.$eval('[data-testid="live-state"]', (el) => el.textContent ?? '');

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  userDataDir = await mkdtemp(path.join(tmpdir(), 'inbox-bfcache-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM, headless: true, userDataDir,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  // Records whether a page came back from the back/forward cache.
  await page.evaluateOnNewDocument(() => {
    addEventListener('pageshow', (e) => { (window as unknown as { restored: number }).restored = ((window as unknown as { restored?: number }).restored ?? 0) + (e.persisted ? 1 : 0); });
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(userDataDir, { recursive: true, force: true });
});

describe('the inbox in the back/forward cache', () => {
  it('keeps at most one stream open however often the agent goes back and forth', async () => {
    const base = streams();
    await page.goto(`${server.url}/inbox`);
    await page.waitForSelector('[data-testid="signin-token"]', { visible: true });
    await page.type('[data-testid="signin-token"]', server.adminToken);
    await page.keyboard.press('Enter');
    await until(async () => (await liveState()) === 'Live', 'the stream to open');
    expect(streams()).toBe(base + 1);

    let restored = 0;
    for (let i = 0; i < 12; i++) {
      await page.goto(`${server.url}/docs`);
      await until(() => streams() === base, `the stream to close when leaving (round ${i})`);
      await page.goBack();
      restored = await page.evaluate(() => (window as unknown as { restored?: number }).restored ?? 0);
      await until(async () => (await liveState()) === 'Live' && streams() === base + 1, `the stream to reopen (round ${i})`);
      await page.goForward();
      await page.goBack();
    }
    // The page really came back from the cache (not reloaded), and the stream still works.
    expect(restored).toBeGreaterThan(0);
    await until(async () => (await liveState()) === 'Live', 'live after the last return');
    expect(streams()).toBe(base + 1);
  });
});
