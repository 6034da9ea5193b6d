import type { ElementHandle, Page } from 'puppeteer-core';
import type { ExtensionBrowser } from './support/browser';

// Page objects for the launcher in the built-in inbox (launcher tests, options e2e, bench/menu.ts).
// Chromium with the built extension comes from the shared harness.
export { launchWithExtension, type ExtensionBrowser } from './support/browser';

/** Sends one typed request to the background from an extension page (as the popup does). */
export async function extensionRequest(ext: ExtensionBrowser, name: string, data?: unknown): Promise<unknown> {
  const page = await ext.browser.newPage();
  try {
    await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    const reply = await page.evaluate(
      (n, d) => (globalThis as any).chrome.runtime.sendMessage({ ic: 'request', name: n, data: d }),
      name,
      data as never,
    ) as { ok: boolean; data?: unknown; error?: string };
    if (!reply?.ok) throw new Error(`${name} failed: ${reply?.error}`);
    return reply.data;
  } finally {
    await page.close();
  }
}

export async function connectExtension(ext: ExtensionBrowser, serverUrl: string, token: string) {
  const state = await extensionRequest(ext, 'connect', { serverUrl, token }) as { state: string };
  if (state.state !== 'connected') throw new Error(`Extension did not connect: ${JSON.stringify(state)}`);
}

/** Signs into the built-in inbox with a token and opens one conversation. */
export async function openConversation(page: Page, serverUrl: string, token: string, conversationId: string) {
  await page.goto(`${serverUrl}/inbox`);
  await page.waitForSelector('[data-testid="signin-token"]', { visible: true });
  await page.type('[data-testid="signin-token"]', token);
  await page.click('[data-testid="signin-submit"]');
  await page.waitForSelector('[data-testid="inbox"]', { visible: true });
  await page.goto(`${serverUrl}/inbox/c/${conversationId}`);
  await page.waitForSelector(`[data-conversation-id="${conversationId}"]`);
}

export const LAUNCHER = 'pierce/button[aria-label="Shortcuts"]';
export const FILTER = 'pierce/input[aria-label="Filter shortcuts"]';

export async function launcher(page: Page): Promise<ElementHandle<HTMLButtonElement>> {
  return (await page.waitForSelector(LAUNCHER, { timeout: 10_000 })) as ElementHandle<HTMLButtonElement>;
}

export async function launcherState(page: Page) {
  const button = await launcher(page);
  // Unusable reads as aria-disabled: the button stays focusable to say why (see Launcher.tsx).
  return button.evaluate((b) => ({ disabled: b.disabled || b.getAttribute('aria-disabled') === 'true', title: b.title }));
}

/** Opens the menu with a click and waits for its filter to have focus. */
export async function openLauncher(page: Page) {
  await (await launcher(page)).click();
  await page.waitForSelector(FILTER);
}

/** Fills a rendered shortcut form by label text (pierces the shadow root). */
export async function fillField(page: Page, label: string, value: string) {
  const input = await page.waitForSelector(`::-p-aria(${label})`);
  if (!input) throw new Error(`No field labelled ${label}`);
  const tag = await input.evaluate((el) => el.tagName);
  if (tag === 'SELECT') await (input as ElementHandle<HTMLSelectElement>).select(value);
  else await input.type(value);
}

export async function until<T>(fn: () => Promise<T | undefined | false | null>, what: string, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Opens the menu, filters it with `filter`, picks the first shortcut (Enter) and waits for its form's field labelled `label`. */
export async function openShortcutForm(page: Page, filter: string, label: string) {
  await openLauncher(page);
  await page.keyboard.type(filter);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`::-p-aria(${label})`);
}

export const FORM_SUBMIT = 'pierce/.ic-form button[type="submit"]';

/** The error said under a form field ('' when there is none). */
export const fieldErrorText = (page: Page) => page.$eval('pierce/.ic-field-error', (el) => el.textContent ?? '').catch(() => '');

/** Replaces what a form field holds, as an agent does (select all, delete, type); the field's handle. */
export async function retypeField(page: Page, label: string, value: string) {
  const input = await page.waitForSelector(`::-p-aria(${label})`);
  await input!.click({ count: 3 });
  await page.keyboard.press('Backspace');
  await fillField(page, label, value);
  return input!;
}
