import type { ElementHandle, Page } from 'puppeteer-core';
import { expect } from 'vitest';
import type { TestServer } from '../../support/server';
import { until } from '../launcher-harness';
import { connectExtension, fillConnectForm, launchWithExtension, type ExtensionBrowser } from './browser';

/**
 * The built extension's options page on a desktop screen, connected to `serverUrl` with `token`,
 * once `ready` shows (the menu entry or button the test starts from: what it shows depends on
 * the token's role). The caller closes `ext`.
 */
export async function openConnectedOptions(serverUrl: string, token: string, ready: string): Promise<{ ext: ExtensionBrowser; options: Page }> {
  const ext = await launchWithExtension();
  const options = await ext.openOptions();
  await options.setViewport({ width: 1280, height: 900 });
  await fillConnectForm(options, serverUrl, token);
  await options.waitForSelector(ready, { timeout: 15_000 });
  return { ext, options };
}

/** The built extension connected to `serverUrl` with `token`, its options page open at Settings. The caller closes `ext`. */
export async function openConnectedSettings(serverUrl: string, token: string): Promise<{ ext: ExtensionBrowser; options: Page }> {
  const ext = await launchWithExtension();
  await connectExtension(ext, serverUrl, token);
  const options = await ext.openOptions();
  await options.goto(`${options.url().split('#')[0]}#/settings`);
  return { ext, options };
}

/** Closes the browser, then the server: after all tests, either missing if the start failed. */
export async function closeOptions(ext: ExtensionBrowser | undefined, server: TestServer | undefined) {
  await ext?.close();
  await server?.close();
}

/** A select of the options page found by its label, as a person finds it. */
export const selectLabelled = async (options: Page, label: string) => (await options.waitForSelector(`::-p-aria(${label})`, { timeout: 10_000 }))! as ElementHandle<HTMLSelectElement>;
/** Presses the options page's button named `name`. */
export const pressButton = async (options: Page, name: string) => (await options.waitForSelector(`::-p-aria(${name}[role="button"])`, { timeout: 10_000 }))!.click();
/** Waits until the options page's text holds `text` (textContent: a heading upper-cased by CSS reads as written). */
export const waitForOptionsText = (options: Page, text: string) =>
  until(async () => (await options.evaluate(() => document.body.textContent ?? '')).includes(text), `"${text}" on the options page`, 15_000);
/** Replaces what the field labelled `label` holds with `value`, typed as a person would (select all, delete, type). */
export async function retypeField(options: Page, label: string, value: string) {
  const input = (await options.waitForSelector(`::-p-aria(${label})`, { timeout: 15_000 })) as ElementHandle<HTMLInputElement>;
  await input.click({ count: 3 });
  await options.keyboard.press('Backspace');
  await input.type(value);
}
/** The names in the Workflows list, top to bottom. */
export const workflowRowNames = (options: Page) => options.$$eval('table[aria-label="Workflows"] tbody tr > td:first-child > a[dir="auto"]', (links) => links.map((a) => a.textContent?.trim() ?? ''));

/**
 * A workspace with `count` workflows: "Flow 000" and on (Conversation Opened, drafts), and last by
 * name the published manual "Zeta sub-flow", past the first page of 50 and the first of 200.
 */
export async function seedWorkflowList(server: TestServer, count: number) {
  const admin = server.api(server.adminToken);
  for (let i = 0; i < count - 1; i++) {
    const res = await admin.post('/workflows', { name: `Flow ${String(i).padStart(3, '0')}`, trigger: { type: 'conversation_opened' }, steps: [] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  expect((await admin.post('/workflows', { name: 'Zeta sub-flow', trigger: { type: 'manual' }, steps: [], status: 'published' })).status).toBe(201);
}
