import { afterEach, describe, expect, it } from 'vitest';
import { ConversationDetail, ConversationList, Message } from '../../lib/contracts/conversations';
import { MessagePage } from '../../lib/contracts/conversation-messages';
import type { Scope } from '../../lib/contracts/scopes';
import { whatsappPlainMessage } from '../fixtures/meta/payloads';
import { lastKey, startAppSink } from '../support/app-sink';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { conversationOf, startChannelWorld, type ChannelWorld } from './channels/support';
import { startChatwootPair, type ChatwootPair } from './chatwoot/harness';

/**
 * A reply or note posted with a mini-app's API key is the app's, as Chatwoot names an integration's
 * messages: `author: { type: 'app', id: <app id>, name: <its name then> }` in the answer, the
 * conversation, the list's preview and the thread's pages, on a built-in conversation, a WhatsApp
 * one (Graph stand-in) and a Chatwoot one (Chatwoot stand-in). It read as an agent's (`user`, no
 * id: "Agent" in the inbox). Registered by app-authored-messages.test.ts (SQLite) and .pg.test.ts.
 */
export function appAuthoredMessagesSuite(databaseUrl: () => string | undefined) {
  const NAME = 'Shop <sync> & "Co"';
  const SCOPES: Scope[] = ['messages.write', 'conversations.read'];
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => { await close?.(); close = undefined; });

  /** Registers and installs an app named NAME; its key, as its server received it, and its id. */
  async function installApp(server: TestServer): Promise<{ key: Api; appId: string }> {
    const admin = server.api(server.adminToken);
    const sink = await startAppSink(server);
    const app = await admin.post('/apps', { key: 'shop-sync', name: NAME, scopes: SCOPES, subscribeUrl: sink.urls.subscribeUrl });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    expect((await admin.post(`/apps/${app.body.app.id}/install`, { authValues: {} })).status).toBe(201);
    return { key: server.api(lastKey(sink)), appId: app.body.app.id };
  }
  const post = async (api: Api, conversationId: string, body: object, key?: string) => {
    const res = await api.post(`/conversations/${conversationId}/messages`, body, key ? { headers: { 'idempotency-key': key } } : {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Message.parse(res.body);
  };
  const threadOf = async (api: Api, id: string) => ConversationDetail.parse((await api.get(`/conversations/${id}`)).body).messages;

  it('on a built-in conversation: the answer, the thread, its pages and the list\'s preview name the app; a user\'s stays theirs', async () => {
    const server = await startTestServer({ databaseUrl: databaseUrl(), workers: false, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    close = () => server.close();
    const admin = server.api(server.adminToken);
    const { key, appId } = await installApp(server);
    const appAuthor = { type: 'app', id: appId, name: NAME };
    const contact = await admin.post('/contacts', { firstName: 'Lena' });
    const { id } = (await admin.post('/conversations', { contactId: contact.body.id })).body as { id: string };
    await post(admin, id, { text: 'Where is my order?', direction: 'incoming' });

    const reply = await post(key, id, { text: 'Your order shipped today' }, 'ship-1');
    expect(reply.author).toEqual(appAuthor);
    // Its retry with the same key is the same message, still the app's.
    expect(await post(key, id, { text: 'Your order shipped today' }, 'ship-1')).toEqual(reply);
    const note = await post(key, id, { text: 'Tracking synced', kind: 'comment' });
    expect(note.author).toEqual(appAuthor);
    const agent = await server.createUser('agent', { name: 'Ava' });
    const mine = await post(server.api(agent.token), id, { text: 'Anything else?' });
    expect(mine.author).toEqual({ type: 'user', id: agent.user.id });

    const thread = await threadOf(admin, id);
    expect(thread.map((m) => [m.text, m.author])).toEqual([
      ['Where is my order?', { type: 'contact', id: null }], ['Your order shipped today', appAuthor], ['Tracking synced', appAuthor],
      ['Anything else?', { type: 'user', id: agent.user.id }],
    ]);
    expect(await threadOf(key, id)).toEqual(thread);
    expect(MessagePage.parse((await admin.get(`/conversations/${id}/messages?limit=2`)).body).messages.map((m) => m.author)).toEqual([appAuthor, { type: 'user', id: agent.user.id }]);

    // The list's preview of a conversation whose latest message is the app's.
    await post(key, id, { text: 'Delivered' });
    const row = ConversationList.parse((await admin.get(`/conversations?contactId=${contact.body.id}`)).body).conversations[0]!;
    expect(row.lastMessage).toMatchObject({ text: 'Delivered', author: appAuthor });

    // Named as it was when it wrote: renaming the app later leaves its messages as they were.
    const current = (await admin.get(`/apps/${appId}`)).body;
    expect((await admin.put(`/apps/${appId}`, { ...current.manifest, name: 'Shop Sync 2' })).status).toBe(200);
    expect((await post(key, id, { text: 'Renamed', kind: 'comment' })).author).toEqual({ ...appAuthor, name: 'Shop Sync 2' });
    expect((await threadOf(admin, id)).find((m) => m.text === 'Tracking synced')!.author).toEqual(appAuthor);

    // A note on the conversation once closed is the app's too.
    expect((await admin.post(`/conversations/${id}/close`, {})).status).toBe(200);
    expect((await post(key, id, { text: 'Closed by the shop', kind: 'comment' })).author).toMatchObject({ type: 'app', id: appId });
  });

  it('on a WhatsApp conversation: the reply goes to the customer through Meta, as the app\'s', async () => {
    const url = databaseUrl();
    const w: ChannelWorld = await startChannelWorld({ ...(url ? { databaseUrl: url } : {}), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    close = () => w.close();
    const { key, appId } = await installApp(w.server);
    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Is my order ready?', name: 'Ana Lima' }))).status).toBe(200);
    const { id } = (await conversationOf(w.server, `phone=${encodeURIComponent('+14155550123')}`)).conversation as { id: string };

    const reply = await post(key, id, { text: 'Ready for pickup' }, 'ready-1');
    expect(reply).toMatchObject({ text: 'Ready for pickup', author: { type: 'app', id: appId, name: NAME }, delivery: { status: 'accepted' } });
    expect(w.graph.sent.map((s) => s.body.text)).toEqual([{ body: 'Ready for pickup', preview_url: false }]);
    const note = await post(key, id, { text: 'Pickup slot booked', kind: 'comment' });
    expect(note.author).toEqual({ type: 'app', id: appId, name: NAME });
    expect((await threadOf(w.server.api(w.server.adminToken), id)).slice(1).map((m) => m.author)).toEqual([reply.author, note.author]);
  });

  it('on a Chatwoot conversation: the reply and note posted there are stored once, as the app\'s', async () => {
    const p: ChatwootPair = await startChatwootPair({ databaseUrl: databaseUrl() });
    close = () => p.close();
    const { key, appId } = await installApp(p.server);
    const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Refund please', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const { id } = (await p.server.api(p.server.adminToken).get('/conversations?status=open')).body.conversations[0] as { id: string };

    // The note's echo comes in before Chatwoot answers (stored first as an agent's): told it is the app's.
    p.cw.beforeNextMessageAnswer = async (convId, messageId) => { await p.hook(p.cw.messagePayload(convId, messageId)); };
    const note = await post(key, id, { text: 'Refund issued in Shopify', kind: 'comment' });
    const reply = await post(key, id, { text: 'Your refund is on its way' });
    for (const m of conv.messages.slice(1)) await p.hook(p.cw.messagePayload(conv.id, m.id));
    const appAuthor = { type: 'app', id: appId, name: NAME };
    expect([note.author, reply.author]).toEqual([appAuthor, appAuthor]);
    expect((await threadOf(p.server.api(p.server.adminToken), id)).map((m) => [m.text, m.author])).toEqual([
      ['Refund issued in Shopify', appAuthor], ['Your refund is on its way', appAuthor],
    ]);
    expect(p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).map((r) => r.body)).toEqual([
      { content: 'Refund issued in Shopify', message_type: 'outgoing', private: true },
      { content: 'Your refund is on its way', message_type: 'outgoing', private: false },
    ]);
  });
}
