import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messengerEcho, messengerText, whatsappPlainMessage, whatsappStatus } from '../../fixtures/meta/payloads';
import { onNumber, onPage } from '../../fixtures/meta/message-kinds';
import { waitForRun } from '../../support/builders';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from './support';

// A WhatsApp number or Page the Meta app is subscribed to but that is not connected here (never
// connected, or disconnected): its deliveries are not stored (respond.io and Chatwoot ignore
// them), Meta is answered 200 with why, and a conversation left on a disconnected channel does
// not take replies that would go nowhere.

const OTHER_NUMBER = '109999888777666';
const OTHER_PAGE = '700000000000001';

/** On SQLite (`databaseUrl` undefined) or PostgreSQL. */
export function unconnectedChannelSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });

  const admin = () => w.server.api(w.server.adminToken);
  const count = async (table: 'contacts' | 'conversations' | 'messages' | 'meta_deliveries') =>
    Number((await w.server.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  /** Several payloads of one object merged into one delivery. */
  const batch = (...payloads: { object: string; entry: unknown[] }[]) => ({ object: payloads[0]!.object, entry: payloads.flatMap((p) => p.entry) });

  describe('deliveries for a number or Page not connected here', () => {
    it('WhatsApp: messages and statuses are not stored; Meta gets 200 with how many were ignored and why', async () => {
      const res = await w.deliver(batch(
        onNumber(whatsappPlainMessage({ waId: '14155550123', text: 'Hi, anyone there?' }), OTHER_NUMBER),
        onNumber(whatsappPlainMessage({ waId: '14155550124', text: 'Hello' }), OTHER_NUMBER),
        onNumber(whatsappStatus({ wamid: 'wamid.other-tool-1', status: 'delivered', recipient: '14155550125' }), OTHER_NUMBER),
      ));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ received: 0, ignored: 3, ignoredReasons: [{ reason: `WhatsApp number ${OTHER_NUMBER} (phone_number_id) is not connected here (Channels): its events are not stored`, items: 3 }] });
      expect([await count('contacts'), await count('conversations'), await count('messages'), await count('meta_deliveries')]).toEqual([0, 0, 0, 0]);
      const early = await w.server.store.db.selectFrom('early_delivery_statuses').select('external_id').execute();
      expect(early).toEqual([]);

      // The connected number in the same delivery is stored as ever.
      const mixed = await w.deliver(batch(whatsappPlainMessage({ waId: '14155550126', text: 'Mine' }), onNumber(whatsappPlainMessage({ waId: '14155550127', text: 'Not mine' }), OTHER_NUMBER)));
      expect(mixed.body).toMatchObject({ received: 1, ignored: 1 });
      expect(await count('contacts')).toBe(1);
    });

    it('Messenger: a Page not connected here makes no contact; its echoes are ignored too', async () => {
      const res = await w.deliver(batch(onPage(messengerText({ psid: '4871203918', text: 'Hello' }), OTHER_PAGE), onPage(messengerEcho({ psid: '4871203918', text: 'From the Page' }), OTHER_PAGE)));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ received: 0, ignored: 2, ignoredReasons: [{ reason: `Facebook Page ${OTHER_PAGE} is not connected here (Channels): its events are not stored`, items: 2 }] });
      expect([await count('contacts'), await count('conversations')]).toEqual([0, 0]);
      // No profile lookup for a Page this server has no token for.
      expect(w.graph.requests.filter((r) => r.path.includes('4871203918'))).toEqual([]);
    });
  });

  describe('a disconnected number', () => {
    it('its messages are ignored, a reply on its conversation is refused (409) saying why, a note still goes in; connected again, the customer’s next message brings the conversation back', async () => {
      expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Where is my order?', name: 'Ana Lima' }))).body.received).toBe(1);
      const { conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
      expect((await admin().del(`/channels/${w.whatsappId}`)).status).toBe(204);

      const later = await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hello??' }));
      expect(later.body).toMatchObject({ received: 0, ignored: 1 });
      const { token } = await w.server.createUser('agent');
      const agent = w.server.api(token);
      const reply = await agent.post(`/conversations/${conversation.id}/messages`, { text: 'It ships today' });
      expect(reply.status).toBe(409);
      expect(reply.body.error).toMatchObject({ code: 'channel_disconnected' });
      expect(reply.body.error.message).toMatch(/was disconnected .*a reply would not reach the customer/);
      expect((await agent.post(`/conversations/${conversation.id}/messages`, { text: 'Customer called instead', kind: 'comment' })).status).toBe(201);
      const texts = (await admin().get(`/conversations/${conversation.id}`)).body.messages.map((m: { text: string }) => m.text);
      expect(texts).toEqual(['Where is my order?', 'Customer called instead']);
      expect(w.graph.sent).toEqual([]);

      const again = await admin().post('/channels', { kind: 'whatsapp', name: 'Support', phoneNumberId: WA.phoneNumberId, businessAccountId: WA.businessAccountId, accessToken: WA.token });
      expect(again.status).toBe(201);
      expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hello again' }))).body.received).toBe(1);
      const sent = await agent.post(`/conversations/${conversation.id}/messages`, { text: 'It ships today' });
      expect(sent.status).toBe(201);
      expect(sent.body.delivery).toMatchObject({ status: 'accepted' });
      expect(w.graph.sent.map((s) => s.body.to)).toEqual(['14155550123']);
    });

    it('a workflow\'s message or question on a conversation whose channel was disconnected fails saying why, and stores nothing that would reach nobody', async () => {
      expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Where is my order?', name: 'Ana Lima' }))).body.received).toBe(1);
      const { conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
      expect((await admin().del(`/channels/${w.whatsappId}`)).status).toBe(204);
      for (const step of [
        { id: 'tell', type: 'send_message', config: { text: 'Your order ships today' } },
        { id: 'ask', type: 'ask_question', config: { question: 'Was this helpful?', answerType: 'text' } },
      ]) {
        const wf = await admin().post('/workflows', { name: `Follow up ${step.id}`, status: 'published', trigger: { type: 'manual' }, steps: [step] });
        expect(wf.status, JSON.stringify(wf.body)).toBe(201);
        const started = await admin().post(`/workflows/${wf.body.id}/start`, { contact: { id: conversation.contactId } });
        expect(started.status, JSON.stringify(started.body)).toBe(202);
        const run = await waitForRun(w.server.store.db, started.body.runIds[0]);
        expect(run.status).toBe('failed');
        expect(run.error).toMatch(/was disconnected \(Settings → Channels\)/);
      }
      // Only the thread's activity lines say the workflows failed: nothing was stored as sent.
      const messages = (await admin().get(`/conversations/${conversation.id}`)).body.messages as { text: string; kind: string }[];
      expect(messages.filter((m) => m.kind !== 'activity').map((m) => m.text)).toEqual(['Where is my order?']);
      expect(messages.filter((m) => m.kind === 'activity').map((m) => m.text)).toEqual([
        expect.stringMatching(/^Workflow “Follow up tell” failed at step “tell”: Not sent: the WhatsApp number or Facebook Page this conversation was on was disconnected/),
        expect.stringMatching(/^Workflow “Follow up ask” failed at step “ask”: Not sent/),
      ]);
      expect(w.graph.sent).toEqual([]);
    });
  });
}
