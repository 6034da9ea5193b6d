import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppManifestBody, type AppManifestInput } from '../../lib/contracts/apps';
import { startPaymentApp, type PaymentApp } from '../../examples/payment-app/server';
import { startTestServer, type TestServer } from '../support/server';
import { appBuilderPage } from './support/app-builder-page';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';
import { until } from './launcher-harness';

// The example Payments app built in the options page's form (never the JSON box), in real
// Chromium with the built extension, registered on the real server, installed from its card:
// the app's own server gets the signed subscribe request and fires its trigger with the key.

let server: TestServer;
let payments: PaymentApp;
let browser: ExtensionBrowser;
let options: Page;

beforeAll(async () => {
  // The example app listens on loopback, a private address the companion must be allowed to reach.
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  payments = await startPaymentApp({ port: 0, companionUrl: server.url });
  browser = await launchWithExtension();
  options = await browser.openOptions();
  await options.setViewport({ width: 1280, height: 900 });
  await fillConnectForm(options, server.url, server.adminToken);
  await (await options.waitForSelector('nav a[href="#/apps"]', { timeout: 15_000 }))!.click();
});

/** OPTIONS_SCREENSHOTS=<dir>: the page at a few points and when a test fails, as options-console keeps them. */
async function screenshot(name: string) {
  const dir = process.env.OPTIONS_SCREENSHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await options.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await screenshot('failed-app-builder').catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await payments?.close();
  await server?.close();
});

describe('app builder in the options page', () => {
  it('builds the example payment app in the form, registers it, and installs it', async () => {
    const manifest = payments.manifest() as AppManifestInput;
    const builder = appBuilderPage(options);
    await (await options.waitForSelector('summary::-p-text(Register an app from its manifest)'))!.click();
    await builder.buildApp(manifest);
    await screenshot('app-builder');
    await builder.press(['Register app[role="button"]']);

    const secret = await (await options.waitForSelector('code.secret', { timeout: 10_000 }))!.evaluate((el) => el.textContent ?? '');
    expect(secret).toMatch(/^whsec_/);
    payments.setSigningSecret(secret);
    const { body } = await server.api(server.adminToken).get('/apps');
    expect(body.apps).toHaveLength(1);
    // Exactly the manifest the example ships (with the contract's defaults), built field by field.
    expect(body.apps[0].manifest).toEqual(AppManifestBody.parse(manifest));

    await builder.press(['Install Payments[role="button"]']);
    await builder.type(['Payment account ID *'], 'acct_42');
    await builder.press(['Install[role="button"]']);
    await until(async () => payments.installations.size === 1, 'the app\'s server to keep the installation', 10_000);
    await options.waitForSelector('.badge-published::-p-text(Installed)', { timeout: 10_000 });
    const subscribe = payments.received.subscribe.at(-1)!;
    expect(subscribe.verified).toBe(true);
    expect(subscribe.body).toMatchObject({ appId: body.apps[0].id, authValues: { accountId: 'acct_42' } });

    // The trigger built from the fields carries the app's items: the companion takes them.
    await server.api(server.adminToken).post('/contacts', { firstName: 'Ana', phone: '+14155550100' });
    const fired = await fetch(`${payments.url}/simulate/payment-paid`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '+14155550100', amount: 129.5, orderId: 'ord_1' }),
    });
    expect(fired.status, await fired.clone().text()).toBe(202);
    expect((await fired.json()).eventId).toMatch(/\S/);
  });
});
