import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ContactList } from '../../lib/contracts/contacts';
import { ConversationList } from '../../lib/contracts/conversations';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * The inbox's conversation list over real HTTP: GET /conversations newest activity first (latest
 * message, else opening), cursor paging past the 200 a page holds, a true total, search by the
 * contact's name, phone or email; GET /contacts paged the same way. Registered by
 * inbox-list.test.ts (SQLite) and inbox-list.pg.test.ts (PostgreSQL): `databaseUrl` undefined means SQLite.
 */
export function inboxListSuite(databaseUrl: () => string | undefined) {
  const pause = (ms = 5) => new Promise((r) => setTimeout(r, ms));
  const pad = (i: number) => String(i).padStart(3, '0');

  /** `n` contacts "Person 000"…, each with an open conversation; in creation order. */
  async function people(api: Api, n: number, first = 0) {
    const made: { contactId: string; conversationId: string }[] = [];
    for (let start = first; start < first + n; start += 10) {
      const batch = Array.from({ length: Math.min(10, first + n - start) }, (_, k) => start + k);
      // Ten at a time, each contact then its conversation: ids and opening times rise together.
      made.push(...await Promise.all(batch.map(async (i) => {
        const contact = await api.post('/contacts', { firstName: 'Person', lastName: pad(i), phone: `+3460000${String(i).padStart(4, '0')}`, email: `person.${pad(i)}@example.com` });
        expect(contact.status, JSON.stringify(contact.body)).toBe(201);
        const conversation = await api.post('/conversations', { contactId: contact.body.id });
        expect(conversation.status, JSON.stringify(conversation.body)).toBe(201);
        return { contactId: contact.body.id as string, conversationId: conversation.body.id as string };
      })));
    }
    return made;
  }

  /** Every row of a listing, following nextCursor; each page checked against the contract. */
  async function everyPage(api: Api, query: string, limit: number) {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let total = -1;
    do {
      const res = await api.get(`/conversations?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const page = ConversationList.parse(res.body);
      expect(page.conversations.length).toBeLessThanOrEqual(limit);
      if (page.nextCursor) expect(page.conversations).toHaveLength(limit);
      if (total === -1) total = page.total;
      expect(page.total).toBe(total);
      ids.push(...page.conversations.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 500);
    expect(cursor).toBeNull();
    return { ids, pages, total };
  }

  const byIdDesc = (ids: string[]) => [...ids].sort().reverse();

  describe('GET /conversations past the first 200', () => {
    let s: TestServer;
    let agent: Api;
    let made: { contactId: string; conversationId: string }[];
    let closed: string[];
    /** Open conversations by activity: the three given messages, newest first, then the rest, newest opened first. */
    let openOrder: string[];
    const messaged = { incoming: '', outgoing: '', note: '' };
    const times = { incoming: '', outgoing: '', note: '' };

    beforeAll(async () => {
      s = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
      agent = s.api((await s.createUser('agent')).token);
      made = await people(agent, 230);
      // Every 23rd conversation closed: 220 open, 10 closed.
      closed = made.filter((_, i) => i % 23 === 11).map((m) => m.conversationId);
      for (const id of closed) expect((await agent.post(`/conversations/${id}/close`, {})).status).toBe(200);
      // The oldest conversation gets a customer's message, the 11th an agent's reply, the 21st a note.
      messaged.incoming = made[0]!.conversationId;
      messaged.outgoing = made[10]!.conversationId;
      messaged.note = made[20]!.conversationId;
      await pause();
      times.incoming = (await agent.post(`/conversations/${messaged.incoming}/messages`, { text: 'URGENT', direction: 'incoming' })).body.createdAt;
      await pause();
      times.outgoing = (await agent.post(`/conversations/${messaged.outgoing}/messages`, { text: 'On it' })).body.createdAt;
      await pause();
      times.note = (await agent.post(`/conversations/${messaged.note}/messages`, { text: 'Call back at 5', kind: 'comment' })).body.createdAt;
      const open = made.map((m) => m.conversationId).filter((id) => !closed.includes(id));
      const rest = byIdDesc(open.filter((id) => !Object.values(messaged).includes(id)));
      openOrder = [messaged.note, messaged.outgoing, messaged.incoming, ...rest];
    }, 120_000);
    afterAll(async () => { await s?.close(); });

    it('counts every conversation of the tab, not the page', async () => {
      const open = ConversationList.parse((await agent.get('/conversations?status=open&limit=200')).body);
      expect(open.conversations).toHaveLength(200);
      expect(open.total).toBe(220);
      expect(open.nextCursor).toEqual(expect.any(String));
      expect(ConversationList.parse((await agent.get('/conversations?status=closed')).body)).toMatchObject({ total: 10, nextCursor: null });
      expect(ConversationList.parse((await agent.get('/conversations?limit=1')).body).total).toBe(230);
      const one = ConversationList.parse((await agent.get(`/conversations?contactId=${made[5]!.contactId}`)).body);
      expect(one).toMatchObject({ total: 1, nextCursor: null, conversations: [{ id: made[5]!.conversationId }] });
    });

    it('orders by the latest message (a customer\'s, an agent\'s or a note), else by opening, newest first', async () => {
      const first = ConversationList.parse((await agent.get('/conversations?status=open&limit=200')).body);
      // The oldest conversation, which the customer just wrote in, is on the first page (it was the 220th).
      expect(first.conversations.slice(0, 3).map((c) => c.id)).toEqual([messaged.note, messaged.outgoing, messaged.incoming]);
      expect(first.conversations.slice(0, 3).map((c) => c.lastActivityAt)).toEqual([times.note, times.outgoing, times.incoming]);
      // Each row carries the message it is ordered by (the inbox's preview).
      expect(first.conversations.slice(0, 3).map((c) => c.lastMessage && [c.lastMessage.text, c.lastMessage.direction, c.lastMessage.kind]))
        .toEqual([['Call back at 5', 'outgoing', 'comment'], ['On it', 'outgoing', 'message'], ['URGENT', 'incoming', 'message']]);
      const plain = first.conversations[3]!;
      expect(plain.lastActivityAt).toBe(plain.openedAt);
      expect(plain.lastMessage).toBeNull();
      expect(first.conversations[2]).toMatchObject({ contact: { firstName: 'Person', lastName: '000' }, firstIncomingMessage: 'URGENT' });
      expect((await everyPage(agent, 'status=open', 200)).ids).toEqual(openOrder);
    });

    it.each([1, 7, 50, 200])('pages with nextCursor (limit %i) without repeating or skipping a row', async (limit) => {
      const { ids, pages, total } = await everyPage(agent, 'status=open', limit);
      expect(ids).toEqual(openOrder);
      expect(new Set(ids).size).toBe(220);
      expect(total).toBe(220);
      expect(pages).toBe(Math.ceil(220 / limit));
    });

    it('without a status, pages through both tabs in one activity order', async () => {
      const { ids, total } = await everyPage(agent, '', 40);
      expect(total).toBe(230);
      const rest = byIdDesc(made.map((m) => m.conversationId).filter((id) => !Object.values(messaged).includes(id)));
      expect(ids).toEqual([messaged.note, messaged.outgoing, messaged.incoming, ...rest]);
      expect((await everyPage(agent, 'status=closed', 3)).ids).toEqual(byIdDesc(closed));
    });

    it('searches the contact\'s name, full name, phone (as typed) and email, in any case, with a total of the matches', async () => {
      const search = async (q: string, extra = 'status=open') => ConversationList.parse((await agent.get(`/conversations?${extra}&q=${encodeURIComponent(q)}`)).body);
      const names = (list: ConversationList) => list.conversations.map((c) => c.contact.lastName);
      const nameOf = (id: string) => pad(made.findIndex((m) => m.conversationId === id));
      // 200 to 209 (all open), newest activity first.
      const twoHundreds = await search('person 20');
      expect(names(twoHundreds)).toEqual(openOrder.map(nameOf).filter((n) => n.startsWith('20')));
      expect(names(twoHundreds).sort()).toEqual(['200', '201', '202', '203', '204', '205', '206', '207', '208', '209']);
      expect(twoHundreds).toMatchObject({ total: 10, nextCursor: null });
      expect(names(await search('  PERSON 000 '))).toEqual(['000']);
      expect(names(await search('person.123@example'))).toEqual(['123']);
      expect(names(await search('+34 600 000 123'))).toEqual(['123']);
      expect(names(await search('(600) 000-042'))).toEqual(['042']);
      expect((await search('%')).total).toBe(0);
      expect((await search('_')).total).toBe(0);
      expect((await search('nobody')).conversations).toEqual([]);
      // Closed conversations are searched in their own tab; without a status, in both.
      const closedName = (await agent.get(`/conversations/${closed[0]}`)).body.contact.lastName as string;
      expect((await search(`Person ${closedName}`)).total).toBe(0);
      expect(names(await search(`Person ${closedName}`, 'status=closed'))).toEqual([closedName]);
      expect(names(await search(`Person ${closedName}`, ''))).toEqual([closedName]);
      // Matches page like the rest: "person 1" is 100 to 199 (those open), by activity.
      const ones = await everyPage(agent, `status=open&q=${encodeURIComponent('Person 1')}`, 9);
      const expected = openOrder.filter((id) => nameOf(id).startsWith('1'));
      expect(ones.ids).toEqual(expected);
      expect(ones.total).toBe(expected.length);
    });

    it('refuses a cursor it did not give with 422 saying what to pass, never an empty page', async () => {
      const valid = ConversationList.parse((await agent.get('/conversations?status=open&limit=2')).body).nextCursor!;
      for (const cursor of ['garbage', '', 'run_01J0000000000000000000000', made[0]!.conversationId, made[0]!.contactId, valid.replace('~', ''), `yesterday~${made[0]!.conversationId}`, `${valid}x!`]) {
        const res = await agent.get(`/conversations?status=open&cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, cursor).toBe(422);
        expect(res.body.error.code).toBe('invalid_content');
        expect(JSON.stringify(res.body.error.details)).toMatch(/nextCursor/);
      }
      expect((await agent.get(`/conversations?status=open&q=${'x'.repeat(101)}`)).status).toBe(422);
      expect((await agent.get(`/conversations?status=open&cursor=${encodeURIComponent(valid)}`)).status).toBe(200);
    });

    it('reads a page from the activity index: no sort of the tab, only each row\'s latest message, by its id', async () => {
      const services = s.app.services;
      const { pageQuery } = await import('../../server/domain/conversation-list');
      const query = pageQuery(services.db, services.store.dialect, 'open', {}, { at: times.incoming, id: messaged.incoming }, 51).compile();
      if (services.store.dialect === 'sqlite') {
        const plan = (await services.db.executeQuery<{ detail: string }>({ ...query, sql: `EXPLAIN QUERY PLAN ${query.sql}` })).rows.map((r) => r.detail);
        expect(plan.join('\n')).toMatch(/SEARCH conversations USING INDEX conversations_by_activity \(status=\? AND <expr><\?\)/);
        expect(plan.join('\n')).toMatch(/SEARCH last USING INDEX sqlite_autoindex_messages_1 \(id=\?\)/);
        expect(plan.join('\n')).not.toMatch(/TEMP B-TREE|SCAN|messages_by_conversation/);
      } else {
        // 230 rows are cheaper to sort than to seek: with sorting and scanning discouraged, the plan
        // shows whether the index can give the page in order.
        const plan = await services.db.connection().execute(async (c) => {
          await sql`SET enable_seqscan = off`.execute(c);
          await sql`SET enable_sort = off`.execute(c);
          try {
            return (await c.executeQuery<{ 'QUERY PLAN': string }>({ ...query, sql: `EXPLAIN ${query.sql}` })).rows.map((r) => r['QUERY PLAN']).join('\n');
          } finally {
            await sql`RESET enable_seqscan`.execute(c);
            await sql`RESET enable_sort`.execute(c);
          }
        });
        expect(plan).toMatch(/Index Scan Backward using conversations_by_activity/);
        expect(plan).toMatch(/Index Scan using messages_pkey on messages last/);
        expect(plan).not.toMatch(/Sort|Seq Scan|messages_by_conversation/);
      }
    });
  });

  describe('activity as messages arrive', () => {
    let s: TestServer;
    let agent: Api;
    beforeEach(async () => {
      s = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
      agent = s.api((await s.createUser('agent')).token);
    });
    afterEach(async () => { await s.close(); });

    it('moves a conversation that gets a message to the top; a client paging meanwhile never meets it twice', async () => {
      const made = await people(agent, 30);
      const ids = made.map((m) => m.conversationId);
      const first = ConversationList.parse((await agent.get('/conversations?status=open&limit=10')).body);
      expect(first.conversations.map((c) => c.id)).toEqual(byIdDesc(ids).slice(0, 10));
      // One row already seen and one not yet reached get messages.
      const seenOne = first.conversations[4]!.id;
      const unseenOne = byIdDesc(ids)[25]!;
      await pause();
      await agent.post(`/conversations/${unseenOne}/messages`, { text: 'Hello?', direction: 'incoming' });
      await pause();
      await agent.post(`/conversations/${seenOne}/messages`, { text: 'Anyone?', direction: 'incoming' });
      const rest: string[] = [];
      let cursor = first.nextCursor;
      while (cursor) {
        const page = ConversationList.parse((await agent.get(`/conversations?status=open&limit=10&cursor=${encodeURIComponent(cursor)}`)).body);
        rest.push(...page.conversations.map((c) => c.id));
        cursor = page.nextCursor;
      }
      const all = [...first.conversations.map((c) => c.id), ...rest];
      expect(new Set(all).size).toBe(all.length);
      expect(rest).not.toContain(seenOne);
      // The one it passed by is where a refresh of the first page shows it: at the top.
      expect(ConversationList.parse((await agent.get('/conversations?status=open&limit=2')).body).conversations.map((c) => c.id)).toEqual([seenOne, unseenOne]);
    });

    it('never moves activity back for a message sent earlier (a channel gives the customer\'s send time)', async () => {
      const [m] = await people(agent, 1);
      const reply = await agent.post(`/conversations/${m!.conversationId}/messages`, { text: 'Hi' });
      await s.store.db.insertInto('messages').values({
        id: 'msg_00000000000000000000000000', conversation_id: m!.conversationId, direction: 'incoming', kind: 'message', author_type: 'contact',
        author_id: null, text: 'sent before the reply, arrived after', created_at: '2020-01-01T00:00:00.000Z',
      }).execute();
      const list = ConversationList.parse((await agent.get('/conversations?status=open')).body);
      expect(list.conversations[0]!.lastActivityAt).toBe(reply.body.createdAt);
    });

    it('keeps the list\'s order when a conversation is closed, assigned or its contact edited', async () => {
      const made = await people(agent, 3);
      await pause();
      await agent.post(`/conversations/${made[0]!.conversationId}/messages`, { text: 'First', direction: 'incoming' });
      const before = ConversationList.parse((await agent.get('/conversations')).body).conversations.map((c) => c.id);
      const [written, ...others] = made.map((m) => m.conversationId);
      expect(before).toEqual([written, ...byIdDesc(others)]);
      await agent.post(`/conversations/${made[1]!.conversationId}/assign`, { userId: null });
      await agent.patch(`/contacts/${made[2]!.contactId}`, { firstName: 'Renamed' });
      await agent.post(`/conversations/${made[1]!.conversationId}/close`, {});
      expect(ConversationList.parse((await agent.get('/conversations')).body).conversations.map((c) => c.id)).toEqual(before);
    });
  });

  describe('GET /contacts paging', () => {
    let s: TestServer;
    let agent: Api;
    beforeAll(async () => {
      s = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
      agent = s.api((await s.createUser('agent')).token);
      for (let start = 0; start < 230; start += 10) {
        await Promise.all(Array.from({ length: 10 }, (_, k) => agent.post('/contacts', { firstName: k % 2 ? 'Odd' : 'Even', lastName: pad(start + k) })));
      }
    }, 120_000);
    afterAll(async () => { await s?.close(); });

    async function everyContact(query: string) {
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await agent.get(`/contacts?${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const page = ContactList.parse(res.body);
        ids.push(...page.contacts.map((c) => c.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      return { ids, pages };
    }

    it('pages past 200 with nextCursor, oldest first, without repeating or skipping one', async () => {
      const first = ContactList.parse((await agent.get('/contacts?limit=200')).body);
      expect(first.contacts).toHaveLength(200);
      expect(first.nextCursor).toBe(first.contacts[199]!.id);
      const { ids, pages } = await everyContact('limit=100');
      expect(pages).toBe(3);
      expect(ids).toHaveLength(230);
      expect(ids).toEqual([...new Set(ids)].sort());
      expect((await everyContact('limit=200')).ids).toEqual(ids);
    });

    it('pages a search the same way', async () => {
      const { ids } = await everyContact('q=odd&limit=40');
      expect(ids).toHaveLength(115);
      expect(ids).toEqual([...ids].sort());
      const last = ContactList.parse((await agent.get('/contacts?q=even&limit=200')).body);
      expect(last).toMatchObject({ nextCursor: null });
      expect(last.contacts).toHaveLength(115);
    });

    it('refuses a cursor that is not a contact id with 422, never an empty page', async () => {
      for (const cursor of ['garbage', 'cnv_01J0000000000000000000000', '2026-01-01T00:00:00.000Z~cnv_01J']) {
        const res = await agent.get(`/contacts?cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, cursor).toBe(422);
        expect(JSON.stringify(res.body.error.details)).toMatch(/nextCursor/);
      }
    });
  });
}
