import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatsappAdMessage, whatsappPlainMessage } from '../fixtures/meta/payloads';
import { conversationOf, startChannelWorld, type ChannelWorld } from '../integration/channels/support';

// The built-in inbox, in Chromium, on a conversation a Click-to-WhatsApp ad opened: the header
// names the ad (the catalog's name) and links to it; a conversation without an ad shows nothing.
let w: ChannelWorld;
let browser: Browser;
let page: Page;
let userDataDir: string;

beforeAll(async () => {
  w = await startChannelWorld();
  const admin = w.server.api(w.server.adminToken);
  expect((await admin.post('/ads', { adAccountId: 'act_1', adId: '120210000000001', name: 'Summer sale (Ads Manager)', channel: 'whatsapp_cloud_api', status: 'ACTIVE', objective: 'OUTCOME_ENGAGEMENT', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP' })).status).toBe(201);
  await w.deliver(whatsappAdMessage({ waId: '14155550123', adId: '120210000000001', text: 'Is the sale still on?', name: 'Ana Lima' }));
  await w.deliver(whatsappPlainMessage({ waId: '14155550124', text: 'Hello', name: 'Bo Chen' }));
  userDataDir = await mkdtemp(path.join(tmpdir(), 'inbox-ad-chrome-'));
  browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true, userDataDir,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await w?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe('the inbox on a conversation opened from an ad', () => {
  it('names the ad in the header, with its headline, and links to it; another conversation shows no ad', async () => {
    const fromAd = (await conversationOf(w.server, 'phone=%2B14155550123')).conversation.id;
    const plain = (await conversationOf(w.server, 'phone=%2B14155550124')).conversation.id;
    await page.goto(`${w.server.url}/inbox/c/${fromAd}`);
    await page.waitForSelector('[data-testid="signin-token"]', { visible: true });
    await page.type('[data-testid="signin-token"]', w.server.adminToken);
    await page.click('[data-testid="signin-submit"]');
    await page.waitForSelector(`[data-conversation-id="${fromAd}"]:not([hidden])`);
    await page.waitForSelector('[data-testid="conversation-ad"]:not([hidden])');
    const badge = await page.$eval('[data-testid="conversation-ad"]', (el) => ({ text: el.textContent, href: el.getAttribute('href'), title: el.getAttribute('title') }));
    expect(badge).toEqual({
      text: 'From ad: Summer sale (Ads Manager)', href: 'https://fb.me/2ZnNTUq9D',
      title: 'Opened from a Click-to-WhatsApp ad (120210000000001)\nHeadline: Chat with us\nText: Summer sale: message us for a discount\nOpens the ad',
    });
    await page.goto(`${w.server.url}/inbox/c/${plain}`);
    await page.waitForSelector(`[data-conversation-id="${plain}"]:not([hidden])`);
    expect(await page.$eval('[data-testid="conversation-ad"]', (el) => (el as HTMLElement).hidden)).toBe(true);
  });
});
