import { afterEach, beforeEach, expect } from 'vitest';
import { subscribeTiming } from '../../server/apps/install';
import { startScriptedApp, type ScriptedApp } from '../support/scripted-app';
import { startTestServer, type TestServer } from '../support/server';

// For the suites whose app server answers as each test scripts it (apps-deliveries,
// apps-subscribe-outcome, apps-api-key-rotation, …), as apps-support.ts is for the example
// Payments app: both on their own loopback port, the subscribe and unsubscribe requests real.

export interface ScriptedAppWorld { server: TestServer; app: ScriptedApp }

// A test may shorten the wait for the app's answer; the next one starts with the default again.
const subscribeTimeoutMs = subscribeTiming.timeoutMs;

/**
 * For each test of the calling file: a companion allowed to reach loopback and a scripted app
 * server, handed to `use`, closed after.
 */
export function eachScriptedAppWorld(use: (world: ScriptedAppWorld) => void): void {
  let world: Partial<ScriptedAppWorld> = {};
  beforeEach(async () => {
    // Held before the app starts, so a companion whose app failed to start is closed too.
    world = { server: await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }) };
    world.app = await startScriptedApp();
    use(world as ScriptedAppWorld);
  });
  afterEach(async () => {
    subscribeTiming.timeoutMs = subscribeTimeoutMs;
    await world.app?.close();
    await world.server?.close();
  });
}

/**
 * Registers the app "Payments" (scope contacts.read) at the scripted server's URLs, with the rest
 * of its manifest from `manifest`, and gives that server the signing secret it got.
 */
export async function registerScriptedApp({ server, app }: ScriptedAppWorld, manifest: Record<string, unknown> = {}) {
  const res = await server.api(server.adminToken).post('/apps', { key: 'payments', name: 'Payments', scopes: ['contacts.read'], ...app.urls, ...manifest });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  app.secret = res.body.signingSecret;
  return { appId: res.body.app.id as string, signingSecret: res.body.signingSecret as string };
}
