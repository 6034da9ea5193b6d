import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppManifest } from '../../lib/contracts/apps';
import { insertApp } from '../../server/apps/store';
import { generateSigningSecret } from '../../server/signing/standard-webhooks';
import { startTestServer, type TestServer } from '../support/server';
import { appBuilderPage } from './support/app-builder-page';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';

// A developer pastes a manifest written from the mini-app pages into the options page's JSON box,
// in real Chromium with the built extension: "logo" (for logoUrl) used to be dropped and the app
// registered without it; a cover on a private address was loaded by the admin's browser. Both are
// named before anything is sent, and nothing is registered.

let server: TestServer;
let browser: ExtensionBrowser;
let options: Page;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchWithExtension();
  options = await browser.openOptions();
  await options.setViewport({ width: 1280, height: 900 });
  await fillConnectForm(options, server.url, server.adminToken);
  await (await options.waitForSelector('nav a[href="#/apps"]', { timeout: 15_000 }))!.click();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('registering a pasted manifest in the options page', () => {
  it('names an unknown key and a private cover address, and registers nothing', async () => {
    const builder = appBuilderPage(options);
    await (await options.waitForSelector('summary::-p-text(Register an app from its manifest)'))!.click();
    await builder.press(['Edit as JSON[role="button"]']);
    await builder.type(['Manifest (JSON)'], JSON.stringify({
      key: 'pay', name: 'Pay', logo: 'https://pay.example.com/logo.png', coverUrl: 'https://192.168.1.1/cover.png',
    }));
    await builder.press(['Register app[role="button"]']);

    const problems = await options.waitForSelector('::-p-text(The manifest has problems:)', { timeout: 10_000 });
    const text = await problems!.evaluate((el) => el.closest('[role="alert"], section, div')?.textContent ?? '');
    expect(text).toContain('Unknown key "logo": a manifest takes key, name, description, logoUrl');
    expect(text).toContain('for "logo", did you mean "logoUrl"?');
    expect(text).toContain('192.168.1.1 is a private, loopback or local-network address');
    expect((await server.api(server.adminToken).get('/apps')).body.apps).toEqual([]);
  });
});

describe('an app registered before private media addresses were refused', () => {
  it('shows its card without loading the logo or cover, and without the video link', async () => {
    // As stored before the rule: straight into the database, the lenient contract it is read with.
    await insertApp(server.store.db, AppManifest.parse({
      key: 'old-pay', name: 'Old Pay', description: 'Registered long ago',
      logoUrl: 'https://127.0.0.1:9/logo.png', coverUrl: 'https://192.168.1.1/cover.png', videoUrl: 'https://localhost/intro.mp4',
    }), server.app.services.vault.seal(generateSigningSecret()));
    const requested: string[] = [];
    options.on('request', (req) => requested.push(req.url()));
    await options.reload();
    const card = await options.waitForSelector('article.app-card[aria-label="Old Pay"]', { timeout: 10_000 });
    await card!.waitForSelector('::-p-text(Registered long ago)');
    // A picture that failed to load is hidden too: what matters is that it was never asked for.
    expect(requested.filter((url) => /127\.0\.0\.1:9|192\.168\.1\.1|localhost\/intro/.test(url))).toEqual([]);
    expect(await card!.$$eval('img', (imgs) => imgs.map((i) => i.getAttribute('src')))).toEqual([]);
    expect(await card!.$('.logo.placeholder')).not.toBeNull();
    expect(await card!.$$eval('a', (links) => links.map((a) => a.getAttribute('href')))).not.toContain('https://localhost/intro.mp4');
  });
});
