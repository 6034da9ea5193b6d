import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { MessagePage } from '../../lib/contracts/conversation-messages';
import { ConversationDetail, HISTORY_CONVERSATIONS, HISTORY_MESSAGES, type Message } from '../../lib/contracts/conversations';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * Registered by conversation-detail-bound.test.ts (SQLite) and .pg.test.ts (PostgreSQL).
 * `GET /conversations/:id` answered every message of the thread (2,006 messages: 525 KB, and the
 * inbox drew them all) and its `?history=true` every earlier one kept. It now carries the latest
 * DETAIL_MESSAGES and a cursor for the rest, which GET /conversations/:id/messages reads, as
 * Chatwoot's client reads a thread (the latest page, then `before=` as the agent scrolls up).
 */
/** DETAIL_MESSAGES, stated: the API's promise to its clients, not whatever the constant says. */
const DETAIL_MESSAGES = 50;

export function conversationDetailBoundSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    admin = server.api(server.adminToken);
  });
  afterEach(async () => { await server.close(); });

  let seq = 0;
  async function newContact(): Promise<string> {
    const res = await admin.post('/contacts', { firstName: `Long${++seq}`, phone: `+3460030${String(seq).padStart(4, '0')}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }
  async function open(contactId: string): Promise<string> {
    const res = await admin.post('/conversations', { contactId });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }
  async function close(id: string) {
    expect((await admin.post(`/conversations/${id}/close`, {})).status).toBe(200);
  }
  /** `count` messages through the API, texts `${prefix}1`…, the customer's and notes in turn (notes go on closed ones too). */
  async function write(id: string, prefix: string, count: number) {
    for (let n = 1; n <= count; n++) {
      const incoming = n % 2 === 1;
      const res = await admin.post(`/conversations/${id}/messages`, { text: `${prefix}${n}`, direction: incoming ? 'incoming' : 'outgoing', kind: incoming ? 'message' : 'comment' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }
  async function detail(id: string, query = ''): Promise<z.infer<typeof ConversationDetail>> {
    const res = await admin.get(`/conversations/${id}${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ConversationDetail.parse(res.body);
  }
  /** Every page before `cursor`, oldest first, as a client scrolling up joins them. */
  async function olderThan(id: string, cursor: string | null | undefined): Promise<Message[]> {
    const pages: Message[][] = [];
    while (cursor) {
      const res = await admin.get(`/conversations/${id}/messages?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const page = MessagePage.parse(res.body);
      pages.unshift(page.messages);
      cursor = page.nextCursor;
    }
    return pages.flat();
  }
  // Without activity lines (a reopen writes one, Chatwoot's "Conversation was reopened by …"): the messages written here.
  const texts = (messages: Message[]) => messages.filter((m) => m.kind !== 'activity').map((m) => m.text);
  const numbered = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

  it(`carries the latest ${DETAIL_MESSAGES} messages and a cursor that reads the rest, each once and in order`, async () => {
    const id = await open(await newContact());
    const total = DETAIL_MESSAGES * 2 + 7;
    await write(id, 'm', total);

    const read = await detail(id);
    expect(texts(read.messages)).toEqual(numbered('m', total - DETAIL_MESSAGES + 1, total));
    expect(read.olderMessagesCursor).toEqual(expect.any(String));
    const whole = [...await olderThan(id, read.olderMessagesCursor), ...read.messages];
    expect(texts(whole)).toEqual(numbered('m', 1, total));
    expect(new Set(whole.map((m) => m.id)).size).toBe(total);
    // The messages endpoint's own first page is the same latest page.
    expect(MessagePage.parse((await admin.get(`/conversations/${id}/messages`)).body)).toEqual({ messages: read.messages, nextCursor: read.olderMessagesCursor });
  });

  it('answers a short thread whole, with a null cursor (what clients read before the bound)', async () => {
    const id = await open(await newContact());
    await write(id, 's', 3);
    const read = await detail(id);
    expect(texts(read.messages)).toEqual(['s1', 's2', 's3']);
    expect(read.olderMessagesCursor).toBeNull();
    const empty = await detail(await open(await newContact()));
    expect([empty.messages, empty.olderMessagesCursor]).toEqual([[], null]);
  });

  it(`bounds ?history=true to ${HISTORY_MESSAGES} messages; the one cut short has a cursor, and its own history goes further back`, async () => {
    const contact = await newContact();
    // Oldest first: `a` (2 messages), then `b` (cut short by the bound), then the open one.
    const a = await open(contact);
    await write(a, 'a', 2);
    await close(a);
    const b = await open(contact);
    await write(b, 'b', HISTORY_MESSAGES + 30);
    await close(b);
    const current = await open(contact);
    await write(current, 'c', 1);

    const { history, messages, olderMessagesCursor } = await detail(current, '?history=true');
    expect([texts(messages), olderMessagesCursor]).toEqual([['c1'], null]);
    expect(history!.truncated).toBe(true);
    // `a` did not fit: only `b`, its latest messages.
    expect(history!.conversations.map((c) => c.id)).toEqual([b]);
    const [cut] = history!.conversations;
    expect(cut!.messages).toHaveLength(HISTORY_MESSAGES);
    expect(texts(cut!.messages).at(-1)).toBe(`b${HISTORY_MESSAGES + 30}`);
    // Its cursor reads exactly what was left out.
    const older = await olderThan(b, cut!.olderMessagesCursor);
    expect(texts(older).length).toBeGreaterThanOrEqual(30);
    const whole = [...older, ...cut!.messages];
    expect(texts(whole)).toEqual(numbered('b', 1, HISTORY_MESSAGES + 30));
    expect(new Set(whole.map((m) => m.id)).size).toBe(whole.length);
    // What came before `b`: its own history, whole.
    const before = (await detail(b, '?history=true')).history!;
    expect(before.truncated).toBe(false);
    expect(before.conversations.map((c) => [c.id, texts(c.messages), c.olderMessagesCursor])).toEqual([[a, ['a1', 'a2'], null]]);
  });

  it(`bounds ?history=true to ${HISTORY_CONVERSATIONS} conversations, the latest ones`, async () => {
    const contact = await newContact();
    const earlier: string[] = [];
    for (let n = 0; n < HISTORY_CONVERSATIONS + 2; n++) {
      const id = await open(contact);
      await write(id, `e${n}-`, 1);
      await close(id);
      earlier.push(id);
    }
    const current = await open(contact);
    const { history } = await detail(current, '?history=true');
    expect(history!.truncated).toBe(true);
    expect(history!.conversations.map((c) => c.id)).toEqual(earlier.slice(2));
    expect(history!.conversations.every((c) => c.olderMessagesCursor === null)).toBe(true);
    expect((await detail(earlier[2]!, '?history=true')).history!.conversations.map((c) => c.id)).toEqual(earlier.slice(0, 2));
  });

  it('says so in /docs/json', async () => {
    const doc = (await server.request('GET', '/docs/json')).body as {
      paths: Record<string, Record<string, { description?: string; responses: Record<string, { content: Record<string, { schema: { properties: Record<string, { description?: string }> } }> }> }>>;
    };
    const op = doc.paths['/api/v1/conversations/{id}']!.get!;
    expect(op.description).toContain(`the latest ${DETAIL_MESSAGES} messages`);
    const properties = op.responses['200']!.content['application/json']!.schema.properties;
    expect(properties.olderMessagesCursor!.description).toMatch(/GET \/conversations\/\{id\}\/messages/);
  });
}
