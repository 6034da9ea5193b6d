import { afterEach, describe, expect, it } from 'vitest';
import { ChatwootAccount, ChatwootSyncResult } from '../../../lib/contracts/chatwoot';
import { ConversationList } from '../../../lib/contracts/conversations';
import { startChatwootPair, type ChatwootPair } from './harness';

/**
 * The same Chatwoot under another spelling of its address (same-account.ts): the admin typed
 * `HTTP://…/` this time, `http://…` the last. Connecting it while connected is a 409 (it would be
 * mirrored twice); connecting it after a disconnect re-links the account (same id, conversations,
 * webhook URL) instead of opening its conversations anew. Moving it to https (the stand-in
 * serving TLS) is change-address-suite.ts.
 */
describe('reconnecting Chatwoot under another spelling of its address', () => {
  let p: ChatwootPair;
  afterEach(async () => { await p.close(); });
  const admin = () => p.server.api(p.server.adminToken);
  const conversations = async () => ConversationList.parse((await admin().get('/conversations?limit=200')).body).conversations;

  it('is the same account: refused while connected, re-linked after a disconnect', async () => {
    p = await startChatwootPair();
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Where is my parcel?', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
    const [mirror] = await conversations();
    const respelled = `${p.cw.url.replace('http://', 'HTTP://')}/`;

    const twice = await admin().post('/chatwoot/accounts', { baseUrl: respelled, accountId: p.cw.accountId, apiAccessToken: p.cw.token });
    expect(twice.status, JSON.stringify(twice.body)).toBe(409);
    const connectedAlready = `Chatwoot account 1 is already connected at ${p.cw.url} ("${p.account.name}", ${p.account.id}): set a new token or webhook secret on that connection (Settings → Chatwoot) instead of connecting it again`;
    expect(twice.body.error).toMatchObject({ code: 'already_connected', message: connectedAlready });

    expect((await admin().del(`/chatwoot/accounts/${p.account.id}`)).status).toBe(200);
    const again = await admin().post('/chatwoot/accounts', { baseUrl: respelled, accountId: p.cw.accountId, apiAccessToken: p.cw.token });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(ChatwootAccount.parse(again.body)).toMatchObject({ id: p.account.id, relinked: true, webhookUrl: p.account.webhookUrl, origin: p.cw.url });
    expect((await admin().get('/chatwoot/accounts')).body.accounts).toHaveLength(1);
    // Stored as Chatwoot spells itself, not as typed: the account list and its later errors quote that.
    expect(ChatwootAccount.parse(again.body).baseUrl).toBe(p.cw.url);
    expect(ChatwootAccount.parse((await admin().get(`/chatwoot/accounts/${p.account.id}`)).body).baseUrl).toBe(p.cw.url);
    const thrice = await admin().post('/chatwoot/accounts', { baseUrl: respelled, accountId: p.cw.accountId, apiAccessToken: p.cw.token });
    expect(thrice.body.error?.message).toBe(connectedAlready);

    const synced = await admin().post(`/chatwoot/accounts/${p.account.id}/sync`);
    expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    ChatwootSyncResult.parse(synced.body);
    // The same conversation, still open; no copy opened beside it and nothing set aside.
    expect((await conversations()).map((c) => [c.id, c.status, c.closeReason])).toEqual([[mirror!.id, 'open', null]]);
  });
});
