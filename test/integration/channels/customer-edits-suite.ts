import { afterEach, beforeEach, expect, it } from 'vitest';
import { Message } from '../../../lib/contracts/conversations';
import { Run } from '../../../lib/contracts/runs';
import { messengerText, nextMid, nextWamid, whatsappImage, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { messengerEdit, whatsappEdit, whatsappReactionTo } from '../../fixtures/meta/message-kinds';
import { pruneChannelBookkeeping } from '../../../server/channels/housekeeping';
import { waitFor } from '../../support/wait';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// A customer edits a message they sent (Messenger `message_edits`, WhatsApp `edit`), over real HTTP
// with signed webhooks in Meta's documented shapes: the agent reads the new words, marked edited,
// what it said before kept; a late, older edit or a repeat changes nothing; the question it answered
// is not asked or answered again. Before, every edit was dropped ("Messenger message_edit event not
// used", "WhatsApp edit message has nothing to store") and the agent read the words the customer had
// taken back. Registered by customer-edits.test.ts and .pg.test.ts.

export function customerEditsSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });

  const admin = () => w.server.api(w.server.adminToken);
  const messagesOf = async (conversationId: string) => ((await admin().get(`/conversations/${conversationId}`)).body.messages as unknown[]).map((m) => Message.parse(m));
  const runOf = async (id: string) => Run.parse((await admin().get(`/runs/${id}`)).body);

  it('Messenger: the message reads the new text, marked edited with what it said before; a late older edit and a repeat change nothing', async () => {
    const mid = nextMid();
    await w.deliver(messengerText({ psid: '4871203918', text: 'Table for 3 at 8pm', mid }));
    const { conversation } = await conversationOf(w.server, 'q=3918');
    const t0 = Date.now() - 60_000; // Meta's times are never taken as later than now.
    const first = messengerEdit({ psid: '4871203918', mid, text: 'Table for 4 at 8pm', numEdit: 1, timestamp: t0 });
    expect((await w.deliver(first)).body).toMatchObject({ received: 1, skipped: 0, runIds: [] });
    expect((await w.deliver(messengerEdit({ psid: '4871203918', mid, text: 'Table for 4 at 9pm', numEdit: 2, timestamp: t0 + 1000 }))).body).toMatchObject({ received: 1 });
    // Meta redelivers the first edit after the second: the newer words stay.
    expect((await w.deliver(first)).body).toMatchObject({ received: 0, duplicates: 1 });
    await w.deliver(messengerEdit({ psid: '4871203918', mid, text: 'Table for 4 at 8pm (late copy)', numEdit: 1, timestamp: t0 + 10 }));
    const [message] = await messagesOf(conversation.id);
    expect(message).toMatchObject({ text: 'Table for 4 at 9pm', direction: 'incoming' });
    expect(message!.edited).toEqual({
      at: new Date(t0 + 1000).toISOString(), count: 2,
      previous: [{ text: 'Table for 3 at 8pm', replacedAt: new Date(t0).toISOString() }, { text: 'Table for 4 at 8pm', replacedAt: new Date(t0 + 1000).toISOString() }],
    });
    // The list's last message follows the edit.
    expect((await admin().get('/conversations')).body.conversations[0].lastMessage.text).toBe('Table for 4 at 9pm');
  });

  it('an edit sent by someone else than the message’s writer is skipped saying why', async () => {
    const mid = nextMid();
    await w.deliver(messengerText({ psid: '4871203918', text: 'My address is Rua A, 1', mid }));
    const other = await w.deliver(messengerEdit({ psid: '5550002222', mid, text: 'My address is Rua B, 2', numEdit: 1 }));
    expect(other.body).toMatchObject({ received: 0, skipped: 1 });
    const { conversation } = await conversationOf(w.server, 'q=3918');
    expect((await messagesOf(conversation.id)).map((m) => [m.text, m.edited])).toEqual([['My address is Rua A, 1', undefined]]);
  });

  // Meta promises no order between webhooks: before, an edit that beat its message was skipped
  // ("not a customer's message stored here") and the agent read the words taken back for good.
  it('Messenger: edits Meta delivers before the message wait for it, and the agent reads the newest words marked edited, the original in its history', async () => {
    const mid = nextMid();
    const t0 = Date.now() - 60_000;
    // The second edit even beats the first: the newest words win whatever the order.
    expect((await w.deliver(messengerEdit({ psid: '4871203918', mid, text: 'Table for 5 at 9pm', numEdit: 2, timestamp: t0 + 2000 }))).body).toMatchObject({ received: 1, skipped: 0 });
    expect((await w.deliver(messengerEdit({ psid: '4871203918', mid, text: 'Table for 4 at 9pm', numEdit: 1, timestamp: t0 + 1000 }))).body).toMatchObject({ received: 1, skipped: 0 });
    // Someone else's edit of the same message waits too, but is not applied once the writer is known.
    expect((await w.deliver(messengerEdit({ psid: '5550002222', mid, text: 'Cancel my table', numEdit: 3, timestamp: t0 + 3000 }))).body).toMatchObject({ received: 1 });
    await w.deliver(messengerText({ psid: '4871203918', text: 'Table for 3 at 8pm', mid }));
    const { conversation } = await conversationOf(w.server, 'q=3918');
    const [message, ...others] = await messagesOf(conversation.id);
    expect(others).toEqual([]);
    expect(message).toMatchObject({ text: 'Table for 5 at 9pm', direction: 'incoming' });
    expect(message!.edited).toEqual({ at: new Date(t0 + 2000).toISOString(), count: 2, previous: [{ text: 'Table for 3 at 8pm', replacedAt: new Date(t0 + 2000).toISOString() }] });
    // Nothing is left waiting, and Meta's repeat of the message changes nothing.
    await w.deliver(messengerText({ psid: '4871203918', text: 'Table for 3 at 8pm', mid }));
    expect((await messagesOf(conversation.id)).map((m) => m.text)).toEqual(['Table for 5 at 9pm']);
  });

  it('WhatsApp: an edit delivered before its message is applied when the message arrives; one whose message never comes goes after 7 days', async () => {
    const id = nextWamid();
    expect((await w.deliver(whatsappEdit({ waId: '14155550123', original: id, text: 'Pick up at 6pm' }))).body).toMatchObject({ received: 1, skipped: 0 });
    await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Pick up at 5pm', id }));
    const { conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
    const messages = await messagesOf(conversation.id);
    expect(messages.map((m) => `${m.text}${m.edited ? ' (edited)' : ''}`)).toEqual(['Pick up at 6pm (edited)']);
    expect(messages[0]!.edited).toMatchObject({ count: 1, previous: [{ text: 'Pick up at 5pm' }] });
    // The conversation was opened by the message as the customer first wrote it (no workflow runs again).
    expect((await w.server.events('conversation.opened')).map((e: { payload: { firstIncomingMessage: string } }) => e.payload.firstIncomingMessage)).toEqual(['Pick up at 5pm']);

    const never = nextWamid();
    await w.deliver(whatsappEdit({ waId: '14155550123', original: never, text: 'Changed my mind' }));
    await pruneChannelBookkeeping(w.server.app.services, Date.now() + 8 * 86_400_000);
    await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hello again', id: never }));
    expect((await messagesOf(conversation.id)).map((m) => `${m.text}${m.edited ? ' (edited)' : ''}`).at(-1)).toBe('Hello again');
  });

  // WhatsApp's edit carries no count and its time in whole seconds (the webhook's trigger time), its
  // own wamid no order: within one second only the arrival order is known, as Chatwoot and n8n apply
  // every edit. An edit from an earlier second never replaces a later one.
  it('WhatsApp: an edit from an earlier second arriving late changes nothing; within one second the last to arrive shows, the other kept in its history', async () => {
    const id = nextWamid();
    await w.deliver(whatsappPlainMessage({ waId: '14155550145', text: 'Pick up at 5pm', id }));
    const t = Math.floor(Date.now() / 1000) - 60;
    for (const [text, at] of [['Pick up at 7pm', t + 1], ['Pick up at 6pm', t], ['Pick up at 6:30pm', t + 1], ['Pick up at 7:30pm', t + 1]] as const) {
      expect((await w.deliver(whatsappEdit({ waId: '14155550145', original: id, text, timestamp: at }))).body).toMatchObject({ received: 1 });
    }
    const { conversation } = await conversationOf(w.server, 'phone=%2B14155550145');
    const [message] = await messagesOf(conversation.id);
    expect(message).toMatchObject({ text: 'Pick up at 7:30pm', edited: { count: 3, previous: [{ text: 'Pick up at 5pm' }, { text: 'Pick up at 7pm' }, { text: 'Pick up at 6:30pm' }] } });
  });

  // Both waited for the message; the reaction was shown first, quoting the words the edit replaced
  // at once, so the agent read a thumbs-up to something the thread no longer said.
  it('WhatsApp: a reaction and an edit that both beat their message: the reaction quotes the edited words', async () => {
    const id = nextWamid();
    await w.deliver(whatsappReactionTo({ waId: '14155550141', to: id, emoji: '\u{1F44D}' }));
    await w.deliver(whatsappEdit({ waId: '14155550141', original: id, text: 'Pick up at 6pm' }));
    await w.deliver(whatsappPlainMessage({ waId: '14155550141', text: 'Pick up at 5pm', id }));
    const { conversation } = await conversationOf(w.server, 'phone=%2B14155550141');
    expect((await messagesOf(conversation.id)).map((m) => `${m.text}${m.edited ? ' (edited)' : ''}`)).toEqual([
      'Pick up at 6pm (edited)',
      'Reacted \u{1F44D} to: “Pick up at 6pm”',
    ]);
  });

  it('WhatsApp: an edited answer reads the new words, but the question it answered is not answered again and no workflow starts', async () => {
    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi' }))).body.received).toBe(1);
    const { contact, conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
    const wf = await w.tagWorkflow([
      { id: 'ask', type: 'ask_question', config: { question: 'How many guests?', answerType: 'text', saveToVariable: 'guests' } },
      { id: 'note', type: 'add_comment', config: { text: 'Guests: {{$step.guests}}' } },
    ]);
    expect((await admin().post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBeLessThan(300);
    const runId = await waitFor('the run', async () => (await admin().get(`/workflows/${wf}/runs`)).body.runs[0]?.id as string | undefined);
    await waitFor('the question', async () => ((await runOf(runId)).status === 'waiting' && w.graph.sent.length === 1 ? true : undefined));
    const answer = nextWamid();
    await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Two', id: answer }));
    await waitFor('the answer', async () => ((await runOf(runId)).status === 'completed' ? true : undefined));
    const events = (await w.server.events()).length;

    const edit = await w.deliver(whatsappEdit({ waId: '14155550123', original: answer, text: 'Three' }));
    expect(edit.body).toMatchObject({ received: 1, skipped: 0, runIds: [] });
    const messages = await messagesOf(conversation.id);
    expect(messages.map((m) => `${m.direction} ${m.kind}: ${m.text}${m.edited ? ' (edited)' : ''}`)).toEqual([
      'incoming message: Hi',
      'outgoing message: How many guests?',
      'incoming message: Three (edited)',
      'outgoing comment: Guests: Two',
    ]);
    expect(messages[2]!.edited).toMatchObject({ count: 1, previous: [{ text: 'Two' }] });
    expect((await w.server.events()).length).toBe(events);
    expect((await admin().get(`/workflows/${wf}/runs`)).body.runs).toHaveLength(1);
    expect(w.graph.sent).toHaveLength(1);
  });

  // The phone was the only proof of the writer: once an agent corrected it, the customer's edits
  // of what they wrote before were skipped as "sent by someone who did not write it".
  it('WhatsApp: an edit from the number the conversation is held under is applied after an agent changed the contact\'s phone', async () => {
    const id = nextWamid();
    await w.deliver(whatsappPlainMessage({ waId: '14155550131', text: 'Deliver to Main St 5', id }));
    const { contact, conversation } = await conversationOf(w.server, 'phone=%2B14155550131');
    expect((await admin().patch(`/contacts/${contact.id}`, { phone: '+14155550199' })).status).toBe(200);
    const edit = await w.deliver(whatsappEdit({ waId: '14155550131', original: id, text: 'Deliver to Main St 7' }));
    expect(edit.body).toMatchObject({ received: 1, skipped: 0 });
    const [message] = await messagesOf(conversation.id);
    expect(message).toMatchObject({ text: 'Deliver to Main St 7', edited: { count: 1, previous: [{ text: 'Deliver to Main St 5' }] } });
    // Someone else's number still cannot edit it.
    expect((await w.deliver(whatsappEdit({ waId: '14155550177', original: id, text: 'Cancel it' }))).body).toMatchObject({ received: 0, skipped: 1 });
    expect((await messagesOf(conversation.id))[0]!.text).toBe('Deliver to Main St 7');
  });

  it('WhatsApp: an edited caption is the image message’s new text and caption', async () => {
    const id = nextWamid();
    await w.deliver(whatsappImage({ waId: '14155550127', caption: 'My receipt', id }));
    expect((await w.deliver(whatsappEdit({ waId: '14155550127', original: id, text: 'My receipt for March', media: 'image' }))).body).toMatchObject({ received: 1 });
    const { conversation } = await conversationOf(w.server, 'phone=%2B14155550127');
    const [message] = await messagesOf(conversation.id);
    expect(message).toMatchObject({ text: 'My receipt for March', attachments: [{ type: 'image', caption: 'My receipt for March' }], edited: { count: 1, previous: [{ text: 'My receipt' }] } });
  });
}
