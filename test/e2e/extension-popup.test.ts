import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { connectExtension, EXTENSION_DIR, fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';

async function jsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.js')).map((e) => path.join(e.parentPath, e.name));
}

describe('built extension', () => {
  it('is pure ASCII (Chrome refuses scripts with U+FFFF as not UTF-8)', async () => {
    const files = await jsFiles(EXTENSION_DIR);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = await readFile(file);
      const offending = bytes.findIndex((b) => b > 0x7f);
      expect(offending, `${path.relative(EXTENSION_DIR, file)} has a non-ASCII byte at ${offending}`).toBe(-1);
    }
  });
});

describe('popup in Chromium', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;

  beforeAll(async () => {
    server = await startTestServer();
    ext = await launchWithExtension();
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  it('loads the extension with its background worker', async () => {
    expect(ext.extensionId).toMatch(/^[a-p]{32}$/);
    const worker = await ext.background();
    expect(await worker.evaluate(() => (globalThis as { chrome?: { runtime?: { id?: string } } }).chrome?.runtime?.id)).toBe(ext.extensionId);
  });

  it('shows an error for a token the server refuses, and stays disconnected', async () => {
    const popup = await ext.openPopup();
    await fillConnectForm(popup, server.url, 'not-a-real-token');
    const alert = await popup.waitForSelector('form [role="alert"]', { timeout: 10_000 });
    expect(await alert!.evaluate((el) => el.textContent)).toMatch(/refused this token/);
    expect(await popup.$('[data-testid="connection-state"]')).toBeNull();
    await popup.close();
  });

  it('says when nothing answers at the server URL', async () => {
    const popup = await ext.openPopup();
    await fillConnectForm(popup, 'http://127.0.0.1:9', 'whatever');
    const alert = await popup.waitForSelector('form [role="alert"]', { timeout: 15_000 });
    expect(await alert!.evaluate((el) => el.textContent)).toMatch(/Could not reach the companion server at http:\/\/127\.0\.0\.1:9/);
    await popup.close();
  });

  it('connects through the popup and shows the user, the role and the state; survives reopening; disconnects', async () => {
    const { user, token } = await server.createUser('supervisor', { name: 'Sam Supervisor' });
    const popup = await connectExtension(ext, server.url, token);
    expect(await popup.$eval('[data-testid="user-name"]', (el) => el.textContent)).toContain('Sam Supervisor');
    expect(await popup.$eval('[data-testid="user-role"]', (el) => el.textContent)).toBe('supervisor');
    expect(await popup.$eval('[data-testid="connection-state"]', (el) => el.textContent)).toBe('Connected');
    await popup.close();

    // The connection lives in the background's Dexie: a new popup shows it at once.
    const again = await ext.openPopup();
    await again.waitForSelector('[data-testid="connection-state"][data-state="connected"]', { timeout: 10_000 });
    expect(await again.$eval('[data-testid="user-name"]', (el) => el.textContent)).toContain(user.email);

    const disconnect = await again.waitForSelector('::-p-aria(Disconnect[role="button"])');
    await disconnect!.click();
    await again.waitForSelector('::-p-aria(Server URL)', { timeout: 10_000 });
    await again.close();
  });
});
