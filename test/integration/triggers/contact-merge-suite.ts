import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MergeContactsResult } from '../../../lib/contracts/contacts';
import type { Conversation } from '../../../lib/contracts/conversations';
import { waitForRun } from '../../support/builders';
import { startTestServer, type Api, type TestServer } from '../../support/server';
import { createWorkflow, defineField, runsOf } from '../engine-support';
import { mariaVia, openVia } from './contact-via-api';

/** Registered by contact-merge.test.ts (SQLite) and contact-merge.pg.test.ts (PostgreSQL): `databaseUrl` undefined means SQLite. */
export function contactMergeSuite(databaseUrl: () => string | undefined) {
  // Contact merge through the HTTP API: one contact survives with everything of both, the merged
  // contact's open conversation is closed with reason "merge" and fires no Conversation Closed.

  let server: TestServer;
  let admin: Api;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl() });
    admin = server.api(server.adminToken);
    await defineField(server, 'plan');
    await defineField(server, 'city');
  });
  afterEach(async () => { await server.close(); });

  const contact = (body: Record<string, unknown>) => mariaVia(admin, body);
  const open = (contactId: string) => openVia(admin, contactId);

  describe('POST /contacts/:id/merge', () => {
    it('keeps one contact with both contacts\' tags, fields, identities and history; the merge close fires nothing', async () => {
      await admin.put('/settings/closing-categories', { categories: ['Resolved'] });
      const closedWf = await createWorkflow(server, { name: 'Closed', trigger: { type: 'conversation_closed' }, steps: [] });
      const waiting = await createWorkflow(server, {
        name: 'Follow up', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['follow'] },
        steps: [{ id: 'w', type: 'wait', config: { seconds: 1 } }, { id: 'c', type: 'add_comment', config: { text: 'followed up {{$contact.email}}' } }],
      });
      const survivor = await contact({ phone: '+34600111222', tags: ['vip'], fields: { plan: 'pro' } });
      const merged = await contact({ email: 'maria@example.com', tags: ['lead'], fields: { plan: 'free', city: 'Madrid' } });
      const db = server.app.services.db;
      await db.insertInto('channel_identities').values({ channel: 'messenger', external_id: 'psid_1', contact_id: merged.id, created_at: new Date().toISOString() }).execute();

      const old = await open(merged.id);
      await admin.post(`/conversations/${old.id}/messages`, { text: 'first chat', direction: 'incoming' });
      await admin.post(`/conversations/${old.id}/close`, { category: 'Resolved' });
      const mergedOpen = await open(merged.id);
      const survivorOpen = await open(survivor.id);
      await admin.post(`/contacts/${merged.id}/tags`, { tags: ['follow'] });
      const [pending] = await runsOf(server, waiting.id);
      await waitForRun(db, pending!.id, ['waiting']);
      const closesBefore = (await runsOf(server, closedWf.id)).length;

      const { token } = await server.createUser('supervisor');
      const res = await server.api(token).post(`/contacts/${survivor.id}/merge`, { mergeContactId: merged.id });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const result = MergeContactsResult.parse(res.body);
      expect(result.contact).toMatchObject({
        id: survivor.id, phone: '+34600111222', email: 'maria@example.com', fields: { plan: 'pro', city: 'Madrid' },
      });
      expect(result.contact.tags.sort()).toEqual(['follow', 'lead', 'vip']);
      expect(result.closedConversationId).toBe(mergedOpen.id);
      // runs: the Closed run of the earlier (real) close, and the waiting follow-up
      expect(result.moved).toMatchObject({ conversations: 2, runs: 2, channel_identities: 1 });

      expect((await admin.get(`/contacts/${merged.id}`)).status).toBe(404);
      const conversations = (await admin.get(`/conversations?contactId=${survivor.id}`)).body.conversations as Conversation[];
      expect(conversations.map((c) => c.id).sort()).toEqual([old.id, mergedOpen.id, survivorOpen.id].sort());
      expect(conversations.find((c) => c.id === mergedOpen.id)).toMatchObject({ status: 'closed', closeReason: 'merge' });
      expect((await admin.get(`/conversations/${old.id}`)).body.messages).toMatchObject([{ text: 'first chat' }, { kind: 'activity', text: 'Conversation was closed by Admin (Resolved)' }]);
      expect(await db.selectFrom('channel_identities').select('contact_id').where('external_id', '=', 'psid_1').executeTakeFirst()).toEqual({ contact_id: survivor.id });

      // The merge close fired no Conversation Closed run; the merge is one recorded event.
      expect((await runsOf(server, closedWf.id)).length).toBe(closesBefore);
      const [event] = await server.events('contact.merged');
      expect(event).toMatchObject({ contactId: survivor.id, payload: { mergedContactId: merged.id } });

      // The merged contact's waiting run continues on the survivor, in the survivor's open conversation.
      const done = await waitForRun(db, pending!.id);
      expect(done).toMatchObject({ status: 'completed', contactId: survivor.id });
      const notes = (await admin.get(`/conversations/${survivorOpen.id}`)).body.messages.map((m: { text: string }) => m.text);
      expect(notes).toContain('followed up maria@example.com');
    });

    it('keeps per-(workflow, contact) order: the merged contact\'s later run waits for the survivor\'s earlier one', async () => {
      const wf = await createWorkflow(server, {
        name: 'Ordered', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
        steps: [{ id: 'w', type: 'wait', config: { seconds: 1 } }, { id: 'c', type: 'add_comment', config: { text: 'run of {{$trigger.tag}}' } }],
      });
      const survivor = await contact({});
      const merged = await contact({});
      const survivorOpen = await open(survivor.id);
      await admin.post(`/contacts/${survivor.id}/tags`, { tags: ['go'] });
      await admin.post(`/contacts/${merged.id}/tags`, { tags: ['go'] });
      const [first, second] = (await runsOf(server, wf.id)).sort((a, b) => a.id.localeCompare(b.id));
      const db = server.app.services.db;
      await waitForRun(db, first!.id, ['waiting']);
      await waitForRun(db, second!.id, ['waiting']);
      // The survivor's (earlier) run wakes later than the merged contact's: order must still hold.
      await db.updateTable('runs').set({ wake_at: new Date(Date.now() + 1500).toISOString() }).where('id', '=', first!.id).execute();
      expect((await admin.post(`/contacts/${survivor.id}/merge`, { mergeContactId: merged.id })).status).toBe(200);
      const [a, b] = [await waitForRun(db, first!.id), await waitForRun(db, second!.id)];
      expect([a.status, b.status, a.contactId, b.contactId]).toEqual(['completed', 'completed', survivor.id, survivor.id]);
      expect(Date.parse(b.endedAt!)).toBeGreaterThanOrEqual(Date.parse(a.endedAt!));
      const notes = (await admin.get(`/conversations/${survivorOpen.id}`)).body.messages.map((m: { text: string }) => m.text);
      expect(notes).toEqual(['run of go', 'run of go']);
    });

    it('unites enrolments: a once-per-contact workflow either contact went through does not start again', async () => {
      const once = await createWorkflow(server, {
        name: 'Welcome', oncePerContact: true, trigger: { type: 'contact_tag_updated', action: 'added', tags: ['hello'] }, steps: [],
      });
      const survivor = await contact({});
      const merged = await contact({ tags: ['hello'] });
      expect((await runsOf(server, once.id)).length).toBe(1);
      expect((await admin.post(`/contacts/${survivor.id}/merge`, { mergeContactId: merged.id })).status).toBe(200);
      await admin.del(`/contacts/${survivor.id}/tags/hello`);
      await admin.post(`/contacts/${survivor.id}/tags`, { tags: ['hello'] });
      expect((await runsOf(server, once.id)).length).toBe(1);
    });

    it.each([
      ['an agent', 'agent', 'other', 403],
      ['the contact itself', 'supervisor', 'self', 422],
      ['an unknown contact', 'supervisor', 'unknown', 404],
      ['no contact id', 'supervisor', 'missing', 422],
    ] as const)('refuses %s', async (_name, role, which, status) => {
      const a = await contact({});
      const b = await contact({});
      const { token } = await server.createUser(role);
      const body = which === 'missing' ? {} : { mergeContactId: which === 'self' ? a.id : which === 'unknown' ? 'con_nope' : b.id };
      const res = await server.api(token).post(`/contacts/${a.id}/merge`, body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toBeTruthy();
      expect((await admin.get(`/contacts/${b.id}`)).status).toBe(200);
    });
  });
}
