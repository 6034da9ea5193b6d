import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatsappPlainMessage, whatsappStatus } from '../fixtures/meta/payloads';
import { graphErrors } from '../support/graph-standin';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from '../integration/channels/support';

// The built-in inbox on a WhatsApp conversation, in Chromium: the composer says whether a reply
// can reach the customer, the reply goes through the Graph API stand-in, and Meta's status
// webhooks show on the message as they arrive.
let w: ChannelWorld;
let browser: Browser;
let page: Page;
let userDataDir: string;
let conversationId = '';
const pageErrors: string[] = [];

const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
async function until<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out');
}

beforeAll(async () => {
  w = await startChannelWorld();
  await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Is my order on its way?', name: 'Ana Lima' }));
  conversationId = (await conversationOf(w.server, 'phone=%2B14155550123')).conversation.id;
  userDataDir = await mkdtemp(path.join(tmpdir(), 'inbox-channel-chrome-'));
  browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true, userDataDir,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  page.on('pageerror', (err) => pageErrors.push(String(err)));
});

afterAll(async () => {
  await browser?.close();
  await w?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe('the inbox on a WhatsApp conversation', () => {
  it('shows the window, sends the reply through the channel and shows Meta’s delivery status live', async () => {
    await page.goto(`${w.server.url}/inbox/c/${conversationId}`);
    await page.waitForSelector('[data-testid="signin-token"]', { visible: true });
    await page.type('[data-testid="signin-token"]', w.server.adminToken);
    await page.click('[data-testid="signin-submit"]');
    await page.waitForSelector(`[data-conversation-id="${conversationId}"]:not([hidden])`);
    await page.waitForSelector('[data-testid="channel-window"]:not([hidden])');
    expect(await text('[data-testid="channel-window"]')).toMatch(/^WhatsApp: replies go to the customer \(24-hour window open until/);

    await page.type('[data-testid="composer-input"]', 'Yes, it ships today!');
    await page.click('[data-testid="send-button"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="message"][data-direction="outgoing"] [data-testid="delivery-status"]')?.textContent === 'Accepted by Meta');
    expect(w.graph.sent.map((s) => s.body.text.body)).toEqual(['Yes, it ships today!']);

    await w.deliver(whatsappStatus({ wamid: w.graph.sent[0]!.id, status: 'delivered', recipient: '14155550123' }));
    await page.waitForFunction(() => document.querySelector('[data-testid="message"][data-direction="outgoing"] [data-testid="delivery-status"]')?.textContent === 'Delivered');
    await w.deliver(whatsappStatus({ wamid: w.graph.sent[0]!.id, status: 'read', recipient: '14155550123' }));
    await page.waitForFunction(() => document.querySelector('[data-testid="delivery-status"]')?.getAttribute('data-status') === 'read');
  });

  it('a workflow’s message Meta throttles shows as not sent yet, with Meta’s reason, until its run sends it', async () => {
    const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Your parcel left the warehouse' } }]);
    const { contact } = await conversationOf(w.server, 'phone=%2B14155550123');
    w.graph.failNext(graphErrors.waThroughput(), graphErrors.waThroughput(), graphErrors.waThroughput());
    const admin = w.server.api(w.server.adminToken);
    expect((await admin.post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBeLessThan(300);
    const runId = await until(async () => (await admin.get(`/workflows/${wf}/runs`)).body.runs.find((r: { status: string }) => r.status === 'waiting')?.id as string | undefined);
    await page.reload();
    await page.waitForSelector('[data-testid="delivery-status"][data-status="retrying"]');
    expect(await text('[data-testid="delivery-status"][data-status="retrying"]')).toMatch(/^Not sent yet, will try again: Meta error 130429/);

    // The retry is due (time passes): the same message goes out and the badge follows live.
    await w.server.store.db.updateTable('runs').set({ wake_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', runId).execute();
    w.server.app.services.runSignal.notify();
    await page.waitForFunction(() => !document.querySelector('[data-testid="delivery-status"][data-status="retrying"]'));
    expect(w.graph.sent.map((s) => s.body.text.body)).toContain('Your parcel left the warehouse');
    expect(await page.$$eval('[data-testid="message"][data-direction="outgoing"]', (els) => els.filter((e) => e.textContent?.includes('Your parcel left the warehouse')).length)).toBe(1);
  });

  it('when Meta stops taking the channel’s token, a reply fails saying why and the composer says so until the token is replaced', async () => {
    w.graph.expireToken(WA.token);
    await page.type('[data-testid="composer-input"]', 'Are you still there?');
    await page.click('[data-testid="send-button"]');
    await page.waitForSelector('[data-testid="delivery-status"][data-status="failed"]');
    expect(await text('[data-testid="delivery-status"][data-status="failed"]')).toMatch(/^Failed: Meta no longer accepts this channel's access token .*Channels → Replace token\.$/);
    await page.reload();
    await page.waitForSelector('[data-testid="composer"].channel-problem');
    expect(await text('[data-testid="channel-window"]')).toMatch(/^WhatsApp: replies go to the customer .*\. Sending is failing: Meta no longer accepts this channel's access token/);

    // The admin pastes a new token (Settings → Channels → Replace token): the warning goes.
    w.graph.addPhoneNumber({ id: WA.phoneNumberId, token: 'EAAGnewToken9876QRST' });
    expect((await w.server.api(w.server.adminToken).patch(`/channels/${w.whatsappId}`, { accessToken: 'EAAGnewToken9876QRST' })).status).toBe(200);
    await page.reload();
    await page.waitForSelector('[data-testid="channel-window"]:not([hidden])');
    expect(await page.$eval('[data-testid="composer"]', (c) => c.classList.contains('channel-problem'))).toBe(false);
    expect(await text('[data-testid="channel-window"]')).not.toMatch(/Sending is failing/);
  });

  it('when the 24-hour window has closed, the composer says so and Send is off for replies (notes still work)', async () => {
    const dayAgo = new Date(Date.now() - 26 * 3600_000).toISOString();
    await w.server.store.db.updateTable('messages').set({ created_at: dayAgo, sent_at: dayAgo }).where('direction', '=', 'incoming').execute();
    await page.reload();
    await page.waitForSelector('[data-testid="composer"].window-closed');
    expect(await text('[data-testid="channel-window"]')).toMatch(/WhatsApp: The 24-hour window is closed: WhatsApp accepts only an approved template/);
    expect(await page.$eval('[data-testid="send-button"]', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await page.click('[data-testid="note-toggle"]');
    expect(await page.$eval('[data-testid="send-button"]', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
