import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { messengerText, nextWamid, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { pruneChannelBookkeeping } from '../../../server/channels/housekeeping';
import {
  messengerReactionTo, whatsappContactsExample, whatsappFlowAnswer, whatsappOrder, whatsappReactionTo, whatsappUnsupportedMessage,
} from '../../fixtures/meta/message-kinds';
import { waitFor } from '../../support/wait';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// What a customer sends besides text and media reaches the agent (and workflows) in words: a
// WhatsApp Flow's answer, a shared contact card, an order, a reaction, a message type WhatsApp
// does not pass on. Before, each was dropped or cut to a name, with nothing in the conversation.

type Msg = { direction: string; kind: string; text: string; data?: unknown; author: { type: string } };

/** On SQLite (`databaseUrl` undefined) or PostgreSQL. */
export function messageKindsSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });

  const admin = () => w.server.api(w.server.adminToken);
  const messagesOf = async (conversationId: string) => (await admin().get(`/conversations/${conversationId}`)).body.messages as Msg[];
  const contacts = async () => Number((await w.server.store.db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const runOf = async (id: string) => Run.parse((await admin().get(`/runs/${id}`)).body);

  /** The customer wrote; a workflow asks them a text question and waits for the answer. */
  async function asked(waId: string) {
    expect((await w.deliver(whatsappPlainMessage({ waId, text: 'Hi' }))).body.received).toBe(1);
    const { contact, conversation } = await conversationOf(w.server, `phone=%2B${waId}`);
    const wf = await w.tagWorkflow([
      { id: 'ask', type: 'ask_question', config: { question: 'Please fill in the booking form', answerType: 'text', saveToVariable: 'booking' } },
      { id: 'note', type: 'add_comment', config: { text: 'Answer: {{$step.booking}}' } },
    ]);
    expect((await admin().post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBeLessThan(300);
    const runId = await waitFor('the run', async () => (await admin().get(`/workflows/${wf}/runs`)).body.runs[0]?.id as string | undefined);
    await waitFor('the question', async () => ((await runOf(runId)).status === 'waiting' && w.graph.sent.length === 1 ? true : undefined));
    return { conversation, runId };
  }
  const finished = (runId: string) => waitFor(`run ${runId} to finish`, async () => {
    const run = await runOf(runId);
    return ['completed', 'failed'].includes(run.status) ? run : undefined;
  });

  describe('WhatsApp Flows', () => {
    it('a flow’s answer is the customer’s message “Flow answer: …” with its fields kept, and it answers the workflow’s question', async () => {
      const { conversation, runId } = await asked('14155550123');
      const res = await w.deliver(whatsappFlowAnswer({ waId: '14155550123', response: { name: 'Ana Lima', date: '2026-03-14', guests: 2, newsletter: true } }));
      expect(res.body).toMatchObject({ received: 1, skipped: 0 });
      expect((await finished(runId)).status).toBe('completed');
      const messages = await messagesOf(conversation.id);
      const answer = messages.find((m) => m.text.startsWith('Flow answer'))!;
      expect(answer).toMatchObject({ direction: 'incoming', kind: 'message', text: 'Flow answer: name: Ana Lima, date: 2026-03-14, guests: 2, newsletter: true' });
      expect(answer.data).toEqual({ type: 'flow_response', name: 'flow', fields: { name: 'Ana Lima', date: '2026-03-14', guests: 2, newsletter: true } });
      expect(messages.at(-1)).toMatchObject({ kind: 'comment', text: 'Answer: Flow answer: name: Ana Lima, date: 2026-03-14, guests: 2, newsletter: true' });
    });
  });

  describe('contact cards and orders', () => {
    it('a shared contact card keeps the name with each phone (and its type), email and organisation: Meta’s documented example', async () => {
      expect((await w.deliver(whatsappContactsExample())).body).toMatchObject({ received: 1 });
      const { conversation } = await conversationOf(w.server, 'phone=%2B16505551234');
      const [card] = await messagesOf(conversation.id);
      expect(card!.text).toBe([
        'Shared contact: Barbara J. Johnson',
        'Phone (MOBILE): +1 (415) 555-0829 (WhatsApp 14125550829)',
        'Email (Personal): bjohson@socialtsunami.com',
        'Organization: Social Tsunami, Engineering, Software Engineer',
      ].join('\n'));
      expect(card!.data).toEqual({
        type: 'contacts',
        contacts: [{
          name: 'Barbara J. Johnson', phones: [{ phone: '+1 (415) 555-0829', type: 'MOBILE', waId: '14125550829' }],
          emails: [{ email: 'bjohson@socialtsunami.com', type: 'Personal' }], org: { company: 'Social Tsunami', department: 'Engineering', title: 'Software Engineer' },
        }],
      });
    });

    it('an order lists each catalog item with quantity and price, then the customer’s text', async () => {
      expect((await w.deliver(whatsappOrder({ waId: '14155550123' }))).body).toMatchObject({ received: 1 });
      const { conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
      const [order] = await messagesOf(conversation.id);
      expect(order!.text).toBe('Order (catalog 194836987003835): 2 × di9ozbzfi4 at 7.99 USD; 1 × b2bp2jfi3a at 12.5 USD\nLove these!');
      expect(order!.data).toMatchObject({ type: 'order', catalogId: '194836987003835', items: [{ productRetailerId: 'di9ozbzfi4', quantity: 2, itemPrice: 7.99, currency: 'USD' }, { productRetailerId: 'b2bp2jfi3a' }] });
    });
  });

  describe('messages that are not the customer’s turn', () => {
    it('a message type WhatsApp does not pass on shows the agent a placeholder saying so, in a new conversation too', async () => {
      expect((await w.deliver(whatsappUnsupportedMessage({ waId: '14155550123' }))).body).toMatchObject({ received: 1 });
      const { conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
      expect((await messagesOf(conversation.id)).map((m) => [m.direction, m.text])).toEqual([
        ['incoming', 'The customer sent a vote in a poll, a message type WhatsApp does not deliver to the API: ask them to send it as text'],
      ]);
      expect(conversation.channel).toMatchObject({ kind: 'whatsapp', open: true });
    });

    it('reactions show in the conversation of the message reacted to; neither they nor a placeholder answer the workflow’s question', async () => {
      const { conversation, runId } = await asked('14155550123');
      const question = w.graph.sent[0]!.id;
      await w.deliver(whatsappReactionTo({ waId: '14155550123', to: question, emoji: '\u{1F44D}' }));
      await w.deliver(whatsappUnsupportedMessage({ waId: '14155550123', unsupportedType: 'edit' }));
      await w.deliver(whatsappReactionTo({ waId: '14155550123', to: question }));
      expect((await runOf(runId)).status).toBe('waiting');
      expect((await admin().get(`/conversations/${conversation.id}`)).body.awaitingAnswer).toMatchObject({ runId });
      // Someone reacting to a message this server does not have (yet): it waits for it, no contact made.
      expect((await w.deliver(whatsappReactionTo({ waId: '14155550999', to: 'wamid.not-ours', emoji: '\u{1F44D}' }))).body).toMatchObject({ received: 1, skipped: 0 });
      expect(await contacts()).toBe(1);

      await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Table for two' }));
      expect((await finished(runId)).status).toBe('completed');
      expect((await messagesOf(conversation.id)).map((m) => `${m.direction} ${m.kind}: ${m.text}`)).toEqual([
        'incoming message: Hi',
        'outgoing message: Please fill in the booking form',
        'incoming message: Reacted 👍 to: “Please fill in the booking form”',
        'incoming message: The customer sent an edit of an earlier message, a message type WhatsApp does not deliver to the API: ask them to send it as text',
        'incoming message: Removed a reaction from: “Please fill in the booking form”',
        'incoming message: Table for two',
        'outgoing comment: Answer: Table for two',
      ]);
    });

    it('a reaction Meta delivers before the message it reacts to shows once the message arrives, once; one whose message never comes goes after 7 days', async () => {
      const early = nextWamid();
      const reaction = whatsappReactionTo({ waId: '14155550123', to: early, emoji: '\u{1F64F}' });
      expect((await w.deliver(reaction)).body).toMatchObject({ received: 1, skipped: 0 });
      expect((await w.deliver(reaction)).body).toMatchObject({ received: 0, duplicates: 1 });
      expect(await contacts()).toBe(0);
      await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Can I bring my dog?', id: early }));
      const { conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
      await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Can I bring my dog?', id: early }));
      expect((await messagesOf(conversation.id)).map((m) => `${m.direction}: ${m.text}`)).toEqual([
        'incoming: Can I bring my dog?',
        'incoming: Reacted 🙏 to: “Can I bring my dog?”',
      ]);
      // Opening the conversation was the message's doing: the reaction is not the first incoming message.
      expect((await w.server.events('conversation.opened')).map((e: { payload: { firstIncomingMessage: string } }) => e.payload.firstIncomingMessage)).toEqual(['Can I bring my dog?']);

      const never = nextWamid();
      await w.deliver(whatsappReactionTo({ waId: '14155550123', to: never, emoji: '\u{1F44D}' }));
      await pruneChannelBookkeeping(w.server.app.services, Date.now() + 8 * 86_400_000);
      await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hello again', id: never }));
      expect((await messagesOf(conversation.id)).map((m) => m.text).at(-1)).toBe('Hello again');
    });

    it('a reaction to an agent’s reply that beats Meta’s answer to the send shows once the reply has its id', async () => {
      await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Do you deliver on Sundays?' }));
      const { conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
      w.graph.beforeWhatsAppAnswer(async ({ wamid, to }) => {
        expect((await w.deliver(whatsappReactionTo({ waId: to, to: wamid, emoji: '\u{1F44D}' }))).body).toMatchObject({ received: 1 });
      });
      const { token } = await w.server.createUser('agent');
      expect((await w.server.api(token).post(`/conversations/${conversation.id}/messages`, { text: 'Yes, until 6pm' })).status).toBe(201);
      expect((await messagesOf(conversation.id)).map((m) => `${m.direction}: ${m.text}`)).toEqual([
        'incoming: Do you deliver on Sundays?',
        'outgoing: Yes, until 6pm',
        'incoming: Reacted 👍 to: “Yes, until 6pm”',
      ]);
    });

    it('a Messenger reaction to the Page’s reply shows in the conversation', async () => {
      await w.deliver(messengerText({ psid: '4871203918', text: 'Is it in stock?' }));
      const { conversation } = await conversationOf(w.server, 'q=3918');
      const { token } = await w.server.createUser('agent');
      const reply = await w.server.api(token).post(`/conversations/${conversation.id}/messages`, { text: 'Yes, 3 left' });
      expect(reply.status).toBe(201);
      expect((await w.deliver(messengerReactionTo({ psid: '4871203918', mid: reply.body.delivery.externalId }))).body).toMatchObject({ received: 1 });
      expect((await messagesOf(conversation.id)).at(-1)).toMatchObject({ direction: 'incoming', author: { type: 'contact' }, text: 'Reacted ❤️ to: “Yes, 3 left”' });
    });
  });
}
