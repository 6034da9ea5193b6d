import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { ChatwootAccount } from '../../../lib/contracts/chatwoot';
import { ConversationList } from '../../../lib/contracts/conversations';
import { startChatwootPair, type ChatwootPair } from './harness';

/** A second loopback address: another host name than the stand-in's 127.0.0.1, on this machine. */
const OTHER_HOST = '127.0.0.2';

/**
 * Moving a connected Chatwoot to another host name (a new domain). The stored access token goes
 * only to the host it was connected at: another host needs the token typed again in the same
 * PATCH, and the proof is made with that one. Was: `PATCH {baseUrl}` sent the stored token to
 * whatever host the admin named (one request read out Chatwoot's administrator token). The same
 * host on another port or scheme keeps using the stored token (change-address-suite.ts).
 * Registered by change-host.test.ts (SQLite) and change-host.pg.test.ts (PostgreSQL).
 */
export function chatwootChangeHostSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const undo of cleanups.splice(0).reverse()) await undo();
    await p.close();
  });
  const start = async () => {
    p = await startChatwootPair({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: `127.0.0.1,${OTHER_HOST}` } });
  };
  const admin = () => p.server.api(p.server.adminToken);
  const account = async () => ChatwootAccount.parse((await admin().get(`/chatwoot/accounts/${p.account.id}`)).body);
  const move = (body: Record<string, unknown>) => admin().patch(`/chatwoot/accounts/${p.account.id}`, body);
  /**
   * Listens on the other host and keeps every byte it is sent. With `upstream`, a new domain in
   * front of the same Chatwoot; without, someone else's server that answers any request 401
   * (the reviewer's logger: it needs no more than the request to have the token).
   */
  const listen = async (upstream?: number) => {
    const seen: string[] = [];
    const server = net.createServer((client) => {
      client.on('data', (chunk) => seen.push(chunk.toString('latin1')));
      client.on('error', () => undefined);
      if (upstream === undefined) {
        client.once('data', () => client.end('HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 32\r\nconnection: close\r\n\r\n{"error":"Invalid Access Token"}'));
        return;
      }
      const up = net.connect(upstream, '127.0.0.1');
      client.pipe(up).pipe(client);
      client.on('error', () => up.destroy());
      up.on('error', () => client.destroy());
    });
    await new Promise<void>((r) => server.listen(0, OTHER_HOST, r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    return { url: `http://${OTHER_HOST}:${(server.address() as net.AddressInfo).port}`, sent: () => seen.join('') };
  };

  it('another host without the token: a 422 naming apiAccessToken, nothing sent there (or anywhere), nothing changed', async () => {
    await start();
    const was = await account();
    const logger = await listen();
    const res = await move({ baseUrl: logger.url, name: 'Renamed meanwhile' });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    const message = `${OTHER_HOST} is another host than 127.0.0.1: give the access token with the new address (apiAccessToken, `
      + 'Chatwoot: Profile settings → Access Token). The connected token is sent only to the host it was connected at, so an address typed wrong, '
      + 'or someone else\'s, never receives it. A connection\'s address changes only to where the same Chatwoot answers now; to mirror another Chatwoot, connect it as a new account';
    expect(res.body.error).toEqual({ code: 'chatwoot_token_required', message, details: [{ path: 'apiAccessToken', message }] });
    expect(logger.sent()).toBe('');
    expect(p.cw.requests).toEqual([]);
    expect(await account()).toEqual(was);
  });

  it('someone else\'s host with a token typed: only the typed token reaches it, never the connected one', async () => {
    await start();
    const was = await account();
    const logger = await listen();
    const res = await move({ baseUrl: logger.url, apiAccessToken: 'cw_typed_for_the_new_host' });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'chatwoot_unauthorized', details: [{ path: 'apiAccessToken' }] });
    expect(logger.sent()).toMatch(/^GET \/api\/v1\/profile HTTP\/1\.1\r\n/);
    expect(logger.sent()).toContain('api_access_token: cw_typed_for_the_new_host');
    expect(logger.sent()).not.toContain(p.cw.token);
    expect(await account()).toEqual(was);
  });

  it('the same Chatwoot at a new host name: moved with its token typed again (checked with that one), its conversations stay linked', async () => {
    await start();
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Where is my parcel?', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
    const [mirror] = ConversationList.parse((await admin().get('/conversations')).body).conversations;
    const connected = p.cw.token;
    const domain = await listen(Number(new URL(p.cw.url).port));

    expect((await move({ baseUrl: domain.url })).status).toBe(422);
    expect(domain.sent()).toBe('');

    // Its admin reset the access token while moving it (Profile settings → Access Token → Reset).
    p.cw.token = 'cw_token_after_the_move_5678';
    const moved = await move({ baseUrl: domain.url, apiAccessToken: p.cw.token });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(ChatwootAccount.parse(moved.body)).toMatchObject({ id: p.account.id, baseUrl: domain.url, origin: domain.url, tokenLastFour: '••••5678', webhookUrl: p.account.webhookUrl, status: 'active' });
    expect(domain.sent()).toContain(`api_access_token: ${p.cw.token}`);
    expect(domain.sent()).not.toContain(connected);

    const synced = await admin().post(`/chatwoot/accounts/${p.account.id}/sync`);
    expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    expect(ConversationList.parse((await admin().get('/conversations')).body).conversations.map((c) => [c.id, c.status])).toEqual([[mirror!.id, 'open']]);
    expect(domain.sent()).not.toContain(connected);
  });
}
