import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The built-in inbox as a Hebrew or Arabic reader, a phone (320 CSS px), a keyboard and a screen
// reader meet it: text direction, reflow, focus after Close/Reopen, contrast, names, tabs, and
// what the live region says.

let server: TestServer;
let inbox: InboxBrowser;
let page: Page;
const ids = { sara: '', conv: '', ahmed: '', ahmedConv: '' };
const HEBREW = 'שלום! האם ההזמנה שלי נשלחה?';
const admin = () => server.api(server.adminToken);

const attr = (selector: string, name: string) => page.$eval(selector, (el, n) => el.getAttribute(n), name);
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);

beforeAll(async () => {
  server = await startTestServer();
  const api = admin();
  await api.put('/settings/closing-categories', { categories: ['Resolved'] });
  ids.sara = (await api.post('/contacts', { firstName: 'שרה', lastName: 'כהן', tags: ['לקוח'] })).body.id;
  ids.conv = (await api.post('/conversations', { contactId: ids.sara })).body.id;
  await api.post(`/conversations/${ids.conv}/messages`, { text: HEBREW, direction: 'incoming' });
  ids.ahmed = (await api.post('/contacts', { firstName: 'أحمد', lastName: 'علي' })).body.id;
  ids.ahmedConv = (await api.post('/conversations', { contactId: ids.ahmed })).body.id;
  await api.post(`/conversations/${ids.ahmedConv}/messages`, { text: 'مرحبا، طلبك جاهز' });
  inbox = await openSignedInInbox(server.url, server.adminToken, { live: true });
  page = inbox.page;
});

afterAll(async () => {
  await inbox?.close();
  await server?.close();
});

async function openSara() {
  await page.goto(`${server.url}/inbox/c/${ids.conv}`);
  await page.waitForSelector('[data-testid="message-text"]');
  await page.waitForSelector(`[data-testid="conversation-item"][data-id="${ids.ahmedConv}"]`);
}

describe('right-to-left text', () => {
  it('gives every piece of user text its own direction (dir=auto), names in sentences isolated', async () => {
    await openSara();
    for (const selector of ['[data-testid="message-text"]', '[data-testid="conversation-title"]', '[data-testid="composer-input"]',
      '[data-testid="conversation-name"]', `[data-id="${ids.conv}"] .item-preview`, '[data-testid="contact-firstName"]',
      '[data-testid="tag"] span', '[data-testid="tag-input"]', '[data-testid="close-summary"]', '[data-testid="me-name"]']) {
      expect([selector, await attr(selector, 'dir')]).toEqual([selector, 'auto']);
    }
    // The agent's reply in the list: "Admin: <text>", the text isolated from the English around it.
    expect(await page.$eval(`[data-id="${ids.ahmedConv}"] .item-preview`, (el) => [...el.querySelectorAll('bdi')].map((b) => b.textContent)))
      .toEqual([expect.any(String), 'مرحبا، طلبك جاهز']);
  });

  it('puts a Hebrew question mark at the end of the sentence (its left), not beside the first word', async () => {
    const [first, mark] = await page.$eval('[data-testid="message-text"]', (p) => {
      const node = p.firstChild!;
      const x = (i: number) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect().left; };
      return [x(0), x(node.textContent!.length - 1)] as const;
    });
    expect(mark).toBeLessThan(first);
  });
});

describe('the close dialog and focus', () => {
  it('is named by its heading', async () => {
    await openSara();
    await page.click('[data-testid="close-button"]');
    await page.waitForSelector('[data-testid="close-dialog"][open]');
    const dialog = await page.$('[data-testid="close-dialog"]');
    const node = await page.accessibility.snapshot({ root: dialog!, interestingOnly: false });
    expect(node?.role).toBe('dialog');
    expect(node?.name).toBe('Close conversation');
  });

  it('moves the focus to the conversation heading after Close, and to the reply box after Reopen', async () => {
    await page.click('[data-testid="close-confirm"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-status"]')?.textContent?.startsWith('Closed'));
    expect(await focused()).toBe('conversation-title');
    await page.focus('[data-testid="reopen-button"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Open');
    ids.conv = (await page.$eval('[data-conversation-id]', (el) => el.getAttribute('data-conversation-id')))!;
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'composer-input', { timeout: 5000 }).catch(() => undefined);
    expect(await focused()).toBe('composer-input');
  });
});

describe('contrast (WCAG 1.4.3)', () => {
  it.each([
    ['the active tab', '.tab.active'],
    ['the selected row’s time', '.conversation-item.current .item-time'],
    ['the selected row’s preview', '.conversation-item.current .item-preview'],
    ['the Open badge', '[data-testid="conversation-status"]'],
  ])('%s is at least 4.5:1', async (_what, selector) => {
    await page.waitForSelector(selector);
    const ratio = await page.$eval(selector, (el) => {
      const rgb = (c: string) => c.match(/[\d.]+/g)!.slice(0, 4).map(Number);
      // The first opaque background behind the text (the row's, the pill's).
      let bg: number[] = [255, 255, 255];
      for (let n: Element | null = el; n; n = n.parentElement) {
        const c = rgb(getComputedStyle(n).backgroundColor);
        if (c.length < 4 || c[3]! > 0) { bg = c; break; }
      }
      const lum = (c: number[]) => {
        const [r, g, b] = c.slice(0, 3).map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const a = lum(rgb(getComputedStyle(el).color)); const b = lum(bg);
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    });
    expect(ratio).toBeGreaterThanOrEqual(4.5);
  });
});

describe('the list tabs', () => {
  it('are one Tab stop, moved between with the arrow keys (WAI-ARIA tabs)', async () => {
    await openSara();
    expect(await page.$$eval('[data-testid^="tab-"]', (tabs) => tabs.map((t) => (t as HTMLElement).tabIndex))).toEqual([0, -1]);
    await page.focus('[data-testid="tab-open"]');
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('tab-closed');
    await page.waitForFunction(() => document.querySelector('[data-testid="tab-closed"]')?.getAttribute('aria-selected') === 'true');
    expect(await attr('[data-testid="tab-closed"]', 'aria-controls')).toBe('conversation-list-panel');
    await page.keyboard.press('Home');
    expect(await focused()).toBe('tab-open');
    await page.waitForFunction(() => document.querySelector('[data-testid="tab-open"]')?.getAttribute('tabindex') === '0');
  });
});

describe('the message list for a screen reader', () => {
  it('says only messages that arrive, not the history on opening', async () => {
    await openSara();
    expect(await attr('[data-testid="message-list"]', 'aria-live')).toBeNull();
    expect(await page.$eval('[data-testid="message-announcer"]', (el) => el.textContent)).toBe('');
    await admin().post(`/conversations/${ids.conv}/messages`, { text: 'תודה רבה', direction: 'incoming' });
    await page.waitForFunction(() => document.querySelector('[data-testid="message-announcer"]')?.textContent?.includes('תודה רבה'), { timeout: 8000 });
    expect(await page.$eval('[data-testid="message-announcer"]', (el) => [el.getAttribute('role'), el.textContent])).toEqual(['log', 'שרה כהן: תודה רבה']);
  });
});

describe('a 320 CSS px screen (WCAG 1.4.10 Reflow)', () => {
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const rightEdge = (selector: string) => page.$eval(selector, (el) => el.getBoundingClientRect().right);

  it('shows the thread alone, with the reply box, Send and Close inside the screen, and goes back to the list', async () => {
    await page.setViewport({ width: 320, height: 640 });
    try {
      await openSara();
      expect(await overflow()).toBeLessThanOrEqual(0);
      for (const selector of ['[data-testid="composer-input"]', '[data-testid="send-button"]', '[data-testid="close-button"]', '[data-testid="assign-button"]', '[data-testid="signout"]']) {
        expect([selector, await rightEdge(selector) <= 320]).toEqual([selector, true]);
      }
      expect(await page.$eval('.list-pane', (el) => getComputedStyle(el).display)).toBe('none');
      // Messages wrap by words, not a letter per line.
      expect(await page.$eval('[data-testid="message-text"]', (el) => el.getBoundingClientRect().width)).toBeGreaterThan(150);

      await page.click('[data-testid="back-to-list"]');
      await page.waitForFunction(() => location.pathname === '/inbox/');
      expect(await page.$eval('.list-pane', (el) => getComputedStyle(el).display)).not.toBe('none');
      expect(await overflow()).toBeLessThanOrEqual(0);
      expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="conversation-item"]')?.getAttribute('data-id'))).toBeTruthy();
    } finally {
      await page.setViewport({ width: 1360, height: 820 });
    }
  });

  it('has no back link on a wide screen, where list and thread sit side by side', async () => {
    await openSara();
    expect(await page.$eval('[data-testid="back-to-list"]', (el) => getComputedStyle(el).display)).toBe('none');
    expect(inbox.pageErrors).toEqual([]);
  });
});
