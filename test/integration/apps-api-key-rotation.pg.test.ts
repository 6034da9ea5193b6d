import { afterEach, expect, it } from 'vitest';
import { subscribeTiming } from '../../server/apps/install';
import { startScriptedApp, type ScriptedApp } from '../support/scripted-app';
import { describePg, pgUrl } from '../support/postgres';
import { startTestServer, type TestServer } from '../support/server';

// Regenerating an app's API key on PostgreSQL (migration 076, the lease and the key overlap):
// two regenerations at once give one new key, never two racing to revoke each other's; an
// unconfirmed one leaves both keys working until the admin revokes the previous one.

describePg('regenerating an installed app\'s API key, on PostgreSQL', () => {
  let server: TestServer | undefined;
  let app: ScriptedApp | undefined;
  afterEach(async () => {
    subscribeTiming.timeoutMs = 10_000;
    await app?.close();
    await server?.close();
  });

  async function installed() {
    server = await startTestServer({ databaseUrl: pgUrl(), workers: false, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    app = await startScriptedApp();
    const admin = server.api(server.adminToken);
    const res = await admin.post('/apps', { key: 'payments', name: 'Payments', scopes: ['contacts.read'], ...app.urls });
    app.secret = res.body.signingSecret;
    const appId = res.body.app.id as string;
    expect((await admin.post(`/apps/${appId}/install`, {})).status).toBe(201);
    return { admin, appId, oldKey: app.to('/subscribe')[0]!.body.apiKey as string };
  }
  const works = async (key: string) => (await server!.api(key).get('/contacts')).status;

  it('two at once: one is sent, the other is 409 rotation_in_progress', async () => {
    const { admin, appId, oldKey } = await installed();
    app!.script('/subscribe', { status: 200, delayMs: 300 });
    const answers = await Promise.all([admin.post(`/apps/${appId}/install/api-key/rotate`), admin.post(`/apps/${appId}/install/api-key/rotate`)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(app!.to('/subscribe')).toHaveLength(2);
    expect([await works(oldKey), await works(app!.to('/subscribe')[1]!.body.apiKey)]).toEqual([401, 200]);
  });

  it('unconfirmed: both keys work, shown with their end; revoking the previous one leaves the new one', async () => {
    subscribeTiming.timeoutMs = 300;
    const { admin, appId, oldKey } = await installed();
    app!.script('/subscribe', 'reset');
    const res = await admin.post(`/apps/${appId}/install/api-key/rotate`);
    expect(res.body.error.code).toBe('subscribe_unconfirmed');
    const newKey = app!.to('/subscribe')[1]!.body.apiKey as string;
    expect((await admin.get(`/apps/${appId}`)).body.installation.previousKeysExpireAt).toEqual(expect.any(String));
    expect([await works(oldKey), await works(newKey)]).toEqual([200, 200]);
    const ended = await admin.post(`/apps/${appId}/install/api-key/revoke-previous`);
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect([await works(oldKey), await works(newKey)]).toEqual([401, 200]);
  });
});
