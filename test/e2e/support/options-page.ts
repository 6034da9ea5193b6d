import type { Page } from 'puppeteer-core';
import { expect } from 'vitest';
import type { TestServer } from '../../support/server';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './browser';

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
