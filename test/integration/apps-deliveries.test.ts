import { describe, expect, it } from 'vitest';
import type { ScriptedApp } from '../support/scripted-app';
import type { TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { eachScriptedAppWorld, registerScriptedApp } from './apps-scripted-world';

// An unsubscribe request the app's server refuses is not dropped on the first 4xx: it is retried
// with backoff (hourly at most) until the app is fixed, and the admin sees it on the app (GET
// /apps/:id `deliveries`, the options page's card) with its last error and can retry it at once.
// A 410 Gone stops it; "retry now" still sends it once more.

let server: TestServer;
let app: ScriptedApp;
eachScriptedAppWorld((world) => ({ server, app } = world));

const admin = () => server.api(server.adminToken);
const deliveriesOf = async (appId: string) => (await admin().get(`/apps/${appId}`)).body.deliveries as any[];

/** Registered, installed (the app took the subscribe request), then uninstalled. */
async function uninstalled() {
  const { appId } = await registerScriptedApp({ server, app });
  const installation = await admin().post(`/apps/${appId}/install`, { authValues: {} });
  expect(installation.status, JSON.stringify(installation.body)).toBe(201);
  expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
  return { appId, installationId: installation.body.id as string };
}

describe('an unsubscribe request the app\'s server refuses', () => {
  it('is retried after a 4xx, shown on the app with its last error meanwhile, and delivered once the app takes it', async () => {
    app.script('/unsubscribe', { status: 401 }, { status: 401 });
    const { appId, installationId } = await uninstalled();

    const failing = await waitFor('a refused attempt', async () => (await deliveriesOf(appId)).find((d) => d.attempts >= 1));
    expect(failing).toMatchObject({ kind: 'unsubscribe', installationId, status: 'pending', lastError: 'HTTP 401: status 401', nextAttemptAt: expect.any(String) });
    expect((await admin().get('/apps')).body.apps[0].deliveries).toEqual([expect.objectContaining({ id: failing.id, status: 'pending' })]);

    // 1 s, then 2 s later: the third attempt is taken.
    await waitFor('the delivery', async () => ((await deliveriesOf(appId)).length === 0 ? true : undefined), 15_000);
    expect(app.to('/unsubscribe').map((r) => r.verified)).toEqual([true, true, true]);
    expect(app.to('/unsubscribe')[2]!.body).toMatchObject({ installationId, reason: 'uninstalled' });
  });

  it('stops at a 410 Gone, shown as failed; "retry now" sends it again and answers how it went', async () => {
    app.script('/unsubscribe', { status: 410 });
    const { appId } = await uninstalled();
    const failed = await waitFor('the refusal', async () => (await deliveriesOf(appId)).find((d) => d.status === 'failed'));
    expect(failed).toMatchObject({ attempts: 1, lastError: 'gave up: HTTP 410: status 410', nextAttemptAt: null });
    await new Promise((r) => setTimeout(r, 1500));
    expect(app.to('/unsubscribe')).toHaveLength(1);

    app.script('/unsubscribe', { status: 503 });
    const again = await admin().post(`/apps/${appId}/deliveries/${failed.id}/retry`);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.delivery).toMatchObject({ id: failed.id, status: 'pending', attempts: 2, lastError: 'HTTP 503: status 503' });

    const delivered = await admin().post(`/apps/${appId}/deliveries/${failed.id}/retry`);
    expect(delivered.body.delivery).toMatchObject({ id: failed.id, status: 'delivered', attempts: 3, lastError: null, nextAttemptAt: null });
    expect(await deliveriesOf(appId)).toEqual([]);
    expect(app.to('/unsubscribe').every((r) => r.verified)).toBe(true);

    expect((await admin().post(`/apps/${appId}/deliveries/obx_nope/retry`)).status).toBe(404);
    expect((await admin().post(`/apps/app_nope/deliveries/${failed.id}/retry`)).status).toBe(404);
    const agent = await server.createUser('agent');
    expect((await server.api(agent.token).post(`/apps/${appId}/deliveries/${failed.id}/retry`)).status).toBe(403);
  });
});
