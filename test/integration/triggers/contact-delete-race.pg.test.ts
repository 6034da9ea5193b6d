import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextWamid, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { newId } from '../../../server/ids';
import { describePg, pgUrl } from '../../support/postgres';
import { startTestServer, type Api, type TestServer } from '../../support/server';
import { startChannelWorld, type ChannelWorld } from '../channels/support';
import { createWorkflow } from '../engine-support';
import { publishWebhookWorkflow } from '../webhooks/support';
import { eventually, rowsNaming } from './contact-delete-suite';

// Deleting a contact while the engine works through a backlog of their runs and while their
// messages and webhooks keep arriving, on PostgreSQL (several connections at once; SQLite has one
// writer). Nothing crashes, nothing is answered with a 500, and once the writers in flight have
// finished, no row names the deleted contact: whatever landed before the delete went with it, what
// came after it found nobody (a webhook: 422) or a new contact (a customer's message).

const count = async (server: TestServer, status?: string, contactId?: string) => {
  let q = server.store.db.selectFrom('runs').select((eb) => eb.fn.countAll().as('n'));
  if (status) q = q.where('status', '=', status);
  if (contactId) q = q.where('contact_id', '=', contactId);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

async function inParallel<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) { const i = next++; out[i] = await jobs[i]!(); }
  }));
  return out;
}

describePg('deleting a contact while they are busy (PostgreSQL)', () => {
  describe('run rounds and webhooks in flight', () => {
    let server: TestServer;
    let admin: Api;
    beforeEach(async () => {
      server = await startTestServer({ databaseUrl: pgUrl()!, poolSize: 10 });
      admin = server.api(server.adminToken);
    });
    afterEach(async () => { await server.close(); });

    it('ends the contact\'s rounds cleanly, answers webhooks before or after, and leaves no row naming them', async () => {
      const hook = await publishWebhookWorkflow(server, {}, [
        { id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['customer'] } },
        { id: 'n', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}} for {{$contact.firstName}} {{$contact.phone}}' } },
        { id: 't2', type: 'update_contact_tag', config: { action: 'remove', tags: ['customer'] } },
      ]);
      const maria = (await admin.post('/contacts', { firstName: 'Maria', phone: '+34600111222' })).body;
      const otto = (await admin.post('/contacts', { firstName: 'Otto', phone: '+34600333444' })).body;
      const mariaConversation = (await admin.post('/conversations', { contactId: maria.id })).body.id as string;
      const ottoConversation = (await admin.post('/conversations', { contactId: otto.id })).body.id as string;
      const deliver = (phone: string, n: number) => () => server.request('POST', hook.path, { body: { phone, order: { id: `O-${n}` } } });

      // A backlog for both, which the engine starts on at once: deliveries, and for Maria a few
      // thousand runs more written straight to the queue (as a burst of deliveries leaves them),
      // so that her runs are still going through rounds when she is deleted.
      const first = await inParallel([
        ...Array.from({ length: 200 }, (_, n) => deliver('+34600111222', n)),
        ...Array.from({ length: 200 }, (_, n) => deliver('+34600333444', n)),
      ], 32);
      expect(first.every((r) => r.status === 202)).toBe(true);
      const mariaRuns = first.slice(0, 200).flatMap((r) => r.body.runIds as string[]);
      const db = server.store.db;
      const template = await db.selectFrom('runs').selectAll().where('id', '=', mariaRuns[0]!).executeTakeFirstOrThrow();
      const backlog = Array.from({ length: 4000 }, (_, n) => ({
        ...template, id: newId('run'), status: 'queued', cursor: 0, step_log: '[]', attempts: 0, lease_owner: null, lease_until: null,
        error: null, ended_at: null, blocked: 0, variables: JSON.stringify({ trigger: { orderId: `Q-${n}` } }),
      }));
      for (let i = 0; i < backlog.length; i += 500) await db.insertInto('runs').values(backlog.slice(i, i + 500)).execute();
      mariaRuns.push(...backlog.map((r) => r.id));
      // In flight: some of Maria's runs done, more still queued.
      await eventually(async () => expect(await count(server, 'completed', maria.id)).toBeGreaterThan(300), 20_000);
      expect(await count(server, 'queued', maria.id)).toBeGreaterThan(0);

      // The delete, with deliveries naming her arriving all the while it runs, and after it.
      const started = Date.now();
      const deleting = admin.del(`/contacts/${maria.id}`);
      let deleted = false;
      void deleting.finally(() => { deleted = true; });
      let n = 1000;
      const during = inParallel(Array.from({ length: 8 }, () => async () => {
        const answers = [];
        while (!deleted) answers.push(await deliver('+34600111222', n++)());
        return answers;
      }), 8);
      const res = await deleting;
      const took = Date.now() - started;
      expect(res.status, JSON.stringify(res.body)).toBe(204);
      const answers = (await during).flat();
      const after = await inParallel(Array.from({ length: 10 }, () => deliver('+34600111222', n++)), 5);
      // Before the delete: a run (erased with her); after it: nobody has that phone, no run (202: a sender is not made to retry).
      for (const r of answers) {
        expect(r.status, JSON.stringify(r.body)).toBe(202);
        if (r.body.runIds.length === 0) expect(r.body.notes).toEqual(['No contact with phone +34600111222; no run started']);
      }
      expect(after.map((r) => [r.status, r.body.runIds.length])).toEqual(after.map(() => [202, 0]));
      mariaRuns.push(...answers.flatMap((r) => r.body.runIds as string[]));

      // Writers in flight at the delete have finished (a few sweeps): nothing names Maria.
      await eventually(async () => expect(await rowsNaming(server, maria.id, [mariaConversation], mariaRuns)).toEqual({}), 15_000);
      expect((await admin.get(`/contacts/${maria.id}`)).status).toBe(404);
      expect((await admin.del(`/contacts/${maria.id}`)).status).toBe(404);

      // The engine went on: every one of Otto's runs completed, each step once.
      await eventually(async () => expect(await count(server, 'completed', otto.id)).toBe(200), 30_000);
      expect(await count(server, 'failed')).toBe(0);
      // All 200 in one page: GET /conversations/:id carries only the latest DETAIL_MESSAGES (50) now.
      const comments = (await admin.get(`/conversations/${ottoConversation}/messages?limit=200`)).body.messages.map((m: { text: string }) => m.text);
      expect(comments.sort()).toEqual(Array.from({ length: 200 }, (_, n) => `Order O-${n} for Otto +34600333444`).sort());
      // Nothing was left unfinished or half-written: the queue is empty.
      expect(await count(server, 'queued') + await count(server, 'running') + await count(server, 'waiting')).toBe(0);
      expect(took).toBeLessThan(10_000);
      expect(answers.length).toBeGreaterThan(0);
    });
  });

  describe('a customer\'s messages arriving while they are deleted', () => {
    let w: ChannelWorld;
    beforeEach(async () => { w = await startChannelWorld({ databaseUrl: pgUrl()! }); });
    afterEach(async () => { await w.close(); });

    it('each message lands before the delete (and is erased with the contact) or after it (on a new contact); none fails', async () => {
      const admin = w.server.api(w.server.adminToken);
      // A workflow that writes on every conversation opened: runs of the contact in flight too.
      await createWorkflow(w.server, {
        name: 'Greet', trigger: { type: 'conversation_opened' },
        steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['greeted'] } }, { id: 'c', type: 'add_comment', config: { text: 'greeted {{$contact.firstName}}' } }],
      });
      expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi, I am Jane', name: 'Jane Roe', id: nextWamid() }))).status).toBe(200);
      const jane = (await admin.get('/contacts?phone=%2B14155550123')).body.contacts[0];
      const janeConversations = (await admin.get(`/conversations?contactId=${jane.id}`)).body.conversations.map((c: { id: string }) => c.id);

      const texts = Array.from({ length: 60 }, (_, n) => `message ${n}`);
      const deliveries = inParallel(texts.map((text) => () => w.deliver(whatsappPlainMessage({ waId: '14155550123', text, id: nextWamid() }))), 6);
      await new Promise((r) => setTimeout(r, 30));
      const res = await admin.del(`/contacts/${jane.id}`);
      expect(res.status, JSON.stringify(res.body)).toBe(204);
      const answers = await deliveries;
      expect(answers.map((a) => a.status)).toEqual(texts.map(() => 200));
      expect(answers.every((a) => a.body.received === 1)).toBe(true);

      await eventually(async () => expect(await rowsNaming(w.server, jane.id, janeConversations, [])).toEqual({}), 10_000);
      // What came after the delete is a new contact's, on a conversation of its own.
      const db = w.server.store.db;
      const kept = await db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
        .select(['messages.text', 'conversations.contact_id']).where('messages.direction', '=', 'incoming').execute();
      const owners = new Set(kept.map((m) => m.contact_id));
      expect(owners.has(jane.id)).toBe(false);
      expect(owners.size).toBeLessThanOrEqual(1);
      const contacts = (await admin.get('/contacts')).body.contacts as { id: string; phone: string }[];
      expect(contacts.length).toBe(owners.size);
      if (contacts.length) expect(contacts[0]).toMatchObject({ id: [...owners][0], phone: '+14155550123' });
      expect(kept.every((m) => texts.includes(m.text))).toBe(true);
      // The erased messages were erased whole: Meta's ids are all remembered (a repeat stores nothing).
      expect(Number((await db.selectFrom('meta_deliveries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(61);
      await eventually(async () => expect(await count(w.server, 'queued') + await count(w.server, 'running')).toBe(0));
    });
  });
});
