import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConversationList, type ConversationListItem } from '../../../lib/contracts/conversations';
import { messengerText, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import type { GraphStandIn } from '../../support/graph-standin';
import type { Api } from '../../support/server';
import { startChatwootPair, type ChatwootPair } from '../chatwoot/harness';
import { APP_SECRET, connectTestChannels, deliverSignedMeta, readsSince, startTestGraph } from './support';

/**
 * GET /conversations on a team with every kind of conversation, over real HTTP with the Graph and
 * Chatwoot stand-ins: each row says where it is (channelType, and inboxKind `chatwoot` for one
 * that lives in Chatwoot, connected or not), which the inbox's channel badge shows; and a signed-in
 * user's unread count takes a customer's message when it arrives, a WhatsApp message Meta
 * delivers a day late included (its `timestamp` is the customer's; created_at is arrival).
 * Registered by list-channels.test.ts (SQLite) and list-channels.pg.test.ts (PostgreSQL).
 */
export function listChannelsSuite(databaseUrl: () => string | undefined) {
  let graph: GraphStandIn;
  let p: ChatwootPair;
  let ava: Api;
  const ids: Record<string, string> = {};

  const deliver = async (payload: unknown) => { await deliverSignedMeta(p.server, payload); };
  const rows = async (api: Api) => ConversationList.parse((await api.get('/conversations?limit=200')).body).conversations;
  const row = async (api: Api, id: string) => (await rows(api)).find((c) => c.id === id)!;
  const place = (c: ConversationListItem) => ({ channelType: c.channelType, inboxKind: c.inboxKind });

  beforeAll(async () => {
    graph = await startTestGraph();
    p = await startChatwootPair({
      databaseUrl: databaseUrl(), env: { META_GRAPH_URL: graph.url, META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: 'verify' },
      beforeConnect: async (_s, cw) => { cw.inboxes.push({ id: 4, name: 'WhatsApp Support', channel_type: 'Channel::Whatsapp' }); },
    });
    await connectTestChannels(p.server, graph);
    const made = await p.server.createUser('agent', { name: 'Ava' });
    // Ava joined, and the server began keeping reads, a minute ago: Chatwoot's times are whole
    // seconds, so its message could read as older than this server's start.
    const minuteAgo = new Date(Date.now() - 60_000).toISOString();
    await readsSince(p.server, made.user.id, minuteAgo);
    ava = p.server.api(made.token);
    const admin = p.server.api(p.server.adminToken);

    const contact = await admin.post('/contacts', { firstName: 'Walk-in' });
    ids.builtIn = (await admin.post('/conversations', { contactId: contact.body.id })).body.id;
    await admin.post(`/conversations/${ids.builtIn}/messages`, { text: 'At the counter', direction: 'incoming' });

    // Kwame wrote 25 hours ago; Meta delivers it only now.
    const late = whatsappPlainMessage({ waId: '233201234567', text: 'Where is my refund?', name: 'Kwame Mensah' });
    late.entry[0]!.changes[0]!.value.messages[0]!.timestamp = String(Math.floor(Date.now() / 1000) - 25 * 3600);
    await deliver(late);
    await deliver(messengerText({ psid: '4871203918', text: 'Olá' }));

    const cwContact = p.cw.addContact({ name: 'Wanda' });
    const conv = p.cw.addConversation({ contactId: cwContact.id, inboxId: 4, firstMessage: { content: 'Hello from Chatwoot', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    await p.hook(p.cw.messagePayload(conv.id, conv.messages[0]!.id));

    for (const c of await rows(admin)) {
      if (c.contact.firstName === 'Kwame') ids.whatsapp = c.id;
      if (c.channelType === 'messenger') ids.messenger = c.id;
      if (c.contact.firstName === 'Wanda') ids.chatwoot = c.id;
    }
    expect(Object.keys(ids).sort()).toEqual(['builtIn', 'chatwoot', 'messenger', 'whatsapp']);
  }, 60_000);
  afterAll(async () => { await p?.close(); await graph?.close(); });

  it('says where each conversation is: built-in, WhatsApp, Messenger, or a Chatwoot inbox (and which)', async () => {
    expect(place(await row(ava, ids.builtIn!))).toEqual({ channelType: 'inbox', inboxKind: null });
    expect(place(await row(ava, ids.whatsapp!))).toEqual({ channelType: 'whatsapp', inboxKind: null });
    expect(place(await row(ava, ids.messenger!))).toEqual({ channelType: 'messenger', inboxKind: null });
    expect(await row(ava, ids.chatwoot!)).toMatchObject({ channelType: 'whatsapp', inboxKind: 'chatwoot', inboxName: 'WhatsApp Support' });
  });

  it('counts each customer\'s message as unread when it arrives, one Meta delivered a day late too, until the user looks', async () => {
    for (const [name, id] of Object.entries(ids)) expect((await row(ava, id)).unread, name).toBe(1);
    expect((await ava.post(`/conversations/${ids.whatsapp}/seen`)).status).toBe(200);
    expect((await row(ava, ids.whatsapp!)).unread).toBe(0);
    expect((await row(ava, ids.messenger!)).unread).toBe(1);
  });

  it('a Chatwoot account disconnected since: its conversations still say they live there', async () => {
    expect((await p.server.api(p.server.adminToken).del(`/chatwoot/accounts/${p.account.id}`)).status).toBe(200);
    expect(place(await row(ava, ids.chatwoot!))).toEqual({ channelType: 'whatsapp', inboxKind: 'chatwoot' });
    expect(place(await row(ava, ids.whatsapp!))).toEqual({ channelType: 'whatsapp', inboxKind: null });
  });
}
