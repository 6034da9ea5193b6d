import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextWamid, messengerText, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { waitForRun } from '../../support/builders';
import { startTestServer, type Api, type TestServer } from '../../support/server';
import { openSse } from '../../support/sse';
import { startChannelWorld, type ChannelWorld } from '../channels/support';
import { startChatwootPair, type ChatwootPair } from '../chatwoot/harness';
import { createWorkflow, defineField, runsOf } from '../engine-support';
import { publishWebhookWorkflow } from '../webhooks/support';
import { mariaVia, openVia } from './contact-via-api';

/**
 * Every row left that names the contact, per table: any table with a contact_id column, any with a
 * conversation_id column (for its conversations), step_effects keyed by its runs, the Chatwoot
 * mirror's rows, and events whose payload names it (but the contact.deleted audit event, which
 * holds the id and nothing else about the person).
 */
export async function rowsNaming(server: TestServer, contactId: string, conversationIds: string[], runIds: string[]): Promise<Record<string, number>> {
  const db = server.store.db;
  const postgres = server.app.services.store.dialect === 'postgres';
  const tablesWith = async (column: string) => (postgres
    ? await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.columns WHERE column_name = ${column} AND table_schema = current_schema()`.execute(db)
    : await sql<{ name: string }>`SELECT m.name AS name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = ${column}`.execute(db)).rows.map((r) => r.name);
  const left: Record<string, number> = {};
  const add = (what: string, n: unknown) => { if (Number(n) > 0) left[what] = (left[what] ?? 0) + Number(n); };
  const contactTables = await tablesWith('contact_id');
  const conversationTables = await tablesWith('conversation_id');
  // A test that forgets a table would pass for nothing: these must be among what is checked.
  expect(contactTables).toEqual(expect.arrayContaining(['conversations', 'runs', 'enrollments', 'channel_identities', 'events']));
  expect(conversationTables).toEqual(expect.arrayContaining(['messages', 'question_waits', 'runs']));
  for (const table of contactTables) {
    add(`${table}.contact_id`, (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE contact_id = ${contactId}`.execute(db)).rows[0]!.n);
  }
  add('contacts.id', (await sql<{ n: number }>`SELECT count(*) AS n FROM contacts WHERE id = ${contactId}`.execute(db)).rows[0]!.n);
  for (const table of conversationTables) {
    for (const id of conversationIds) {
      add(`${table}.conversation_id`, (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE conversation_id = ${id}`.execute(db)).rows[0]!.n);
    }
  }
  for (const id of runIds) {
    add('runs.id', (await db.selectFrom('runs').select((eb) => eb.fn.countAll().as('n')).where('id', '=', id).executeTakeFirstOrThrow()).n);
    add('question_waits.run_id', (await db.selectFrom('question_waits').select((eb) => eb.fn.countAll().as('n')).where('run_id', '=', id).executeTakeFirstOrThrow()).n);
    add('step_effects.key', (await db.selectFrom('step_effects').select((eb) => eb.fn.countAll().as('n')).where('key', '>=', `${id}:`).where('key', '<', `${id};`).executeTakeFirstOrThrow()).n);
  }
  add('chatwoot_objects.companion_id', (await db.selectFrom('chatwoot_objects').select((eb) => eb.fn.countAll().as('n'))
    .where('companion_id', 'in', [contactId, ...conversationIds]).executeTakeFirstOrThrow()).n);
  const events = await db.selectFrom('events').select(['type', 'payload', 'note']).execute();
  add('events.payload', events.filter((e) => e.type !== 'contact.deleted' && [contactId, ...conversationIds].some((id) => e.payload.includes(id) || (e.note ?? '').includes(id))).length);
  return left;
}

/** Retries `check` until it passes (at most `ms`). */
export async function eventually(check: () => Promise<void>, ms = 8_000) {
  const until = Date.now() + ms;
  for (;;) {
    try { return await check(); } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Registered by contact-delete.test.ts (SQLite) and contact-delete.pg.test.ts (PostgreSQL): `databaseUrl` undefined means SQLite. */
export function contactDeleteSuite(databaseUrl: () => string | undefined) {
  describe('DELETE /contacts/:id', () => {
    let server: TestServer;
    let admin: Api;
    beforeEach(async () => {
      // The HTTP step of the in-flight test calls a server on this machine.
      server = await startTestServer({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
      admin = server.api(server.adminToken);
      await defineField(server, 'plan');
    });
    afterEach(async () => { await server.close(); });

    const contact = (body: Record<string, unknown>) => mariaVia(admin, body);
    const open = (contactId: string) => openVia(admin, contactId);
    const say = async (conversationId: string, text: string, direction: 'incoming' | 'outgoing' = 'incoming') =>
      expect((await admin.post(`/conversations/${conversationId}/messages`, { text, direction })).status).toBe(201);

    it('erases the contact and every row that names them; the other contacts keep theirs; it is announced live', async () => {
      const db = server.app.services.db;
      await admin.put('/settings/closing-categories', { categories: ['Resolved'] });
      const waiting = await createWorkflow(server, {
        name: 'Follow up', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['follow'] },
        steps: [{ id: 'w', type: 'wait', config: { seconds: 3600 } }, { id: 'c', type: 'add_comment', config: { text: 'followed up {{$contact.phone}}' } }],
      });
      const asking = await createWorkflow(server, {
        name: 'Ask', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['ask'] },
        steps: [{ id: 'q', type: 'ask_question', config: { question: 'Your order number, {{$contact.firstName}}?', answerType: 'text' } }],
      });
      const once = await createWorkflow(server, {
        name: 'Welcome', oncePerContact: true, trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] },
        steps: [{ id: 'c', type: 'add_comment', config: { text: 'welcome {{$contact.firstName}}' } }],
      });
      const hook = await publishWebhookWorkflow(server, { identifier: { type: 'phone', jsonKey: '$.phones' } });

      const maria = await contact({ phone: '+34600111222', email: 'maria@example.com', tags: ['vip'], fields: { plan: 'pro' } });
      const other = await contact({ firstName: 'Otto', phone: '+34600333444', tags: ['vip'] });
      const earlier = await open(maria.id);
      await say(earlier.id, 'my address is Calle Mayor 1');
      await say(earlier.id, 'thanks, noted', 'outgoing');
      expect((await admin.post(`/conversations/${earlier.id}/close`, { category: 'Resolved' })).status).toBe(200);
      const current = await open(maria.id);
      await say(current.id, 'is my order on its way?');
      const otherConversation = await open(other.id);
      await say(otherConversation.id, 'hello from Otto');

      await admin.post(`/contacts/${maria.id}/tags`, { tags: ['follow', 'ask'] });
      const [followRun] = (await runsOf(server, waiting.id)).filter((r) => r.contactId === maria.id);
      const [askRun] = (await runsOf(server, asking.id)).filter((r) => r.contactId === maria.id);
      await waitForRun(db, followRun!.id, ['waiting']);
      await waitForRun(db, askRun!.id, ['waiting']);
      expect(await db.selectFrom('question_waits').select('run_id').where('run_id', '=', askRun!.id).executeTakeFirst()).toBeTruthy();

      // A delivery naming Maria and Otto, and one naming Maria alone.
      const both = await server.request('POST', hook.path, { body: { phones: ['+34600111222', '+34600333444'], order: { id: 'A-1' } } });
      const alone = await server.request('POST', hook.path, { body: { phones: ['+34600111222'], order: { id: 'B-2' } } });
      expect([both.status, alone.status]).toEqual([202, 202]);
      for (const id of [...both.body.runIds, ...alone.body.runIds]) await waitForRun(db, id);

      // What a channel or Chatwoot leaves: identities, mirror state, an outside effect, a send waiting to be retried.
      const now = new Date().toISOString();
      await db.insertInto('channel_identities').values([
        { channel: 'messenger', external_id: 'psid_maria', contact_id: maria.id, created_at: now },
        { channel: 'chatwoot:cnx_cw', external_id: '41', contact_id: maria.id, created_at: now },
        { channel: 'messenger', external_id: 'psid_otto', contact_id: other.id, created_at: now },
      ]).execute();
      await db.insertInto('chatwoot_objects').values([
        { connection_id: 'cnx_cw', kind: 'contact', external_id: '41', companion_id: maria.id, version: 1, state: '{"name":"Maria Garcia","phone":"+34600111222"}', updated_at: now },
        { connection_id: 'cnx_cw', kind: 'conversation', external_id: '7', companion_id: current.id, version: 1, state: '{"labels":[]}', updated_at: now },
      ]).execute();
      await db.insertInto('step_effects').values({ key: `${followRun!.id}:w:probe`, result: '{"reply":"Maria Garcia"}', created_at: now }).execute();
      await db.insertInto('messages').values({
        id: `msg_retry_${Date.now()}`, conversation_id: current.id, direction: 'outgoing', kind: 'message', author_type: 'workflow', author_id: waiting.id,
        text: 'Your order ships tomorrow, Maria', created_at: now, send_key: `${followRun!.id}:send`, delivery_status: 'retrying',
      }).execute();

      const mariaRuns = (await db.selectFrom('runs').select('id').where('contact_id', '=', maria.id).execute()).map((r) => r.id);
      expect(mariaRuns.length).toBeGreaterThanOrEqual(5); // follow, ask, welcome, two webhook runs
      const conversationIds = [earlier.id, current.id];
      const before = await rowsNaming(server, maria.id, conversationIds, mariaRuns);
      expect(Object.keys(before)).toEqual(expect.arrayContaining([
        'conversations.contact_id', 'runs.contact_id', 'enrollments.contact_id', 'channel_identities.contact_id', 'events.contact_id',
        'messages.conversation_id', 'question_waits.conversation_id', 'step_effects.key', 'chatwoot_objects.companion_id', 'events.payload',
      ]));
      const otherBefore = await rowsNaming(server, other.id, [otherConversation.id], []);
      const runsBefore = (await db.selectFrom('runs').select('id').execute()).length;

      const stream = await openSse(`${server.url}/api/v1/events/stream?token=${server.adminToken}`);
      const res = await admin.del(`/contacts/${maria.id}`);
      expect(res.status, JSON.stringify(res.body)).toBe(204);
      expect(res.body).toBeUndefined();

      expect(await rowsNaming(server, maria.id, conversationIds, mariaRuns)).toEqual({});
      expect((await admin.get(`/contacts/${maria.id}`)).status).toBe(404);
      expect((await admin.get(`/conversations/${current.id}`)).status).toBe(404);
      expect((await admin.get(`/runs/${followRun!.id}`)).status).toBe(404);
      expect((await admin.get(`/conversations?q=Maria`)).body.total).toBe(0);
      const again = await admin.del(`/contacts/${maria.id}`);
      expect(again.status).toBe(404);
      expect(again.body.error).toMatchObject({ code: 'not_found', message: `Contact ${maria.id} not found` });

      // Otto keeps everything; the delivery that named both names Otto alone now, without its mapped values.
      expect(await rowsNaming(server, other.id, [otherConversation.id], [])).toEqual(otherBefore);
      expect((await admin.get(`/conversations/${otherConversation.id}`)).body.messages.map((m: { text: string }) => m.text)).toEqual(['hello from Otto', 'Order A-1 shipped']);
      const hooks = (await server.events('webhook.received'));
      expect(hooks).toHaveLength(1);
      expect(hooks[0]!.payload).toMatchObject({ workflowId: hook.id, contactIds: [other.id], variables: {} });
      expect(await db.selectFrom('runs').select('id').where('id', 'in', both.body.runIds).execute()).toHaveLength(1);

      // One audit event without personal data; nothing listens to it.
      const [deleted] = await server.events('contact.deleted');
      const adminUser = (await admin.get('/me')).body.user.id;
      expect(deleted).toMatchObject({ contactId: null, payload: { deletedContactId: maria.id, by: adminUser } });
      expect(deleted!.payload.erased).toMatchObject({ contacts: 1, conversations: 2, runs: mariaRuns.length, channel_identities: 2, chatwoot_objects: 2, events_scrubbed: 1 });
      expect(JSON.stringify(deleted)).not.toMatch(/Maria|Garcia|34600111222|maria@|Calle/);
      expect((await db.selectFrom('runs').select('id').execute()).length).toBe(runsBefore - mariaRuns.length);

      // Announced: the conversations and the contact changed (refetched, they are gone), the unfinished runs ended.
      const frames = () => stream.text().split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
      await eventually(async () => expect(frames()).toEqual(expect.arrayContaining([
        { type: 'conversation.changed', conversationId: earlier.id, contactId: maria.id },
        { type: 'conversation.changed', conversationId: current.id, contactId: maria.id },
        { type: 'contact.changed', contactId: maria.id },
        expect.objectContaining({ type: 'run.updated', runId: followRun!.id, status: 'cancelled', error: 'Cancelled: the contact was deleted' }),
        expect.objectContaining({ type: 'run.updated', runId: askRun!.id, status: 'cancelled' }),
      ])), 3_000);
      stream.close();

      // The phone and email are free again; the once-per-contact workflow sees a new person.
      const back = await contact({ phone: '+34600111222', email: 'maria@example.com', tags: ['vip'] });
      expect(back.id).not.toBe(maria.id);
      expect((await runsOf(server, once.id)).filter((r) => r.contactId === back.id)).toHaveLength(1);
    });

    it('is for admins: agents and supervisors get 403 and the contact stays; an unknown contact is a 404', async () => {
      const maria = await contact({});
      for (const role of ['agent', 'supervisor'] as const) {
        const { token } = await server.createUser(role);
        const res = await server.api(token).del(`/contacts/${maria.id}`);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
      expect((await admin.get(`/contacts/${maria.id}`)).status).toBe(200);
      const unknown = await admin.del('/contacts/con_nope');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toBe('Contact con_nope not found');
      expect(await server.events('contact.deleted')).toEqual([]);
    });

    it('stops a run in the middle of its step: it writes nothing afterwards and the engine goes on', async () => {
      const db = server.app.services.db;
      // The HTTP step runs outside a transaction: the delete lands while its call is in flight.
      let release!: () => void;
      const { createServer } = await import('node:http');
      const slow = createServer((_req, res) => { release = () => res.end('{"ok":true}'); });
      await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
      const port = (slow.address() as { port: number }).port;
      try {
        const wf = await createWorkflow(server, {
          name: 'Slow', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['slow'] },
          steps: [
            { id: 'h', type: 'http_request', config: { method: 'GET', url: `http://127.0.0.1:${port}/x` } },
            { id: 'c', type: 'add_comment', config: { text: 'after the call' } },
          ],
        });
        const maria = await contact({});
        const conversation = await open(maria.id);
        await admin.post(`/contacts/${maria.id}/tags`, { tags: ['slow'] });
        const [run] = await runsOf(server, wf.id);
        for (const until = Date.now() + 10_000; !release;) {
          if (Date.now() > until) throw new Error('the HTTP step never called');
          await new Promise((r) => setTimeout(r, 20));
        }
        expect((await admin.del(`/contacts/${maria.id}`)).status).toBe(204);
        release();
        // The call returns after the delete: the step records its effect under its run's id (the
        // first sweep comes half a second after the delete), and that is swept up.
        await eventually(async () => expect(Object.keys(await rowsNaming(server, maria.id, [conversation.id], [run!.id]))).toEqual(['step_effects.key']), 400);
        await eventually(async () => expect(await rowsNaming(server, maria.id, [conversation.id], [run!.id])).toEqual({}));
        expect(await server.events('contact.deleted')).toHaveLength(1);
        // The engine goes on with everyone else.
        const ana = await contact({ firstName: 'Ana', phone: '+34600555666' });
        await open(ana.id);
        const ok = await createWorkflow(server, { name: 'Ok', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['ok'] }, steps: [{ id: 'c', type: 'add_comment', config: { text: 'fine' } }] });
        await admin.post(`/contacts/${ana.id}/tags`, { tags: ['ok'] });
        const [fine] = await runsOf(server, ok.id);
        expect((await waitForRun(db, fine!.id)).status).toBe('completed');
      } finally {
        release?.();
        slow.closeAllConnections();
        await new Promise((resolve) => slow.close(resolve));
      }
    });
  });

  describe('DELETE /contacts/:id and Chatwoot', () => {
    let p: ChatwootPair;
    beforeEach(async () => { p = await startChatwootPair({ databaseUrl: databaseUrl() }); });
    afterEach(async () => { await p.close(); });

    it('erases the mirrored contact here only: Chatwoot keeps them, and the next sync brings them back as a new contact', async () => {
      const admin = p.server.api(p.server.adminToken);
      const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com', phone_number: '+15551234567' });
      const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Where is my parcel?', incoming: true } });
      expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
      const [mirrored] = (await admin.get('/contacts')).body.contacts;
      const conversations = (await admin.get(`/conversations?contactId=${mirrored.id}`)).body.conversations.map((c: { id: string }) => c.id);
      const db = p.server.store.db;
      expect(await db.selectFrom('chatwoot_objects').select('kind').where('companion_id', 'in', [mirrored.id, ...conversations]).execute()).toHaveLength(2);
      p.cw.requests.length = 0;

      expect((await admin.del(`/contacts/${mirrored.id}`)).status).toBe(204);
      expect(await rowsNaming(p.server, mirrored.id, conversations, [])).toEqual({});
      expect(await db.selectFrom('channel_identities').selectAll().execute()).toEqual([]);
      expect(p.cw.requests).toEqual([]); // nothing is deleted in Chatwoot

      // The next sync (or a webhook about them) reads Jane's open conversation from Chatwoot again.
      expect((await admin.post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(200);
      const [back] = (await admin.get('/contacts')).body.contacts;
      expect(back).toMatchObject({ firstName: 'Jane', email: 'jane@example.com', phone: '+15551234567' });
      expect(back.id).not.toBe(mirrored.id);
    });
  });

  describe('DELETE /contacts/:id and the channels', () => {
    let w: ChannelWorld;
    beforeEach(async () => { w = await startChannelWorld({ databaseUrl: databaseUrl() }); });
    afterEach(async () => { await w.close(); });

    it('a later WhatsApp or Messenger message from the same person starts a new contact; a late repeat of an erased one brings nothing back', async () => {
      const admin = w.server.api(w.server.adminToken);
      const first = whatsappPlainMessage({ waId: '14155550123', text: 'Hi, I am Jane', name: 'Jane Roe', id: nextWamid() });
      expect((await w.deliver(first)).status).toBe(200);
      expect((await w.deliver(messengerText({ psid: '6783371528424317', text: 'Jane on Messenger' }))).status).toBe(200);
      const jane = (await admin.get('/contacts?phone=%2B14155550123')).body.contacts[0];
      const messenger = await w.server.store.db.selectFrom('channel_identities').select('contact_id').where('external_id', '=', '6783371528424317').executeTakeFirstOrThrow();
      const conversations = (await admin.get(`/conversations?contactId=${jane.id}`)).body.conversations.map((c: { id: string }) => c.id);

      expect((await admin.del(`/contacts/${jane.id}`)).status).toBe(204);
      expect((await admin.del(`/contacts/${messenger.contact_id}`)).status).toBe(204);
      expect(await rowsNaming(w.server, jane.id, conversations, [])).toEqual({});
      expect(await w.server.store.db.selectFrom('channel_identities').selectAll().execute()).toEqual([]);

      // Meta repeats the erased message (it does, for days): handled already, it brings nothing back.
      expect((await w.deliver(first)).body).toMatchObject({ received: 0, duplicates: 1 });
      expect((await admin.get('/contacts')).body.contacts).toEqual([]);

      expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Me again', id: nextWamid() }))).status).toBe(200);
      expect((await w.deliver(messengerText({ psid: '6783371528424317', text: 'Me again on Messenger' }))).status).toBe(200);
      const again = (await admin.get('/contacts?phone=%2B14155550123')).body.contacts[0];
      expect(again.id).not.toBe(jane.id);
      const list = (await admin.get(`/conversations?contactId=${again.id}`)).body.conversations;
      expect(list).toHaveLength(1);
      expect((await admin.get(`/conversations/${list[0].id}`)).body.messages.map((m: { text: string }) => m.text)).toEqual(['Me again']);
      const identity = await w.server.store.db.selectFrom('channel_identities').select('contact_id').where('external_id', '=', '6783371528424317').executeTakeFirstOrThrow();
      expect(identity.contact_id).not.toBe(messenger.contact_id);
      expect((await admin.get(`/contacts/${identity.contact_id}`)).status).toBe(200);
    });
  });
}
