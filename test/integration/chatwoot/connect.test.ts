import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatwootAccount, ChatwootDisconnected } from '../../../lib/contracts/chatwoot';
import { startChatwootStandin, type ChatwootStandin } from '../../support/chatwoot-standin';
import { startTestServer, type TestServer } from '../../support/server';

describe('connecting a Chatwoot account', () => {
  let cw: ChatwootStandin;
  let server: TestServer;
  beforeEach(async () => {
    cw = await startChatwootStandin({ accountId: 3 });
    server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' }, workers: false });
  });
  afterEach(async () => { await server.close(); await cw.close(); });

  const connect = (body: Record<string, unknown>, token = server.adminToken) =>
    server.api(token).post('/chatwoot/accounts', { baseUrl: cw.url, accountId: 3, apiAccessToken: cw.token, ...body });

  it('checks the token with one call and answers a per-account webhook URL, never the token', async () => {
    const res = await connect({ webhookSecret: 'whsec-chatwoot-abcd' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const account = ChatwootAccount.parse(res.body);
    // Then the agent bot the companion writes as (agent-bot.ts): none of that name yet, so it is made.
    expect(cw.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/profile', 'GET /api/v1/accounts/3/agent_bots', 'POST /api/v1/accounts/3/agent_bots']);
    expect(account).toMatchObject({ accountId: 3, origin: cw.url, agentName: 'Alex Agent', tokenLastFour: '••••1234', webhookSecretLastFour: '••••abcd', status: 'active', lastSyncedAt: null });
    expect(account.webhookUrl).toMatch(new RegExp(`^${server.url}/chatwoot/webhook/[A-Za-z0-9_-]{43}$`));
    const listed = await server.api(server.adminToken).get('/chatwoot/accounts');
    expect(JSON.stringify(listed.body)).not.toContain(cw.token);
    expect(listed.body.accounts[0].webhookUrl).toBe(account.webhookUrl);
    const row = await server.store.db.selectFrom('connections').selectAll().executeTakeFirstOrThrow();
    expect(row.kind).toBe('chatwoot');
    expect(row.secrets + row.config).not.toContain(cw.token);
    expect(row.secrets + row.config + JSON.stringify(listed.body)).not.toContain(cw.bots[0]!.access_token);
    expect(row.secrets + row.config).not.toContain(account.webhookUrl.split('/').at(-1));
  });

  it.each([
    ['a wrong token', { apiAccessToken: 'not-the-token' }, 422, /refused the API access token.*Invalid Access Token.*Access Token/],
    ['an account the user is not in', { accountId: 4 }, 422, /not a member of Chatwoot account 4; its accounts: 3/],
    ['an address that is no Chatwoot', { baseUrl: 'http://127.0.0.1:1' }, 502, /Cannot reach Chatwoot at http:\/\/127\.0\.0\.1:1/],
  ])('says what is wrong with %s', async (_what, body, status, message) => {
    const res = await connect(body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(await server.store.db.selectFrom('connections').selectAll().execute()).toEqual([]);
  });

  it('refuses an agent\'s token, saying an administrator\'s is needed and why, for a new account and for a new token', async () => {
    cw.role = 'agent';
    const res = await connect({});
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'chatwoot_admin_required', details: [{ path: 'apiAccessToken' }] });
    expect(res.body.error.message).toMatch(/alex@example\.com, who is an agent in Chatwoot account 3, not an administrator: Chatwoot shows agents only the conversations of the inboxes they are members of.*administrator's access token/);
    expect(await server.store.db.selectFrom('connections').selectAll().execute()).toEqual([]);

    cw.role = 'administrator';
    const account = ChatwootAccount.parse((await connect({})).body);
    cw.role = 'agent';
    const patched = await server.api(server.adminToken).patch(`/chatwoot/accounts/${account.id}`, { apiAccessToken: cw.token });
    expect(patched.status).toBe(422);
    expect(patched.body.error.code).toBe('chatwoot_admin_required');
  });

  it('refuses a private address unless it is allow-listed, and says how to allow it', async () => {
    const strict = await startTestServer({ workers: false });
    try {
      const res = await strict.api(strict.adminToken).post('/chatwoot/accounts', { baseUrl: cw.url, accountId: 3, apiAccessToken: cw.token });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toMatch(/private network address.*COMPANION_ALLOW_PRIVATE_URLS/);
      expect(cw.requests).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it('is for admins only, refuses a second connection of the same account, and validates the body', async () => {
    const { token } = await server.createUser('agent');
    expect((await connect({}, token)).status).toBe(403);
    expect((await connect({})).status).toBe(201);
    const again = await connect({});
    expect(again.status).toBe(409);
    const bad = await server.api(server.adminToken).post('/chatwoot/accounts', { baseUrl: 'javascript:alert(1)', accountId: 'x', apiAccessToken: 'short' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.accountId', 'body.apiAccessToken', 'body.baseUrl']);
  });

  it('replaces the token (checked again) and removes the account', async () => {
    const account = ChatwootAccount.parse((await connect({})).body);
    const bad = await server.api(server.adminToken).patch(`/chatwoot/accounts/${account.id}`, { apiAccessToken: 'wrong-token-xyz' });
    expect(bad.status).toBe(422);
    const cleared = await server.api(server.adminToken).patch(`/chatwoot/accounts/${account.id}`, { webhookSecret: 'new-secret-9876' });
    expect(cleared.body.webhookSecretLastFour).toBe('••••9876');
    const removed = await server.api(server.adminToken).del(`/chatwoot/accounts/${account.id}`);
    expect(removed.status).toBe(200);
    // It says what disconnecting does (before, a bare 204).
    expect(ChatwootDisconnected.parse(removed.body)).toMatchObject({ id: account.id, openConversations: 0 });
    expect(removed.body.message).toMatch(/webhook URL stops working.*Connect the same address and account id again to pick up its conversations and contacts/);
    expect((await server.api(server.adminToken).get(`/chatwoot/accounts/${account.id}`)).status).toBe(404);
  });
});

describe('the Chatwoot routes in the OpenAPI description', () => {
  it('are documented at /docs/json', async () => {
    const server = await startTestServer({ workers: false });
    try {
      const res = await server.request('GET', '/docs/json');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining([
        '/api/v1/chatwoot/accounts', '/api/v1/chatwoot/accounts/{id}/sync', '/api/v1/chatwoot/conversations/resolve', '/api/v1/chatwoot/origins', '/chatwoot/webhook/{token}',
      ]));
    } finally {
      await server.close();
    }
  });
});
