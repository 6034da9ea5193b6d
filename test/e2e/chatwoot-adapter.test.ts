import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendFromPage } from './support/browser';
import { openChatwootWithExtension, publishRefundShortcut, startChatwootWorld, type ChatwootWorld } from './chatwoot-harness';
import { launcherState, until, type ExtensionBrowser } from './launcher-harness';

// The Chatwoot adapter in Chromium, registered from the options page on a loopback page that
// reproduces Chatwoot's dashboard: in the reply box's button row, and floating (with the popup
// told) when the markup is one it does not know.

let world: ChatwootWorld;
let ext: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  world = await startChatwootWorld();
  await publishRefundShortcut(world.server);
  ({ ext, page } = await openChatwootWithExtension(world));
});

afterAll(async () => {
  await ext?.close();
  await world?.close();
});

describe('Chatwoot page adapter in Chromium', () => {
  it('mounts in the reply box button row, enabled', async () => {
    await until(async () => !(await launcherState(page)).disabled, 'an enabled launcher', 15_000);
    const inRow = await page.$eval('.reply-box .left-wrap', (row) => [...row.children].some((c) => c.shadowRoot?.querySelector('button[aria-label="Shortcuts"]')));
    expect(inRow).toBe(true);
  });

  it('in private-note mode on a textarea inbox: same row; Esc gives the focus back to the Shortcuts button, closing with the button to the note editor', async () => {
    world.dashboard.options = { note: true, editor: 'textarea', row: 'pre-2025' };
    await page.goto(`${world.dashboard.url}/app/accounts/${world.cw.accountId}/label/refund/conversations/${world.conversationId}`);
    await until(async () => !(await launcherState(page)).disabled, 'an enabled launcher', 15_000);
    const inRow = await page.$eval('.reply-box.is-private .bottom-box .left-wrap', (row) => [...row.children].some((c) => c.shadowRoot?.querySelector('button[aria-label="Shortcuts"]')));
    expect(inRow).toBe(true);
    const button = await page.waitForSelector('pierce/button[aria-label="Shortcuts"]');
    await button!.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/input[aria-label="Filter shortcuts"]');
    await page.keyboard.press('Escape');
    await until(async () => !(await page.$('pierce/[role="listbox"]')), 'the menu to close');
    expect(await button!.evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b)).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/input[aria-label="Filter shortcuts"]');
    await button!.click();
    await until(async () => !(await page.$('pierce/[role="listbox"]')), 'the menu to close again');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.className ?? '')).toContain('ProseMirror');
  });

  it('when Chatwoot changed its markup: a floating launcher, and the popup is told the adapter needs updating', async () => {
    world.dashboard.options = { row: 'missing' };
    await page.goto(`${world.dashboard.url}/app/accounts/${world.cw.accountId}/conversations/${world.conversationId}`);
    const floating = await page.waitForSelector('pierce/button[aria-label="Shortcuts"]', { timeout: 10_000 });
    const host = await floating!.evaluate((b) => {
      const h = (b.getRootNode() as ShadowRoot).host as HTMLElement;
      const dock = h.parentElement!;
      return { floating: h.classList.contains('ic-floating'), position: getComputedStyle(dock).position, parent: dock.parentElement?.tagName, inRow: !!h.closest('.reply-box') };
    });
    expect(host).toEqual({ floating: true, position: 'fixed', parent: 'BODY', inRow: false });

    const worker = await ext.background();
    const tabId = await worker.evaluate(async (origin) => {
      const [tab] = await (globalThis as any).chrome.tabs.query({ url: `${origin}/*` });
      return tab?.id as number;
    }, world.dashboard.url);
    const popup = await ext.openPopup();
    const health = await until(async () => {
      const h = await sendFromPage(popup, 'getAdapterHealth', { tabId });
      return h?.status === 'needs-update' && h;
    }, 'the adapter to report it needs updating');
    expect(health.message).toMatch(/Chatwoot adapter needs updating/);
    await popup.close();
  });
});
