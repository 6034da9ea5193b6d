import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messengerText, whatsappImage, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { startTestServer, type TestServer } from '../../support/server';
import { startChatwootPair, type ChatwootPair } from '../chatwoot/harness';
import { PAGE, startChannelWorld, type ChannelWorld } from '../channels/support';
import { makeContact, publishWebhookWorkflow, waitForRun } from '../webhooks/support';

// Text from the outside world with a NUL character (U+0000), which PostgreSQL cannot store in
// text or jsonb and the SQLite adapter refuses alike: it used to fail the whole delivery (Meta:
// 422 on every retry; Chatwoot, which does not retry: the message lost). Now the NUL becomes
// U+FFFD, the message is stored and the sender gets its 200. Run on SQLite (nul-from-outside.test.ts)
// and PostgreSQL (nul-from-outside.pg.test.ts).

const FFFD = '\uFFFD';

/** Several payloads merged into one delivery, entries in order. */
const batch = (...payloads: { object: string; entry: unknown[] }[]) => ({ object: payloads[0]!.object, entry: payloads.flatMap((p) => p.entry) });

export function nulFromOutsideSuite(databaseUrl: () => string | undefined) {
  describe('Meta deliveries', () => {
    let w: ChannelWorld;
    beforeEach(async () => { w = await startChannelWorld({ databaseUrl: databaseUrl() }); });
    afterEach(async () => { await w.close(); });

    const incoming = async () => (await w.server.store.db.selectFrom('messages').select('text').where('direction', '=', 'incoming').orderBy('text').execute()).map((m) => m.text);

    it('a WhatsApp delivery whose text, caption and sender name hold NUL: 200, every message stored with U+FFFD; Meta’s retry is all duplicates', async () => {
      const delivery = batch(
        whatsappPlainMessage({ waId: '14155550123', text: 'good one' }),
        whatsappPlainMessage({ waId: '14155550124', text: 'x\u0000y', name: 'Ana\u0000Lopez' }),
        whatsappImage({ waId: '14155550125', caption: 'receipt\u0000' }),
      );
      const res = await w.deliver(delivery);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ received: 3, duplicates: 0, skipped: 0 });
      expect(await incoming()).toEqual(['good one', `receipt${FFFD}`, `x${FFFD}y`]);
      const named = await w.server.store.db.selectFrom('contacts').select('first_name').where('phone', '=', '+14155550124').executeTakeFirstOrThrow();
      expect(named.first_name).toBe(`Ana${FFFD}Lopez`);
      const again = await w.deliver(delivery);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ received: 0, duplicates: 3 });
    });

    it('a Messenger text with NUL from a sender whose profile name (Graph API) holds NUL: stored, and the contact named', async () => {
      w.graph.addProfile({ psid: '7100000000009', pageId: PAGE.pageId, firstName: 'Le\u0000na', lastName: 'Berg' });
      const res = await w.deliver(messengerText({ psid: '7100000000009', text: 'hello\u0000there' }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ received: 1, skipped: 0 });
      expect(await incoming()).toEqual([`hello${FFFD}there`]);
      const contacts = await w.server.store.db.selectFrom('contacts').select(['first_name', 'last_name']).execute();
      expect(contacts).toEqual([{ first_name: `Le${FFFD}na`, last_name: 'Berg' }]);
    });
  });

  describe('Chatwoot', () => {
    let p: ChatwootPair;
    beforeEach(async () => { p = await startChatwootPair({ databaseUrl: databaseUrl() }); });
    afterEach(async () => { await p.close(); });

    const stored = async () => ({
      messages: (await p.server.store.db.selectFrom('messages').select('text').execute()).map((m) => m.text),
      names: (await p.server.store.db.selectFrom('contacts').select('first_name').execute()).map((c) => c.first_name),
    });

    it('a webhook whose message content and contact name hold NUL: 200 and the message stored (Chatwoot does not retry)', async () => {
      const contact = p.cw.addContact({ name: 'Ja\u0000ne' });
      const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'nul\u0000here', incoming: true } });
      const res = await p.hook(p.cw.messagePayload(conv.id, conv.messages[0]!.id, false));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ handled: true, duplicate: false });
      expect(await stored()).toEqual({ messages: [`nul${FFFD}here`], names: [`Ja${FFFD}ne`] });
    });

    it('what the REST API answers a sync (a missed webhook) gets U+FFFD too', async () => {
      const contact = p.cw.addContact({ name: 'Ra\u0000y' });
      p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'lost\u0000webhook', incoming: true } });
      const res = await p.server.api(p.server.adminToken).post(`/chatwoot/accounts/${p.account.id}/sync`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(await stored()).toEqual({ messages: [`lost${FFFD}webhook`], names: [`Ra${FFFD}y`] });
    });
  });

  describe('/hooks', () => {
    let server: TestServer;
    beforeEach(async () => { server = await startTestServer({ databaseUrl: databaseUrl() }); });
    afterEach(async () => { await server.close(); });

    it('a NUL in the data: 202, the event kept and the run completed with U+FFFD in its place', async () => {
      const contact = await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
      const conversation = await server.api(server.adminToken).post('/conversations', { contactId: contact.id });
      const hook = await publishWebhookWorkflow(server);
      const res = await server.request('POST', hook.path, { body: JSON.stringify({ phone: '+14155550123', order: { id: 'A\u000077' }, 'note\u0000': 'x' }), headers: { 'content-type': 'application/json' } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      const run = await waitForRun(server, res.body.runIds[0]);
      expect(run.status, run.error).toBe('completed');
      expect(run.variables.trigger.orderId).toBe(`A${FFFD}77`);
      const [event] = await server.events('webhook.received');
      expect(JSON.stringify(event!.payload)).not.toContain('\\u0000');
      const detail = await server.api(server.adminToken).get(`/conversations/${conversation.body.id}`);
      expect(detail.body.messages.map((m: { text: string }) => m.text)).toContain(`Order A${FFFD}77 shipped`);
    });
  });
}
