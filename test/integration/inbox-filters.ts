import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConversationList } from '../../lib/contracts/conversations';
import { messengerText, whatsappPlainMessage } from '../fixtures/meta/payloads';
import type { GraphStandIn } from '../support/graph-standin';
import { lastKey, startAppSink } from '../support/app-sink';
import type { Api } from '../support/server';
import { startChatwootPair, type ChatwootPair } from './chatwoot/harness';
import { APP_SECRET, connectTestChannels, deliverSignedMeta, readsSince, startTestGraph } from './channels/support';

/**
 * The list's filters over real HTTP, as an agent coming from Chatwoot or respond.io uses them:
 * Unread (what this user has not seen), the channel each row's badge says (the companion's
 * WhatsApp number and Page through a Graph stand-in, a Chatwoot account's through a Chatwoot
 * stand-in, the built-in inbox), and a search that finds a conversation by its messages' text,
 * saying which message matched. Combined with the tabs, views and cursors. Registered by
 * inbox-filters.test.ts (SQLite) and inbox-filters.pg.test.ts (PostgreSQL).
 */
export function inboxFiltersSuite(databaseUrl: () => string | undefined) {
  let graph: GraphStandIn;
  let p: ChatwootPair;
  let ava: Api;
  let ben: Api;
  const ids: Record<'builtIn' | 'whatsapp' | 'messenger' | 'chatwoot', string> = { builtIn: '', whatsapp: '', messenger: '', chatwoot: '' };
  const admin = () => p.server.api(p.server.adminToken);
  const deliver = async (payload: unknown) => { await deliverSignedMeta(p.server, payload); };
  const list = async (api: Api, query: string) => {
    const res = await api.get(`/conversations?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ConversationList.parse(res.body);
  };
  const idsOf = async (api: Api, query: string) => (await list(api, query)).conversations.map((c) => c.id).sort();
  const sorted = (...xs: string[]) => [...xs].sort();
  const write = async (id: string, body: Record<string, unknown>) => {
    const res = await admin().post(`/conversations/${id}/messages`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };

  beforeAll(async () => {
    graph = await startTestGraph();
    p = await startChatwootPair({
      databaseUrl: databaseUrl(), env: { META_GRAPH_URL: graph.url, META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: 'verify' },
      beforeConnect: async (_s, cw) => { cw.inboxes.push({ id: 4, name: 'Soporte', channel_type: 'Channel::Whatsapp' }); },
    });
    await connectTestChannels(p.server, graph);
    const user = async (name: string) => {
      const made = await p.server.createUser('agent', { name });
      // Joined, and the server began keeping reads, a minute ago: what comes below is unread.
      const minuteAgo = new Date(Date.now() - 60_000).toISOString();
      await readsSince(p.server, made.user.id, minuteAgo);
      return p.server.api(made.token);
    };
    ava = await user('Ava');
    ben = await user('Ben');

    const walkIn = await admin().post('/contacts', { firstName: 'Walk-in' });
    ids.builtIn = (await admin().post('/conversations', { contactId: walkIn.body.id })).body.id;
    await write(ids.builtIn, { text: 'Is the 100% refund_policy still on? <b>urgent</b>', direction: 'incoming' });
    await deliver(whatsappPlainMessage({ waId: '233201234567', text: 'Where is my refund?', name: 'Kwame Mensah' }));
    await deliver(messengerText({ psid: '4871203918', text: 'Olá, preciso da fatura' }));
    const cwContact = p.cw.addContact({ name: 'Wanda' });
    const conv = p.cw.addConversation({ contactId: cwContact.id, inboxId: 4, firstMessage: { content: 'Hello from Chatwoot', incoming: true } });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    await p.hook(p.cw.messagePayload(conv.id, conv.messages[0]!.id));
    for (const c of (await list(admin(), 'limit=50')).conversations) {
      if (c.inboxKind === 'chatwoot') ids.chatwoot = c.id;
      else if (c.channelType === 'whatsapp') ids.whatsapp = c.id;
      else if (c.channelType === 'messenger') ids.messenger = c.id;
    }
    expect(Object.values(ids).every(Boolean), JSON.stringify(ids)).toBe(true);
    await write(ids.messenger, { text: 'VIP customer: handle the invoice with care', kind: 'comment' });
  }, 60_000);
  afterAll(async () => {
    await p?.close();
    await graph?.close();
  });

  it('filters by the channel each row\'s badge says; a Chatwoot conversation on WhatsApp is Chatwoot\'s', async () => {
    expect(await idsOf(ava, 'channel=whatsapp')).toEqual([ids.whatsapp]);
    expect(await idsOf(ava, 'channel=messenger')).toEqual([ids.messenger]);
    expect(await idsOf(ava, 'channel=inbox')).toEqual([ids.builtIn]);
    expect(await idsOf(ava, 'channel=chatwoot')).toEqual([ids.chatwoot]);
    expect((await list(ava, 'channel=whatsapp&status=open')).total).toBe(1);
    expect(await idsOf(ava, 'channel=whatsapp&status=closed')).toEqual([]);
    expect(await idsOf(ava, 'channel=whatsapp&assigneeId=none')).toEqual([ids.whatsapp]);
    expect(await idsOf(ava, 'channel=whatsapp&assigneeId=me')).toEqual([]);
  });

  it('lists only what this user has not seen with unread=true, apart for each user, with the other filters and cursors', async () => {
    expect(await idsOf(ava, 'unread=true')).toEqual(sorted(...Object.values(ids)));
    for (const id of [ids.whatsapp, ids.builtIn]) expect((await ava.post(`/conversations/${id}/seen`)).status).toBe(200);
    const unread = await list(ava, 'status=open&unread=true');
    expect(unread.conversations.map((c) => c.id).sort()).toEqual(sorted(ids.messenger, ids.chatwoot));
    expect(unread.total).toBe(2);
    expect(unread.conversations.every((c) => (c.unread ?? 0) > 0)).toBe(true);
    expect(await idsOf(ava, 'unread=false')).toHaveLength(4);
    // Ben has looked at nothing.
    expect(await idsOf(ben, 'unread=true')).toHaveLength(4);
    expect(await idsOf(ava, 'unread=true&channel=messenger')).toEqual([ids.messenger]);
    expect(await idsOf(ava, 'unread=true&channel=whatsapp')).toEqual([]);
    // A page at a time: one row, then the other, then none.
    const first = await list(ava, 'unread=true&status=open&limit=1');
    expect(first.conversations).toHaveLength(1);
    const second = await list(ava, `unread=true&status=open&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect([first.conversations[0]!.id, ...second.conversations.map((c) => c.id)].sort()).toEqual(sorted(ids.messenger, ids.chatwoot));
    expect(second.nextCursor).toBeNull();
    // The customer writes again: it is unread again.
    await deliver(whatsappPlainMessage({ waId: '233201234567', text: 'Hello?', name: 'Kwame Mensah' }));
    expect(await idsOf(ava, 'unread=true&channel=whatsapp')).toEqual([ids.whatsapp]);
  });

  it('finds a conversation by its messages\' and notes\' text, saying which matched, as text', async () => {
    const found = await list(ava, 'q=REFUND');
    expect(found.conversations.map((c) => c.id).sort()).toEqual(sorted(ids.builtIn, ids.whatsapp));
    expect(found.total).toBe(2);
    const builtIn = found.conversations.find((c) => c.id === ids.builtIn)!;
    expect(builtIn.match).toMatchObject({ kind: 'message', snippet: 'Is the 100% refund_policy still on? <b>urgent</b>' });
    expect(found.conversations.find((c) => c.id === ids.whatsapp)!.match?.snippet).toBe('Where is my refund?');
    // A note is found too, and says it is one; letters beyond ASCII in any case.
    const note = (await list(ava, 'q=INVOICE%20WITH')).conversations;
    expect(note.map((c) => [c.id, c.match?.kind])).toEqual([[ids.messenger, 'comment']]);
    expect((await list(ava, 'q=OL%C3%81')).conversations.map((c) => c.id)).toEqual([ids.messenger]);
    // A contact's name still finds theirs, without a message to show.
    const byName = (await list(ava, 'q=Wanda')).conversations;
    expect(byName.map((c) => c.id)).toEqual([ids.chatwoot]);
    expect(byName[0]!.match).toBeUndefined();
    // With the other filters and a page at a time.
    expect(await idsOf(ava, 'q=refund&channel=whatsapp')).toEqual([ids.whatsapp]);
    expect(await idsOf(ava, 'q=refund&status=closed')).toEqual([]);
    const first = await list(ava, 'q=refund&limit=1');
    const second = await list(ava, `q=refund&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect([...first.conversations, ...second.conversations].map((c) => c.id).sort()).toEqual(sorted(ids.builtIn, ids.whatsapp));
    expect(second.nextCursor).toBeNull();
  });

  it.each([
    // Shorter than three characters, a search reads contacts only: "%" is no "every message".
    ['%', 0], ['_', 0], ['d_p', 1], ['d%p', 0], ['100%', 1], ['\\\\', 0], ['%_%', 0], ['\' OR 1=1 --', 0], ['<b>', 1], ['"urgent"', 0], ['b>u', 1],
  ])('searches %j as plain characters, never as a pattern or SQL', async (q, n) => {
    const found = await list(ava, `q=${encodeURIComponent(q)}`);
    expect(found.conversations.map((c) => c.id)).toEqual(n ? [ids.builtIn] : []);
  });

  it('refuses NUL in a search with 422, as every text it takes', async () => {
    const res = await ava.get(`/conversations?q=${encodeURIComponent('\u0000ab')}`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/NUL/);
  });

  it.each([
    '\uFFFF\uFFFF\uFFFF', '🙂'.repeat(50), 'a'.repeat(100), '"""', 'NEAR(refund where)', 'refund*', '^refund', 'refund OR hello', '\\%\\_\\',
  ])('answers a search for %j with 200, as text (no FTS or LIKE syntax), never a 5xx', async (q) => {
    const res = await ava.get(`/conversations?q=${encodeURIComponent(q)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(ConversationList.parse(res.body).conversations).toEqual([]);
  });

  it('cuts a long message\'s snippet around the match, on code points', async () => {
    const long = `${'🙂'.repeat(200)} the parcel never came ${'x'.repeat(400)}`;
    await write(ids.chatwoot, { text: long, kind: 'comment' });
    const [row] = (await list(ava, 'q=parcel%20never')).conversations;
    expect(row!.id).toBe(ids.chatwoot);
    const snippet = row!.match!.snippet;
    expect(snippet).toMatch(/^…🙂+ the parcel never came x+…$/u);
    expect(Array.from(snippet).length).toBeLessThanOrEqual(122);
  });

  it('refuses unread=true to an app key with 422 (it has read nothing); its channel filter and message search work', async () => {
    const sink = await startAppSink(p.server);
    try {
      const registered = await admin().post('/apps', { key: 'reader', name: 'Reader', scopes: ['conversations.read', 'contacts.read'], subscribeUrl: sink.urls.subscribeUrl });
      expect((await admin().post(`/apps/${registered.body.app.id}/install`, { authValues: {} })).status).toBe(201);
      const app = p.server.api(lastKey(sink));
      const res = await app.get('/conversations?unread=true');
      expect(res.status).toBe(422);
      expect(res.body.error.message).toMatch(/signed-in user/);
      expect(await idsOf(app, 'channel=messenger&q=fatura')).toEqual([ids.messenger]);
    } finally {
      await sink.close();
    }
  });

  it.each([
    ['channel=telegram', 'channel', 'whatsapp, messenger, inbox, chatwoot'], ['channel=WhatsApp', 'channel', 'whatsapp, messenger'],
    ['unread=yes', 'unread', 'unread=true'], ['unread=1', 'unread', 'unread=true'],
  ])('refuses %s with 422 saying what to give', async (query, param, hint) => {
    const res = await ava.get(`/conversations?${query}`);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain(hint);
    expect(JSON.stringify(res.body.error.details)).toContain(param);
  });
}
