import { afterEach, beforeEach, expect } from 'vitest';
import { startPaymentApp, type PaymentApp } from '../../examples/payment-app/server';
import { startTestServer, type TestServer } from '../support/server';

export interface PaymentsWorld { server: TestServer; payments: PaymentApp }

/**
 * For each test of the calling file: a companion and the example Payments app, each listening on
 * its own loopback port as in production, handed to `use`, closed after. The app's URLs are
 * private addresses, so the companion allows `allowPrivateUrls`.
 */
export function eachPaymentsWorld(use: (world: PaymentsWorld) => void, allowPrivateUrls = '127.0.0.1'): void {
  let world: Partial<PaymentsWorld> = {};
  beforeEach(async () => {
    // Held before the app starts, so a companion whose app failed to start is closed too.
    world = { server: await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: allowPrivateUrls } }) };
    world.payments = await startPaymentApp({ port: 0, companionUrl: world.server!.url });
    use(world as PaymentsWorld);
  });
  afterEach(async () => {
    await world.payments?.close();
    await world.server?.close();
  });
}

/** Registers the Payments app's manifest and gives the app the signing secret it got. */
export async function registerPayments(server: TestServer, payments: PaymentApp) {
  const res = await server.api(server.adminToken).post('/apps', payments.manifest());
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  payments.setSigningSecret(res.body.signingSecret);
  return { appId: res.body.app.id as string, secret: res.body.signingSecret as string };
}

/** Installs a registered app for the account `acct_42`; returns the installation. */
export async function installPayments(server: TestServer, appId: string) {
  const res = await server.api(server.adminToken).post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_42' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Registers and installs the Payments app; `key` is the app key its server received on subscribe. */
export async function registerAndInstallPayments(server: TestServer, payments: PaymentApp) {
  const { appId, secret } = await registerPayments(server, payments);
  await installPayments(server, appId);
  return { appId, secret, key: payments.received.subscribe.at(-1)!.body.apiKey as string };
}
