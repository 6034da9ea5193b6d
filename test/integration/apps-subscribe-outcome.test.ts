import { describe, expect, it } from 'vitest';
import { subscribeTiming } from '../../server/apps/install';
import type { Script, ScriptedApp } from '../support/scripted-app';
import type { TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { eachScriptedAppWorld, registerScriptedApp } from './apps-scripted-world';

// A subscribe whose outcome the companion cannot know (no answer in time, the connection dropped,
// a 5xx): the app's server may have stored the key it was sent, so besides revoking it the
// companion sends that installation's unsubscribe request, as after an uninstall. An answer that
// says the app did not take it (4xx), or a connection that never opened, needs none.

let server: TestServer;
let app: ScriptedApp;
eachScriptedAppWorld((world) => ({ server, app } = world));

const admin = () => server.api(server.adminToken);

async function register() {
  const { appId } = await registerScriptedApp({ server, app }, { authInputs: [{ key: 'accountId', label: 'Account', type: 'string', required: true }] });
  return appId;
}

describe('a subscribe request whose outcome is unknown', () => {
  it.each<[string, Script, RegExp]>([
    // The reviewer's case: the app answered 200 after the companion had given up waiting.
    ['no answer in time', { status: 200, delayMs: 1500 }, /no complete response .* within 300 ms/],
    ['a connection dropped mid-request', 'reset', /ECONNRESET|socket hang up/],
    ['a 5xx', { status: 503 }, /HTTP 503/],
  ])('%s: 502, the key revoked, and a signed unsubscribe naming that installation and key', async (_name, script, reason) => {
    subscribeTiming.timeoutMs = 300;
    const appId = await register();
    app.script('/subscribe', script);

    const res = await admin().post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_1' } });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('subscribe_failed');
    expect(res.body.error.message).toMatch(reason);
    const [subscribe] = app.to('/subscribe');
    expect(subscribe!.verified).toBe(true);
    const { installationId, apiKey, apiKeyId, workspaceId } = subscribe!.body;
    expect(res.body.error.message).toContain(`The app's server may have stored the key all the same: it was revoked, and the app's server is sent an unsubscribe request for installation ${installationId}`);
    expect((await server.api(apiKey).get('/contacts')).status).toBe(401);
    expect((await admin().get(`/apps/${appId}`)).body.installation).toBeNull();

    const unsubscribe = await waitFor('the unsubscribe request', async () => app.to('/unsubscribe')[0]);
    expect(unsubscribe.verified).toBe(true);
    expect(unsubscribe.body).toEqual({ workspaceId, appId, installationId, apiKeyId, authValues: { accountId: 'acct_1' }, reason: 'subscribe_failed' });
    await waitFor('no delivery left', async () => ((await admin().get(`/apps/${appId}`)).body.deliveries.length === 0 ? true : undefined));
  });
});

describe('a subscribe request the app did not take', () => {
  it.each<[string, Script | 'closed', RegExp]>([
    ['a 4xx (it refused the request)', { status: 401 }, /HTTP 401/],
    ['a refused connection (nothing reached it)', 'closed', /ECONNREFUSED/],
  ])('%s: 502 and no unsubscribe request', async (_name, script, reason) => {
    const appId = await register();
    if (script === 'closed') await app.close();
    else app.script('/subscribe', script);

    const res = await admin().post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_1' } });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(reason);
    expect(res.body.error.message).not.toContain('unsubscribe');
    // Queued in the install's own transaction when it is: none now means none ever.
    expect((await admin().get(`/apps/${appId}`)).body.deliveries).toEqual([]);
    expect(await server.store.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
  });
});
