import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppManifest } from '../../lib/contracts/apps';
import { insertApp } from '../../server/apps/store';
import { generateSigningSecret } from '../../server/signing/standard-webhooks';
import { LOOPBACK_TLS } from '../support/loopback-tls';
import { appBuilderPage } from './support/app-builder-page';
import { startTestServer, type TestServer } from '../support/server';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';

// An intranet deployment allow-lists its apps' host (COMPANION_ALLOW_PRIVATE_URLS=127.0.0.1):
// the card of an app whose logo and cover live there left them out like any private address,
// though the server takes them. In real Chromium with the built extension, the card loads them
// from that host over real HTTPS on loopback; a private host not listed is still never asked.
// Editing such an app's manifest saves it with those URLs unchanged (the builder refused them).

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

let server: TestServer;
let browser: ExtensionBrowser;
let options: Page;
let media: https.Server;
const served: string[] = [];

beforeAll(async () => {
  media = https.createServer(LOOPBACK_TLS, (req, res) => {
    served.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
  });
  await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
  server = await startTestServer({ workers: false, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  browser = await launchWithExtension();
  options = await browser.openOptions();
  // The test certificate is self-signed; an intranet's would be signed by its own CA.
  await (await options.createCDPSession()).send('Security.setIgnoreCertificateErrors', { ignore: true });
  await fillConnectForm(options, server.url, server.adminToken);
  await options.waitForSelector('nav a[href="#/apps"]', { timeout: 15_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => media?.close(resolve));
});

it('shows the logo and cover of an app on an allow-listed host, and leaves out a video on a host not listed', async () => {
  const { port } = media.address() as AddressInfo;
  await insertApp(server.store.db, AppManifest.parse({
    key: 'crm', name: 'Intranet CRM', description: 'Lives on our network',
    logoUrl: `https://127.0.0.1:${port}/logo.png`, coverUrl: `https://127.0.0.1:${port}/cover.png`, videoUrl: 'https://192.168.1.1/intro.mp4',
  }), server.app.services.vault.seal(generateSigningSecret()));
  const requested: string[] = [];
  options.on('request', (req) => requested.push(req.url()));
  await (await options.waitForSelector('nav a[href="#/apps"]'))!.click();
  const card = await options.waitForSelector('article.app-card[aria-label="Intranet CRM"]', { timeout: 10_000 });
  await card!.waitForSelector('img.logo', { timeout: 10_000 });
  // Loaded, not just asked for: a picture that fails is hidden (onError), so both must arrive.
  await options.waitForFunction((el) => el!.querySelectorAll('img').length === 2 && [...el!.querySelectorAll('img')].every((i) => i.complete && i.naturalWidth > 0), { timeout: 10_000 }, card);
  expect(await card!.$$eval('img', (imgs) => imgs.map((i) => i.getAttribute('alt')))).toEqual(['Intranet CRM cover', 'Intranet CRM logo']);
  expect(served.sort()).toEqual(['/cover.png', '/logo.png']);
  expect(await card!.$('.logo.placeholder')).toBeNull();
  expect(requested.filter((url) => url.includes('192.168.1.1'))).toEqual([]);
  expect(await card!.$$eval('a', (links) => links.map((a) => a.getAttribute('href')))).not.toContain('https://192.168.1.1/intro.mp4');
});

it('saves an edited manifest whose logo stays on the allow-listed host', async () => {
  const { port } = media.address() as AddressInfo;
  const { id } = await insertApp(server.store.db, AppManifest.parse({
    key: 'wiki', name: 'Intranet Wiki', description: 'Docs', logoUrl: `https://127.0.0.1:${port}/wiki.png`,
  }), server.app.services.vault.seal(generateSigningSecret()));
  await options.reload();
  const card = await options.waitForSelector('article.app-card[aria-label="Intranet Wiki"]', { timeout: 10_000 });
  await (await card!.waitForSelector('button::-p-text(Edit manifest)'))!.click();
  const builder = appBuilderPage(options);
  await builder.type(['App info[role="region"]', 'Description'], 'Docs on our network');
  await builder.press(['Save manifest[role="button"]']);
  await card!.waitForSelector('::-p-text(Manifest saved.)', { timeout: 10_000 });
  const saved = (await server.api(server.adminToken).get(`/apps/${id}`)).body;
  expect(saved.manifest).toMatchObject({ description: 'Docs on our network', logoUrl: `https://127.0.0.1:${port}/wiki.png` });
});
