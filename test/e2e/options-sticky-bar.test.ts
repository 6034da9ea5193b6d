import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import type { ExtensionBrowser } from './support/browser';
import { closeOptions, openConnectedOptions } from './support/options-page';

// The options page's top bar sticks to the top of the window. Chrome scrolls a field into view on
// focus only when it is outside the window; one under the bar is inside it, so Shift+Tab (or a
// script's focus) left it hidden there: the admin lost the focus ring. The page's
// scroll-padding-top makes the bar's strip count as outside. Needs layout: Chromium, not jsdom.

let server: TestServer;
let ext: ExtensionBrowser;
let options: Page;

beforeAll(async () => {
  server = await startTestServer();
  ({ ext, options } = await openConnectedOptions(server.url, server.adminToken, 'nav a[href="#/settings"]'));
}, 60_000);

afterAll(() => closeOptions(ext, server));

describe('the options page’s sticky top bar', () => {
  it('Shift+Tab to a field under the bar scrolls it out from under the bar', async () => {
    await (await options.waitForSelector('nav a[href="#/settings"]'))!.click();
    const field = (await options.waitForSelector('::-p-aria(Name of the new channel)', { timeout: 10_000 }))!;
    await options.waitForSelector('::-p-aria(Inbox address)', { timeout: 10_000 });
    // The page scrolled so that the field sits under the bar: inside the window, but hidden.
    await field.evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - 8));
    const barBottom = await options.$eval('.topbar', (el) => el.getBoundingClientRect().bottom);
    expect(await field.evaluate((el) => el.getBoundingClientRect().bottom)).toBeLessThan(barBottom);
    // The keyboard on the next field, then one step back.
    await (await options.waitForSelector('::-p-aria(Phone number ID of the new channel)'))!.evaluate((el) => (el as HTMLElement).focus({ preventScroll: true }));
    await options.keyboard.down('Shift');
    await options.keyboard.press('Tab');
    await options.keyboard.up('Shift');

    const seen = await field.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return {
        focused: document.activeElement === el,
        fieldTop: Math.round(box.top),
        barBottom: Math.round(document.querySelector('.topbar')!.getBoundingClientRect().bottom),
        // What is drawn at the field's middle: the field, not the bar.
        onTop: document.elementFromPoint(box.left + 5, box.top + box.height / 2) === el,
      };
    });
    expect(seen.focused).toBe(true);
    expect(seen.fieldTop).toBeGreaterThanOrEqual(seen.barBottom);
    expect(seen.onTop).toBe(true);
  });
});
