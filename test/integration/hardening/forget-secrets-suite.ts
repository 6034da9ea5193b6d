import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startPaymentApp, type PaymentApp } from '../../../examples/payment-app/server';
import { ConfigError } from '../../../server/http/trust-proxy';
import { openStore, type Store } from '../../../server/store/database';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { startChatwootStandin, type ChatwootStandin } from '../../support/chatwoot-standin';
import { startGraphStandIn, type GraphStandIn } from '../../support/graph-standin';
import { APP_SECRET, WA } from '../channels/support';
import { allRows, runForgetSecrets, startCompanion, withoutSealedColumns, type Companion } from './forget-secrets-support';

// A team that lost its secret key could not start at all: a start whose key cannot open the stored
// credentials stops (key-check.ts). `npm run forget-secrets -- --yes` forgets what the lost key
// sealed and seals from now on with a new one; the server starts, every list answers, each thing
// that lost a credential says so where it is entered again, and nothing else changed.
// Run on SQLite (the key in DATA_DIR/secret-key, lost; the command makes a new file) and on
// PostgreSQL (COMPANION_SECRET_KEY, lost; the command runs with a new one).

export interface StoreSide {
  /** Opens the database the test keeps between starts (and the command's settings reach); SQLite's lives in `dataDir`. */
  open(dataDir: string): Promise<Store>;
  /** The command's DATABASE_URL (PostgreSQL), none for SQLite in DATA_DIR. */
  commandEnv(): Record<string, string>;
  /** Drops what open() made, after the test. */
  drop(): Promise<void>;
}

const SIGNING_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const WA_ID = '14155550123';

interface World { root: string; dataDir: string; graph: GraphStandIn; cw: ChatwootStandin; cwGone: ChatwootStandin; payments?: PaymentApp }

export function forgetSecretsSuite(makeSide: () => StoreSide, usesEnvKey: boolean) {
  let w: World;
  let side: StoreSide;
  beforeEach(async () => {
    side = makeSide();
    const root = await mkdtemp(path.join(tmpdir(), 'forget-secrets-'));
    const graph = await startGraphStandIn();
    graph.addPhoneNumber({ id: WA.phoneNumberId, token: WA.token, businessAccountId: WA.businessAccountId });
    graph.addAdAccount({ id: 'act_4242', token: 'EAAGadsToken9876', name: 'Spring ads', ads: [] });
    w = { root, dataDir: path.join(root, 'data'), graph, cw: await startChatwootStandin({ accountId: 3 }), cwGone: await startChatwootStandin({ accountId: 5 }) };
  });
  afterEach(async () => {
    await w.payments?.close();
    await Promise.all([w.graph.close(), w.cw.close(), w.cwGone.close()]);
    await side.drop();
    await rm(w.root, { recursive: true, force: true });
  });

  const keyA = Buffer.alloc(32, 11).toString('base64');
  const outside = () => ({ META_GRAPH_URL: w.graph.url, META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: 'verify', COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' });
  const ok = async (c: Companion, method: string, p: string, body?: unknown, status = [200, 201, 202]) => {
    const res = await c.call(method, p, body);
    expect(status, `${method} ${p}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
    return res.body;
  };
  const signed = (c: Companion, hookPath: string, body: string) => fetch(`${c.url}${hookPath}`, {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': new Webhook(SIGNING_SECRET).sign('msg_1', new Date(), body) },
  });

  /** Key A seals: a channel with a customer's conversation, an ad account, Chatwoot (one disconnected), a signed webhook with a run, a mini-app. */
  async function sealWithKeyA(store: Store) {
    const c = await startCompanion(store, { ...outside(), ...(usesEnvKey ? { COMPANION_SECRET_KEY: keyA } : {}) }, w.dataDir);
    try {
      const channel = await ok(c, 'POST', '/channels', { kind: 'whatsapp', name: 'Support', phoneNumberId: WA.phoneNumberId, businessAccountId: WA.businessAccountId, accessToken: WA.token });
      const raw = JSON.stringify(whatsappPlainMessage({ waId: WA_ID, text: 'Is my order on its way?', name: 'Maria Lopez' }));
      const meta = await fetch(`${c.url}/meta/webhook`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}` } });
      expect(meta.status).toBe(200);
      const ads = await ok(c, 'POST', '/ads/accounts', { adAccountId: 'act_4242', accessToken: 'EAAGadsToken9876' });
      const chatwoot = await ok(c, 'POST', '/chatwoot/accounts', { baseUrl: w.cw.url, accountId: 3, apiAccessToken: w.cw.token, webhookSecret: 'whsec-chatwoot-abcd', name: 'Acme Chatwoot' });
      expect(chatwoot.postsAs).toMatchObject({ kind: 'bot' });
      const gone = await ok(c, 'POST', '/chatwoot/accounts', { baseUrl: w.cwGone.url, accountId: 5, apiAccessToken: w.cwGone.token, name: 'Old Chatwoot' });
      await ok(c, 'DELETE', `/chatwoot/accounts/${gone.id}`);
      const hook = await ok(c, 'POST', '/workflows', {
        name: 'Order shipped', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, signingSecret: SIGNING_SECRET },
        steps: [{ id: 'note', type: 'add_comment', config: { text: 'Shipped' } }],
      });
      await ok(c, 'POST', `/workflows/${hook.id}/publish`);
      const hookPath = new URL(hook.trigger.url as string).pathname;
      expect((await signed(c, hookPath, JSON.stringify({ phone: '+14155550123' }))).status).toBe(202);
      w.payments = await startPaymentApp({ port: 0, companionUrl: c.url });
      const registered = await ok(c, 'POST', '/apps', w.payments.manifest());
      w.payments.setSigningSecret(registered.signingSecret);
      await ok(c, 'POST', `/apps/${registered.app.id}/install`, { authValues: { accountId: 'acct_42' } });
      return { admin: c.adminToken, channelId: channel.id as string, adsId: ads.id as string, chatwootId: chatwoot.id as string, oldHookUrl: chatwoot.webhookUrl as string, hookId: hook.id as string, hookPath, appId: registered.app.id as string };
    } finally {
      await c.server.close();
    }
  }

  it('forgets what the lost key sealed, only with --yes; the server then starts with the new key and says what to enter again', async () => {
    let store = await side.open(w.dataDir);
    const a = await sealWithKeyA(store);
    // The key is lost: DATA_DIR/secret-key gone, or COMPANION_SECRET_KEY no longer known.
    if (!usesEnvKey) await rm(path.join(w.dataDir, 'secret-key'));
    await expect(startCompanion(store, outside(), w.dataDir)).rejects.toThrow(ConfigError);
    await expect(startCompanion(store, outside(), w.dataDir)).rejects.toThrow('If that key is lost, `npm run forget-secrets -- --yes` (same settings) forgets the credentials sealed with it');
    const before = await allRows(store);
    await store.close();

    const keyB = Buffer.alloc(32, 22).toString('base64');
    const settings = { DATA_DIR: w.dataDir, ...side.commandEnv(), ...(usesEnvKey ? { COMPANION_SECRET_KEY: keyB } : {}) };
    const asked = await runForgetSecrets(settings, []);
    expect(asked.code, asked.out).toBe(1);
    expect(asked.out).toContain('forget-secrets: nothing was changed.');
    expect(asked.out).toContain('Usage: npm run forget-secrets -- --yes');
    const unknownArg = await runForgetSecrets(settings, ['--yes', '--force']);
    expect([unknownArg.code, unknownArg.out]).toEqual([2, 'forget-secrets: unknown argument --force\nUsage: npm run forget-secrets -- --yes   (with the DATA_DIR, DATABASE_URL and COMPANION_SECRET_KEY the server starts with)']);
    if (!usesEnvKey) {
      // A mistyped DATA_DIR: no empty database made there.
      const elsewhere = await runForgetSecrets({ DATA_DIR: path.join(w.root, 'dta') }, ['--yes']);
      expect([elsewhere.code, elsewhere.out]).toEqual([1, `forget-secrets: there is no database at ${path.join(w.root, 'dta', 'companion.sqlite')} (DATA_DIR); nothing was changed.`]);
      expect(existsSync(path.join(w.root, 'dta'))).toBe(false);
    }
    expect(existsSync(path.join(w.dataDir, 'secret-key'))).toBe(false);
    store = await side.open(w.dataDir);
    expect(await allRows(store)).toEqual(before);
    await store.close();

    const done = await runForgetSecrets(settings, ['--yes']);
    expect(done.code, done.out).toBe(0);
    expect(done.out).toContain('- 1 channel: "Support" (WhatsApp): paste each access token again (Settings → Channels → Replace token)');
    expect(done.out).toContain('- 1 ad account: "Spring ads": unlink each and link it again with an access token');
    expect(done.out).toContain('- 1 Chatwoot account: "Acme Chatwoot": save a new API access token (Settings → Chatwoot)');
    expect(done.out).toContain('- 1 disconnected Chatwoot account: connecting one again still picks up its conversations, with a new webhook URL.');
    expect(done.out).toContain('- 1 webhook workflow: "Order shipped" (URL, signing secret): in each workflow\'s editor, Regenerate URL');
    expect(done.out).toContain('- 1 mini-app: "Payments" (signing secret, install values): Rotate signing secret');
    expect(done.out).toContain('Contacts, conversations, workflows, their versions and runs were not changed (HTTP request steps keep their credentials');
    const newKey = usesEnvKey ? keyB : (await readFile(path.join(w.dataDir, 'secret-key'), 'utf8')).trim();
    if (!usesEnvKey) expect(statSync(path.join(w.dataDir, 'secret-key')).mode & 0o777).toBe(0o600);
    expect(done.out).toContain(usesEnvKey ? 'The new key is the COMPANION_SECRET_KEY this ran with' : `The new key is in ${path.join(w.dataDir, 'secret-key')} (made now, mode 0600)`);

    store = await side.open(w.dataDir);
    expect(withoutSealedColumns(await allRows(store))).toEqual(withoutSealedColumns(before));
    // Run again: the new key opens everything now, so it refuses and changes nothing.
    const again = await runForgetSecrets({ ...settings, COMPANION_SECRET_KEY: newKey }, ['--yes']);
    expect(again.code, again.out).toBe(1);
    expect(again.out).toContain('opens the credentials stored in the database: nothing is lost, and nothing was forgotten');

    const c = await startCompanion(store, { ...outside(), COMPANION_SECRET_KEY: newKey }, path.join(w.root, 'after'), a.admin);
    try {
      for (const list of ['/contacts', '/conversations', '/workflows', '/runs', '/channels', '/ads/accounts', '/chatwoot/accounts', '/apps']) await ok(c, 'GET', list);
      expect((await ok(c, 'GET', '/channels')).channels).toEqual([expect.objectContaining({ id: a.channelId, status: 'error', lastError: expect.stringContaining('Its access token was forgotten when the server\'s secret key was replaced (npm run forget-secrets): paste it again (Settings → Channels → Replace token).') })]);
      expect((await ok(c, 'GET', '/ads/accounts')).accounts).toEqual([expect.objectContaining({ id: a.adsId, lastError: expect.stringContaining('unlink the ad account and link it again') })]);
      const sync = await c.call('POST', `/ads/accounts/${a.adsId}/sync`);
      expect([sync.status, sync.body.error.code]).toEqual([409, 'ad_account_token_unreadable']);
      const [chatwoot] = (await ok(c, 'GET', '/chatwoot/accounts')).accounts;
      expect(chatwoot).toMatchObject({ id: a.chatwootId, status: 'error', tokenLastFour: '••••', webhookSecretLastFour: null, lastError: expect.stringContaining('its webhook URL is new too') });
      // The agent bot's token was sealed with the others: forgotten too, so nothing writes as the bot until a new token sets it up again.
      expect(chatwoot.postsAs).toMatchObject({ kind: 'user' });
      const oldHookPath = new URL(a.oldHookUrl).pathname;
      expect(new URL(chatwoot.webhookUrl).pathname).not.toBe(oldHookPath);
      expect((await w.cw.deliver(`${c.url}${oldHookPath}`, { event: 'conversation_updated' })).status).toBe(404);
      const [flow] = (await ok(c, 'GET', '/workflows')).workflows;
      expect(flow).toMatchObject({ id: a.hookId, unreadableSecrets: ['url', 'signingSecret'] });
      // Deliveries still reach the workflow by its URL; signed ones wait for a new secret.
      const refused = await signed(c, a.hookPath, JSON.stringify({ phone: '+14155550123' }));
      expect(refused.status).toBe(503);
      expect((await ok(c, 'GET', '/apps')).apps).toEqual([expect.objectContaining({ id: a.appId, forgottenSecrets: ['signingSecret', 'authValues'] })]);

      // What the admin does next, through the paths each already had.
      const [conversation] = (await ok(c, 'GET', '/conversations')).conversations;
      const reply = await ok(c, 'POST', `/conversations/${conversation.id}/messages`, { text: 'It is!' });
      expect(reply.delivery).toMatchObject({ status: 'failed', error: expect.stringContaining('Its access token was forgotten') });
      expect((await ok(c, 'PATCH', `/channels/${a.channelId}`, { accessToken: WA.token })).status).toBe('active');
      // Without a token nothing is asked of Chatwoot, and the account keeps saying why.
      const asksBefore = w.cw.requests.length;
      const cwSync = await c.call('POST', `/chatwoot/accounts/${a.chatwootId}/sync`);
      expect(cwSync.body.error.message).toContain('API access token and webhook secret were forgotten');
      expect(w.cw.requests.length).toBe(asksBefore);
      expect((await ok(c, 'GET', `/chatwoot/accounts/${a.chatwootId}`)).lastError).toContain('its webhook URL is new too');
      expect((await ok(c, 'PATCH', `/chatwoot/accounts/${a.chatwootId}`, { apiAccessToken: w.cw.token })).status).toBe('active');
      // The bot Chatwoot already has is found by its name and its token taken again (no second bot).
      expect((await ok(c, 'GET', `/chatwoot/accounts/${a.chatwootId}`)).postsAs).toEqual({ kind: 'bot', name: 'Inbox Companion', note: null });
      expect(w.cw.bots).toHaveLength(1);
      const keyRotation = await c.call('POST', `/apps/${a.appId}/install/api-key/rotate`);
      expect([keyRotation.status, keyRotation.body.error.code]).toEqual([409, 'signing_secret_forgotten']);
      await ok(c, 'POST', `/apps/${a.appId}/signing-secret/rotate`);
      expect((await ok(c, 'GET', `/apps/${a.appId}`)).forgottenSecrets).toEqual(['authValues']);
      const back = await ok(c, 'POST', '/chatwoot/accounts', { baseUrl: w.cwGone.url, accountId: 5, apiAccessToken: w.cwGone.token });
      expect(back).toMatchObject({ relinked: true, status: 'active' });
      await ok(c, 'POST', `/workflows/${a.hookId}/webhook/regenerate`);
      expect((await ok(c, 'GET', `/workflows/${a.hookId}`)).unreadableSecrets).toEqual(['signingSecret']);
    } finally {
      await c.server.close();
      await store.close();
    }
  }, 120_000);
}
