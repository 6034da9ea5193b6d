import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { ChatwootAccount, ChatwootResolveResult, ChatwootSyncResult } from '../../../lib/contracts/chatwoot';
import { ConversationList } from '../../../lib/contracts/conversations';
import { startChatwootStandin, type ChatwootStandin } from '../../support/chatwoot-standin';
import { LOOPBACK_TLS, trustCertificates } from '../../support/loopback-tls';
import { startChatwootPair, type ChatwootPair } from './harness';

/**
 * A connected Chatwoot that moved: its admin set up TLS (http → https on the same host), or put it
 * behind another address. The launcher in Chatwoot's page finds the account at either spelling
 * (the rule connecting it uses, same-account.ts), connecting it again says to change the
 * connection's address, and `PATCH baseUrl` changes it, checked as a connect is; another port or
 * path of the same host is taken only if it accepts the connected token (another Chatwoot's
 * account 1 is not this one; another host name needs the token typed again: change-host-suite.ts).
 * Were: the launcher said "not connected" at https, the 409 said "update it" and the update
 * answered 200 with nothing changed. Registered by change-address.test.ts (SQLite) and
 * change-address.pg.test.ts (PostgreSQL).
 */
export function chatwootChangeAddressSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const undo of cleanups.splice(0).reverse()) await undo();
    await p.close();
  });
  const admin = () => p.server.api(p.server.adminToken);
  const account = async () => ChatwootAccount.parse((await admin().get(`/chatwoot/accounts/${p.account.id}`)).body);
  const move = (body: Record<string, unknown>) => admin().patch(`/chatwoot/accounts/${p.account.id}`, body);
  const resolve = (origin: string, conversationId: number) =>
    admin().get(`/chatwoot/conversations/resolve?${new URLSearchParams({ origin, accountId: '1', conversationId: String(conversationId) })}`);
  /** A conversation mirrored from Chatwoot (its webhook), open here. */
  const mirrored = async () => {
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Where is my parcel?', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
    const [mirror] = ConversationList.parse((await admin().get('/conversations')).body).conversations;
    return { conv, mirror: mirror! };
  };
  /** Another port in front of the same Chatwoot (a reverse proxy on the same host): bytes passed through. */
  const proxyTo = async (port: number) => {
    const proxy = net.createServer((client) => {
      const upstream = net.connect(port, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => proxy.close(r)));
    return `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  };
  const otherChatwoot = async (): Promise<ChatwootStandin> => {
    const other = await startChatwootStandin({ token: 'cw_token_of_another_chatwoot' });
    cleanups.push(() => other.close());
    return other;
  };

  it('moved to https: the launcher finds it there, connecting it again says to change its address, and changing it keeps its conversations', async () => {
    p = await startChatwootPair({ databaseUrl: databaseUrl() });
    const { conv, mirror } = await mirrored();
    const before = p.cw.url;
    cleanups.push(trustCertificates(LOOPBACK_TLS.cert));
    await p.cw.serveTls(LOOPBACK_TLS);
    const https = p.cw.url;
    expect(https).toBe(before.replace('http://', 'https://'));

    // Chatwoot's page is at https now: the launcher there finds the connected account.
    const found = await resolve(https, conv.id);
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(ChatwootResolveResult.parse(found.body)).toMatchObject({ conversationId: mirror.id, connectionId: p.account.id });

    const again = await admin().post('/chatwoot/accounts', { baseUrl: https, accountId: 1, apiAccessToken: p.cw.token });
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(again.body.error).toEqual({
      code: 'already_connected',
      message: `Chatwoot account 1 is already connected at ${before} ("${p.account.name}", ${p.account.id}): if it answers at ${https} now, `
        + `change that connection's address to ${https} (Settings → Chatwoot → Address) instead of connecting it again; its conversations stay linked`,
    });

    p.cw.requests.length = 0;
    const moved = await move({ baseUrl: `${https.toUpperCase().replace('HTTPS', 'https')}/` });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    // Checked there as a connect is: one profile read, over TLS.
    expect(p.cw.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/profile']);
    const after = ChatwootAccount.parse(moved.body);
    expect(after).toMatchObject({ id: p.account.id, baseUrl: https, origin: https, webhookUrl: p.account.webhookUrl, status: 'active' });
    expect(await account()).toEqual(after);

    // Synced at the new address: the same conversation, open, no copy beside it.
    const synced = await admin().post(`/chatwoot/accounts/${p.account.id}/sync`);
    expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    expect(ChatwootSyncResult.parse(synced.body).account.lastError).toBeNull();
    const listed = ConversationList.parse((await admin().get('/conversations')).body).conversations;
    expect(listed.map((c) => [c.id, c.status, c.closeReason])).toEqual([[mirror.id, 'open', null]]);
    expect((await admin().get('/chatwoot/accounts')).body.accounts).toHaveLength(1);
    // The webhook URL Chatwoot holds still delivers to it.
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated'))).status).toBe(200);
  });

  it('another address in front of the same Chatwoot: taken, since it accepts the connected token', async () => {
    p = await startChatwootPair({ databaseUrl: databaseUrl() });
    const { conv, mirror } = await mirrored();
    const proxied = await proxyTo(Number(new URL(p.cw.url).port));
    const moved = await move({ baseUrl: proxied });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(ChatwootAccount.parse(moved.body)).toMatchObject({ baseUrl: proxied, origin: proxied });
    expect(ChatwootResolveResult.parse((await resolve(proxied, conv.id)).body).conversationId).toBe(mirror.id);
    expect((await admin().post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(200);
    expect(ConversationList.parse((await admin().get('/conversations')).body).conversations.map((c) => [c.id, c.status])).toEqual([[mirror.id, 'open']]);
  });

  it.each([
    ['another Chatwoot (its own account 1, its own token)', async () => {
      const other = await otherChatwoot();
      return { body: { baseUrl: other.url, apiAccessToken: other.token }, status: 422, code: 'chatwoot_other_server',
        message: `${other.url} refuses the connected token, so it is not the Chatwoot this account was connected at (a Chatwoot accepts only the tokens it issued). `
          + 'A connection\'s address changes only to where the same Chatwoot answers now; to mirror another Chatwoot, connect it as a new account' };
    }],
    ['an address where nothing answers', async () => ({ body: { baseUrl: 'http://127.0.0.1:1' }, status: 502, code: 'chatwoot_unreachable', message: /Cannot reach Chatwoot at http:\/\/127\.0\.0\.1:1/ })],
    ['an address that is not one', async () => ({ body: { baseUrl: 'ftp://chat.example.com' }, status: 422, code: 'invalid_content', message: /Enter the address of your Chatwoot, e\.g\. https:\/\/chatwoot\.example\.com/ })],
    ['another account id', async () => ({ body: { accountId: 2 }, status: 422, code: 'invalid_content',
      message: /Only baseUrl, apiAccessToken, webhookSecret and name can be changed \(not accountId\): another account id is another account; connect it as a new one/ })],
  ])('%s: refused, saying why, and nothing changes', async (_name, setup) => {
    p = await startChatwootPair({ databaseUrl: databaseUrl() });
    const was = await account();
    const { body, status, code, message } = await setup();
    const res = await move(body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toBe(code);
    if (typeof message === 'string') expect(res.body.error.message).toBe(message);
    else expect(JSON.stringify(res.body.error)).toMatch(message);
    expect(await account()).toEqual(was);
  });

  it('the address of another connection of the same account: a 409 naming that one', async () => {
    p = await startChatwootPair({ databaseUrl: databaseUrl() });
    const other = await otherChatwoot();
    const second = await admin().post('/chatwoot/accounts', { baseUrl: other.url, accountId: 1, apiAccessToken: other.token, name: 'Other Chatwoot' });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const res = await move({ baseUrl: other.url });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'already_connected', message: expect.stringContaining(`Chatwoot account 1 is already connected at ${other.url} ("Other Chatwoot", ${second.body.id})`) });
    expect((await account()).baseUrl).toBe(p.cw.url);
  });
}
