import { describe, expect, it } from 'vitest';
import { hashToken } from '../../server/auth/tokens';
import type { ScriptedApp } from '../support/scripted-app';
import type { TestServer } from '../support/server';
import { eachScriptedAppWorld, registerScriptedApp } from './apps-scripted-world';

// An app developer whose key stopped working is told why, and what to use instead, by the 401
// answered to that key itself (still `unauthorized`, as GET /docs documents it): an uninstall, a
// rotation their server confirmed, and a rotation their server refused each read differently.
// The app's server is a scripted one over loopback (subscribe/unsubscribe requests for real).

let server: TestServer;
let app: ScriptedApp;
eachScriptedAppWorld((world) => ({ server, app } = world));

const admin = () => server.api(server.adminToken);

async function installed() {
  const { appId } = await registerScriptedApp({ server, app });
  expect((await admin().post(`/apps/${appId}/install`, {})).status).toBe(201);
  const { apiKey, installationId } = app.to('/subscribe')[0]!.body;
  return { appId, key: apiKey as string, installationId: installationId as string };
}

/** The 401 a key gets, with the revocation time from the database (it is in the message). */
async function refused(key: string) {
  const res = await server.api(key).get('/contacts');
  expect(res.status, JSON.stringify(res.body)).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer');
  expect(res.body.error.code).toBe('unauthorized');
  return res.body.error.message as string;
}

const revokedAt = async (key: string) =>
  (await server.store.db.selectFrom('tokens').select('revoked_at').where('hash', '=', hashToken(key)).executeTakeFirstOrThrow()).revoked_at!;

describe('a revoked app key says why', () => {
  it('after an uninstall: the app is no longer installed, and where the next key comes from', async () => {
    const { appId, key, installationId } = await installed();
    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
    expect(await refused(key)).toBe(`This app key was revoked on ${await revokedAt(key)}: the app is no longer installed in this workspace `
      + '(it was uninstalled, or its install did not complete). Once an admin installs it again, use the key sent in that subscribe request (reason installed)');
  });

  it('after a rotation the app\'s server confirmed: replaced, use the latest subscribe request\'s key', async () => {
    const { appId, key, installationId } = await installed();
    expect((await admin().post(`/apps/${appId}/install/api-key/rotate`)).status).toBe(200);
    const newKey = app.to('/subscribe')[1]!.body.apiKey as string;
    expect((await server.api(newKey).get('/contacts')).status).toBe(200);
    expect(await refused(key)).toBe(`This app key was revoked on ${await revokedAt(key)}: a key rotation replaced it. `
      + `Use the key sent in the latest subscribe request for installation ${installationId} (reason key_rotated)`);
  });

  it('a key from a rotation the app\'s server refused: the installation kept its current key', async () => {
    const { appId, key, installationId } = await installed();
    app.script('/subscribe', { status: 400 });
    expect((await admin().post(`/apps/${appId}/install/api-key/rotate`)).status).toBe(502);
    const refusedKey = app.to('/subscribe')[1]!.body.apiKey as string;
    expect(await refused(refusedKey)).toBe(`This app key was revoked on ${await revokedAt(refusedKey)}: the app's server did not accept `
      + `the subscribe request that carried it (reason key_rotated), so installation ${installationId} kept its current key: go on using that one`);
    expect((await server.api(key).get('/contacts')).status).toBe(200);
  });

  it('after an unconfirmed rotation, once an admin revoked the previous keys: replaced as well', async () => {
    const { appId, key, installationId } = await installed();
    app.script('/subscribe', { status: 503 });
    expect((await admin().post(`/apps/${appId}/install/api-key/rotate`)).body.error.code).toBe('subscribe_unconfirmed');
    expect((await server.api(key).get('/contacts')).status).toBe(200);
    expect((await admin().post(`/apps/${appId}/install/api-key/revoke-previous`)).status).toBe(200);
    expect(await refused(key)).toBe(`This app key was revoked on ${await revokedAt(key)}: a key rotation replaced it. `
      + `Use the key sent in the latest subscribe request for installation ${installationId} (reason key_rotated)`);
  });

  it('a token never issued learns nothing about uninstalled apps', async () => {
    const { appId } = await installed();
    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
    expect(await refused(`ica_${'A'.repeat(43)}`)).toBe('Unknown token');
  });
});
