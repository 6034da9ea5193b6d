import type { CDPSession, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The built-in inbox on a slow network (CDP latency, as the review reproduced it), in the moment
// after the agent picked another conversation and before its detail arrived. The head went on
// showing the last conversation's name, status and buttons: "Assign to me" pressed then assigned
// that last conversation, which the address and the list no longer showed. A reply typed and
// sent with Enter then did nothing and said nothing. As in Chatwoot (its reply box works at once
// on the conversation picked), the reply now goes to the conversation it was typed in once that
// has loaded.

const LATENCY_MS = 2_500;
let server: TestServer;
let inbox: InboxBrowser;
let page: Page;
let cdp: CDPSession;
const conv = { lena: '', sam: '' };
const admin = () => server.api(server.adminToken);

const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
const visible = (selector: string) => page.$eval(selector, (el) => !(el as HTMLElement).hidden && el.getClientRects().length > 0).catch(() => false);
/** The messages and notes (not the activity lines: "Admin self-assigned…"). */
const messagesOf = async (id: string) => ((await admin().get(`/conversations/${id}`)).body.messages as { text: string; kind: string }[])
  .filter((m) => m.kind !== 'activity').map((m) => m.text);
const slow = (latency: number) => cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: -1, uploadThroughput: -1 });

/** Lena's conversation shown (its detail in), at full speed. */
async function openLena() {
  await slow(0);
  await page.goto(`${server.url}/inbox/c/${conv.lena}`);
  await page.waitForFunction((cid: string) => document.querySelector('[data-testid="conversation"]')?.getAttribute('data-conversation-id') === cid
    && document.querySelector('[data-testid="conversation-title"]')?.textContent === 'Lena Long'
    && (document.querySelector('[data-testid="conversation-meta"]')?.textContent ?? '') !== '', {}, conv.lena);
  await page.waitForSelector(`[data-testid="conversation-item"][data-id="${conv.sam}"] a`);
}

/** Sam's row clicked on a slow network: the address and the row are Sam's, his detail not in yet. */
async function pickSamSlowly() {
  await slow(LATENCY_MS);
  await page.click(`[data-testid="conversation-item"][data-id="${conv.sam}"] a`);
  await page.waitForFunction((cid: string) => location.pathname.endsWith(`/c/${cid}`), {}, conv.sam);
  expect(await page.$eval('[data-testid="message-list"]', (el) => el.textContent)).toContain('Loading');
}

beforeAll(async () => {
  server = await startTestServer();
  for (const [key, first, last] of [['lena', 'Lena', 'Long'], ['sam', 'Short', 'Sam']] as const) {
    const contact = (await admin().post('/contacts', { firstName: first, lastName: last })).body.id as string;
    conv[key] = (await admin().post('/conversations', { contactId: contact })).body.id as string;
    expect((await admin().post(`/conversations/${conv[key]}/messages`, { text: `Hello from ${first}`, direction: 'incoming' })).status).toBe(201);
  }
  inbox = await openSignedInInbox(server.url, server.adminToken, { live: true });
  page = inbox.page;
  cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
});

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

beforeEach(async () => {
  for (const id of [conv.lena, conv.sam]) expect((await admin().post(`/conversations/${id}/assign`, { userId: null })).status).toBe(200);
});
afterEach(async () => { await slow(0); });

describe('another conversation picked, its detail still on the way', () => {
  it('the head no longer offers the last conversation\'s name, status and buttons; Assign acts on the one shown', async () => {
    await openLena();
    expect(await visible('[data-testid="assign-button"]')).toBe(true);
    await pickSamSlowly();
    // Nothing in the head is Lena's any more: not her name, nor "Open", nor buttons acting on her.
    expect(await text('[data-testid="conversation-title"]')).not.toBe('Lena Long');
    expect(await text('[data-testid="conversation-status"]')).toBe('');
    for (const button of ['assign-button', 'close-button', 'reopen-button']) expect([button, await visible(`[data-testid="${button}"]`)]).toEqual([button, false]);
    // Pressed all the same (a click already on its way): it assigns no one.
    await page.$eval('[data-testid="assign-button"]', (el) => (el as HTMLButtonElement).click());
    // Sam's detail comes: his head, his buttons, and they act on him.
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-title"]')?.textContent === 'Short Sam', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="assign-button"]:not([hidden])');
    await slow(0);
    await page.click('[data-testid="assign-button"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-meta"]')?.textContent?.includes('Assigned to You'));
    expect((await admin().get(`/conversations/${conv.sam}`)).body.assigneeId).not.toBeNull();
    expect((await admin().get(`/conversations/${conv.lena}`)).body.assigneeId).toBeNull();
    expect(inbox.pageErrors).toEqual([]);
  });

  it('a reply sent with Enter goes to the conversation it was typed in once that has loaded, and says it will meanwhile', async () => {
    await openLena();
    await pickSamSlowly();
    await page.type('[data-testid="composer-input"]', 'On my way, Sam');
    await page.keyboard.press('Enter');
    // Not lost without a word: the page says it goes once the conversation is in.
    await page.waitForFunction(() => /once this conversation has loaded/.test(document.querySelector('[data-testid="composer-pending"]')?.textContent ?? ''), { timeout: 2_000 });
    await page.waitForFunction((cid: string) => [...document.querySelectorAll('[data-testid="message-text"]')].some((el) => el.textContent === 'On my way, Sam')
      && document.querySelector('[data-testid="conversation"]')?.getAttribute('data-conversation-id') === cid, { timeout: 20_000 }, conv.sam);
    await page.waitForFunction(() => (document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')?.value ?? 'x') === '', { timeout: 10_000 });
    expect(await visible('[data-testid="composer-pending"]')).toBe(false);
    expect(await messagesOf(conv.sam)).toEqual(['Hello from Short', 'On my way, Sam']);
    expect(await messagesOf(conv.lena)).toEqual(['Hello from Lena']);
  });

  it('a reply waiting for its conversation is not sent when the agent leaves it first; the text stays as its draft', async () => {
    await openLena();
    await pickSamSlowly();
    await page.type('[data-testid="composer-input"]', 'Not for now');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="composer-pending"]:not([hidden])');
    // Back to Lena before Sam's detail came: nothing goes to either.
    await page.click(`[data-testid="conversation-item"][data-id="${conv.lena}"] a`);
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-title"]')?.textContent === 'Lena Long', { timeout: 20_000 });
    expect(await visible('[data-testid="composer-pending"]')).toBe(false);
    expect(await page.$eval('[data-testid="composer-input"]', (el) => (el as HTMLTextAreaElement).value)).toBe('');
    await slow(0);
    await page.click(`[data-testid="conversation-item"][data-id="${conv.sam}"] a`);
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-title"]')?.textContent === 'Short Sam');
    expect(await page.$eval('[data-testid="composer-input"]', (el) => (el as HTMLTextAreaElement).value)).toBe('Not for now');
    expect(await messagesOf(conv.sam)).not.toContain('Not for now');
    expect(await messagesOf(conv.lena)).not.toContain('Not for now');
  });
});
