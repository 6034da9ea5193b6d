import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startPaymentApp, type PaymentApp } from '../../../examples/payment-app/server';
import type { Store } from '../../../server/store/database';
import { startChatwootStandin, type ChatwootStandin } from '../../support/chatwoot-standin';
import type { StoreSide } from './forget-secrets-suite';
import { runForgetSecrets, startCompanion, type Companion } from './forget-secrets-support';

// What was left after `npm run forget-secrets -- --yes` (forget-secrets-suite.ts), as the admin
// meets it: Chatwoot's Sync now answered 502 as if Chatwoot had failed; an app's install values
// could only be entered again by uninstalling, which its published workflow refuses; rotating its
// forgotten signing secret promised 24 hours of two signatures with nothing to make the second.

interface World { root: string; dataDir: string; cw: ChatwootStandin; payments?: PaymentApp }

export function forgetLeftoversSuite(makeSide: () => StoreSide, usesEnvKey: boolean) {
  let w: World;
  let side: StoreSide;
  beforeEach(async () => {
    side = makeSide();
    const root = await mkdtemp(path.join(tmpdir(), 'f-left-forget-'));
    w = { root, dataDir: path.join(root, 'data'), cw: await startChatwootStandin({ accountId: 3 }) };
  });
  afterEach(async () => {
    await w.payments?.close();
    await w.cw.close();
    await side.drop();
    await rm(w.root, { recursive: true, force: true });
  });

  const keyA = Buffer.alloc(32, 33).toString('base64');
  const env = { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' };
  const ok = async (c: Companion, method: string, p: string, body?: unknown) => {
    const res = await c.call(method, p, body);
    expect([200, 201, 202], `${method} ${p}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
    return res.body;
  };

  /** Key A seals a Chatwoot account and the installed Payments app, which a published workflow uses. */
  async function sealWithKeyA(store: Store) {
    const c = await startCompanion(store, { ...env, ...(usesEnvKey ? { COMPANION_SECRET_KEY: keyA } : {}) }, w.dataDir);
    try {
      const chatwoot = await ok(c, 'POST', '/chatwoot/accounts', { baseUrl: w.cw.url, accountId: 3, apiAccessToken: w.cw.token, name: 'Acme Chatwoot' });
      w.payments = await startPaymentApp({ port: 0, companionUrl: c.url });
      const registered = await ok(c, 'POST', '/apps', w.payments.manifest());
      w.payments.setSigningSecret(registered.signingSecret);
      const appId = registered.app.id as string;
      await ok(c, 'POST', `/apps/${appId}/install`, { authValues: { accountId: 'acct_42' } });
      const flow = await ok(c, 'POST', '/workflows', {
        name: 'Refund on request', trigger: { type: 'manual' },
        steps: [{ id: 'refund', type: 'mini_app_action', config: { appId, actionKey: 'refund', inputs: { orderId: 'ord_7' } } }],
      });
      await ok(c, 'POST', `/workflows/${flow.id}/publish`);
      const agent = await ok(c, 'POST', '/users', { name: 'Ava Agent', email: 'ava@example.com', role: 'agent' });
      return { admin: c.adminToken, agentToken: agent.token as string, chatwootId: chatwoot.id as string, appId };
    } finally {
      await c.server.close();
    }
  }

  /** The key is lost, forget-secrets runs; the server starts again with the new key (and the app's server with it). */
  async function afterForget() {
    let store = await side.open(w.dataDir);
    const a = await sealWithKeyA(store);
    await store.close();
    if (!usesEnvKey) await rm(path.join(w.dataDir, 'secret-key'));
    const keyB = Buffer.alloc(32, 44).toString('base64');
    const done = await runForgetSecrets({ DATA_DIR: w.dataDir, ...side.commandEnv(), ...(usesEnvKey ? { COMPANION_SECRET_KEY: keyB } : {}) }, ['--yes']);
    expect(done.code, done.out).toBe(0);
    expect(done.out).toContain('install values: Enter install values again on the app\'s card (Mini-apps).');
    store = await side.open(w.dataDir);
    const c = await startCompanion(store, { ...env, ...(usesEnvKey ? { COMPANION_SECRET_KEY: keyB } : {}) }, w.dataDir, a.admin);
    // The app's server restarts too, keeping what it stored (its installation, the key it holds).
    const kept = w.payments!;
    await kept.close();
    w.payments = await startPaymentApp({ port: kept.port, companionUrl: c.url, installations: [...kept.installations.values()] });
    return { ...a, c, store };
  }

  it('Chatwoot Sync now with the token forgotten: 409 in the account\'s own words, nothing asked of Chatwoot', async () => {
    const { c, store, chatwootId } = await afterForget();
    try {
      const shown = (await ok(c, 'GET', `/chatwoot/accounts/${chatwootId}`)).lastError as string;
      expect(shown).toContain('Save a new API access token (Settings → Chatwoot)');
      const asked = w.cw.requests.length;
      const sync = await c.call('POST', `/chatwoot/accounts/${chatwootId}/sync`);
      expect(sync).toEqual({ status: 409, body: { error: { code: 'chatwoot_token_forgotten', message: shown } } });
      expect(w.cw.requests.length).toBe(asked);
      // The account goes on saying it as it did, not "Sync failed: …".
      expect((await ok(c, 'GET', `/chatwoot/accounts/${chatwootId}`)).lastError).toBe(shown);
      // A new token: Sync now works again.
      await ok(c, 'PATCH', `/chatwoot/accounts/${chatwootId}`, { apiAccessToken: w.cw.token });
      await ok(c, 'POST', `/chatwoot/accounts/${chatwootId}/sync`);
    } finally {
      await c.server.close();
      await store.close();
    }
  }, 120_000);

  it('the app\'s install values are entered again without uninstalling; its forgotten signing secret is replaced by one that signs alone', async () => {
    const { c, store, appId, agentToken } = await afterForget();
    try {
      expect((await ok(c, 'GET', `/apps/${appId}`)).forgottenSecrets).toEqual(['signingSecret', 'authValues']);
      // The way it was: uninstalling is refused while the published workflow uses the app.
      const uninstall = await c.call('DELETE', `/apps/${appId}/install`);
      expect([uninstall.status, uninstall.body.error.code]).toEqual([409, 'app_in_use']);

      // The signing secret: the answer and what signs afterwards say one secret, not two.
      const rotated = await ok(c, 'POST', `/apps/${appId}/signing-secret/rotate`);
      expect(rotated).toEqual({ signingSecret: expect.stringMatching(/^whsec_/), previousSecretExpiresAt: null });
      w.payments!.setSigningSecret(rotated.signingSecret);
      const refused = await c.call('POST', `/apps/${appId}/install/api-key/rotate`);
      expect([refused.status, refused.body.error.code]).toEqual([409, 'install_values_forgotten']);
      expect(refused.body.error.message).toContain('enter them again (Mini-apps → Enter install values again)');

      const put = (body: unknown, token?: string) => token
        ? fetch(`${c.url}/api/v1/apps/${appId}/install/auth-values`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
          .then(async (r) => ({ status: r.status, body: await r.json() }))
        : c.call('PUT', `/apps/${appId}/install/auth-values`, body);
      // Checked as the install form is: the bad field named.
      expect(await put({ authValues: { accountId: '  ' } })).toEqual({ status: 422, body: { error: {
        code: 'invalid_content', message: 'The auth values are invalid: Payment account ID is required', details: [{ path: 'authValues.accountId', message: 'Payment account ID is required' }],
      } } });
      expect(await put({ authValues: { accountId: 'acct_42', region: 'eu' } })).toMatchObject({ status: 422, body: { error: { details: [{ path: 'authValues', message: 'Unknown auth input(s): region' }] } } });
      expect(await put({ accountId: 'acct_42' })).toMatchObject({ status: 422, body: { error: { code: 'invalid_content', message: expect.stringContaining('Unknown key "accountId": the values go in authValues') } } });
      expect((await put({ authValues: { accountId: 'acct_42' } }, agentToken)).status).toBe(403);
      expect((await c.call('PUT', '/apps/app_01JABCDEFGHJKMNPQRSTVWXYZ0/install/auth-values', { authValues: {} })).status).toBe(404);
      expect((await ok(c, 'GET', `/apps/${appId}`)).forgottenSecrets).toEqual(['authValues']);

      const filled = await put({ authValues: { accountId: 'acct_42' } });
      expect(filled.status, JSON.stringify(filled.body)).toBe(200);
      expect(filled.body).toMatchObject({ id: appId, installation: expect.objectContaining({ appId }) });
      expect(filled.body.forgottenSecrets).toBeUndefined();
      // Sealed with the current key, as install seals them.
      const row = await store.db.selectFrom('installations').select('auth_values').where('app_id', '=', appId).executeTakeFirstOrThrow();
      expect(row.auth_values).toMatch(/^v1\./);
      // Not forgotten any more: changing them is install's business (its server is then sent them).
      const again = await put({ authValues: { accountId: 'acct_99' } });
      expect([again.status, again.body.error.code]).toEqual([409, 'install_values_kept']);

      // The app works again: a new API key reaches its server with those values, under one signature.
      await ok(c, 'POST', `/apps/${appId}/install/api-key/rotate`);
      const subscribe = w.payments!.received.subscribe.at(-1)!;
      expect(subscribe).toMatchObject({ verified: true, body: { reason: 'key_rotated', authValues: { accountId: 'acct_42' } } });
      expect(String(subscribe.headers['webhook-signature']).split(' ')).toHaveLength(1);
    } finally {
      await c.server.close();
      await store.close();
    }
  }, 120_000);
}
