import { describe, expect, it } from 'vitest';
import { subscribeTiming } from '../../server/apps/install';
import type { Script, ScriptedApp } from '../support/scripted-app';
import type { TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { eachScriptedAppWorld, registerScriptedApp } from './apps-scripted-world';

// Regenerating an installed app's API key (POST /apps/:id/install/api-key/rotate) while a
// published workflow uses the app (so uninstalling is refused): the new key goes to the app's
// server in a signed subscribe request for the same installation (`reason: key_rotated`), over
// real HTTP to a scripted app server on loopback. Its answer decides what happens to the keys.

let server: TestServer;
let app: ScriptedApp;
eachScriptedAppWorld((world) => ({ server, app } = world));

const admin = () => server.api(server.adminToken);
const PHONE = '+14155550100';
const rotate = (appId: string, query = '') => admin().post(`/apps/${appId}/install/api-key/rotate${query}`);
const works = async (key: string) => (await server.api(key).get('/contacts')).status;

/** Installed, with a published workflow on its trigger (uninstalling is refused): the old key, its id, the installation. */
async function installedInUse() {
  const { appId } = await registerScriptedApp({ server, app }, {
    authInputs: [{ key: 'accountId', label: 'Account', type: 'string', required: true }],
    fields: [{ key: 'status', label: 'Status', type: 'text' }], triggers: [{ key: 'paid', name: 'Paid', items: ['status'] }],
  });
  expect((await admin().post(`/apps/${appId}/install`, { authValues: { accountId: 'acct_1' } })).status).toBe(201);
  const wf = await admin().post('/workflows', { name: 'On paid', trigger: { type: 'mini_app', appId, triggerKey: 'paid' }, steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['paid'] } }] });
  expect((await admin().post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
  expect((await admin().del(`/apps/${appId}/install`)).body.error.code).toBe('app_in_use');
  expect((await admin().post('/contacts', { firstName: 'Ada', phone: PHONE })).status).toBe(201);
  const { apiKey, apiKeyId, installationId } = app.to('/subscribe')[0]!.body;
  return { appId, oldKey: apiKey as string, oldKeyId: apiKeyId as string, installationId: installationId as string };
}

const installation = async (appId: string) => (await admin().get(`/apps/${appId}`)).body.installation;

describe('the app\'s server stores the new key (2xx)', () => {
  it('answers 200; the new key works, fires the trigger, and the old one is revoked at once', async () => {
    const { appId, oldKey, oldKeyId, installationId } = await installedInUse();
    const res = await rotate(appId);
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const sent = app.to('/subscribe')[1]!;
    expect(sent.verified).toBe(true);
    const { apiKey, apiKeyId, ...rest } = sent.body;
    expect(rest).toEqual({
      workspaceId: expect.any(String), appId, installationId, authValues: { accountId: 'acct_1' },
      scopes: ['contacts.read'], reason: 'key_rotated', replacesApiKeyId: oldKeyId,
    });
    expect(apiKeyId).not.toBe(oldKeyId);
    expect(res.body.installation).toMatchObject({ id: installationId, apiKeyId, scopes: ['contacts.read'], scopesToGrant: [], previousKeysExpireAt: null });

    expect(await works(apiKey)).toBe(200);
    const old = await server.api(oldKey).get('/contacts');
    expect(old.status).toBe(401);
    expect(old.body.error.message).toMatch(/^This app key was revoked on .*: a key rotation replaced it\. Use the key sent in the latest subscribe request for installation inst_\S+ \(reason key_rotated\)$/);
    const fired = await server.api(apiKey).post(`/apps/${appId}/triggers/paid`, { contact: { phone: PHONE }, items: { status: 'ok' } });
    expect(fired.status, JSON.stringify(fired.body)).toBe(202);
    expect(fired.body.runIds).toHaveLength(1);
    // The installation goes on: nothing tells the app to forget it.
    expect(app.to('/unsubscribe')).toEqual([]);
    expect(await server.store.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
  });
});

describe('the app\'s server refuses the new key', () => {
  it.each<[string, Script | 'closed', RegExp]>([
    ['a 4xx', { status: 401 }, /HTTP 401/],
    ['a refused connection', 'closed', /ECONNREFUSED/],
  ])('%s: 502 subscribe_failed with its reason; the new key is revoked and the old one goes on working', async (_name, script, reason) => {
    const { appId, oldKey, oldKeyId } = await installedInUse();
    if (script === 'closed') await app.close();
    else app.script('/subscribe', script);

    const res = await rotate(appId);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('subscribe_failed');
    expect(res.body.error.message).toMatch(reason);
    expect(res.body.error.message).toContain(`The new key was revoked; the current key ${oldKeyId} goes on working`);
    const newKey = app.to('/subscribe')[1]?.body.apiKey;
    if (newKey) expect(await works(newKey)).toBe(401);
    expect(await works(oldKey)).toBe(200);
    expect(await installation(appId)).toMatchObject({ apiKeyId: oldKeyId, previousKeysExpireAt: null });
  });
});

describe('the app\'s server may or may not have stored the new key', () => {
  it.each<[string, Script, RegExp]>([
    ['no answer in time', { status: 200, delayMs: 1500 }, /within 300 ms/],
    ['a dropped connection', 'reset', /ECONNRESET|socket hang up/],
    ['a 5xx', { status: 503 }, /HTTP 503/],
  ])('%s: 502 subscribe_unconfirmed, and both keys work for 24 hours, shown on the app', async (_name, script, reason) => {
    subscribeTiming.timeoutMs = 300;
    const { appId, oldKey } = await installedInUse();
    app.script('/subscribe', script);
    const before = Date.now();
    const res = await rotate(appId);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('subscribe_unconfirmed');
    expect(res.body.error.message).toMatch(reason);
    const { apiKey: newKey, apiKeyId: newKeyId } = app.to('/subscribe')[1]!.body;
    const shown = await installation(appId);
    expect(shown.apiKeyId).toBe(newKeyId);
    const until = Date.parse(shown.previousKeysExpireAt);
    expect(until - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    expect(res.body.error.message).toContain(`until ${shown.previousKeysExpireAt} both the new key ${newKeyId} and the key it replaces work`);
    expect(await works(newKey)).toBe(200);
    expect(await works(oldKey)).toBe(200);
  });

  it('regenerating again and getting a 2xx revokes every earlier key', async () => {
    const { appId, oldKey } = await installedInUse();
    app.script('/subscribe', { status: 500 });
    expect((await rotate(appId)).body.error.code).toBe('subscribe_unconfirmed');
    const unconfirmed = app.to('/subscribe')[1]!.body.apiKey;

    const res = await rotate(appId);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const latest = app.to('/subscribe')[2]!.body;
    expect(latest.replacesApiKeyId).toBe(app.to('/subscribe')[1]!.body.apiKeyId);
    expect(res.body.installation.previousKeysExpireAt).toBeNull();
    expect([await works(oldKey), await works(unconfirmed), await works(latest.apiKey)]).toEqual([401, 401, 200]);
  });

  it('"revoke the previous keys" ends the overlap now; left alone, the old key stops at the shown time', async () => {
    const { appId, oldKey } = await installedInUse();
    app.script('/subscribe', { status: 500 });
    await rotate(appId);
    const newKey = app.to('/subscribe')[1]!.body.apiKey;
    // The 24 hours pass.
    await server.store.db.updateTable('tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('expires_at', 'is not', null).execute();
    const expired = await server.api(oldKey).get('/contacts');
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/^This API key was replaced by a newer one and stopped working at .*: use the key sent in the latest subscribe request$/);
    expect((await installation(appId)).previousKeysExpireAt).toBeNull();
    expect(await works(newKey)).toBe(200);

    app.script('/subscribe', { status: 502 });
    await rotate(appId);
    const newest = app.to('/subscribe')[2]!.body.apiKey;
    const ended = await admin().post(`/apps/${appId}/install/api-key/revoke-previous`);
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect(ended.body.installation.previousKeysExpireAt).toBeNull();
    expect([await works(newKey), await works(newest)]).toEqual([401, 200]);
  });

  it('uninstalling (once nothing uses the app) revokes every key, and the unsubscribe names the current one', async () => {
    const { appId, oldKey } = await installedInUse();
    app.script('/subscribe', 'reset');
    await rotate(appId);
    const { apiKey: newKey, apiKeyId: newKeyId } = app.to('/subscribe')[1]!.body;
    const [wf] = (await admin().get('/workflows')).body.workflows;
    expect((await admin().post(`/workflows/${wf.id}/unpublish`)).status).toBe(200);
    expect((await admin().del(`/apps/${appId}/install`)).status).toBe(204);
    const unsubscribe = await waitFor('the unsubscribe request', async () => app.to('/unsubscribe')[0]);
    expect(unsubscribe.body).toMatchObject({ apiKeyId: newKeyId, reason: 'uninstalled' });
    expect([await works(oldKey), await works(newKey)]).toEqual([401, 401]);
  });
});

describe('one rotation at a time', () => {
  it('refuses a second rotation, and revoking the previous keys, while a new key waits for the app\'s answer', async () => {
    const { appId } = await installedInUse();
    app.script('/subscribe', { status: 200, delayMs: 700 });
    const first = rotate(appId);
    await waitFor('the subscribe request', async () => app.to('/subscribe')[1]);
    for (const res of [await rotate(appId), await admin().post(`/apps/${appId}/install/api-key/revoke-previous`)]) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('rotation_in_progress');
    }
    expect((await first).status).toBe(200);
    expect(await works(app.to('/subscribe')[1]!.body.apiKey)).toBe(200);
    expect(app.to('/subscribe')).toHaveLength(2);
  });

  it.each([
    ['an app not installed', false, 'not_installed', 'The app "Plain" is not installed: install it to give it a key'],
    ['an unknown app', true, 'not_found', 'App app_nope not found'],
  ])('answers %s with a 404 saying so', async (_name, unknown, code, message) => {
    const res = await admin().post('/apps', { key: 'plain', name: 'Plain' });
    const res2 = await rotate(unknown ? 'app_nope' : res.body.app.id);
    expect(res2.status).toBe(404);
    expect(res2.body.error).toMatchObject({ code, message });
  });
});
