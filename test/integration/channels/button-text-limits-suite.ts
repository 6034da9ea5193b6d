import { afterEach, beforeEach, expect, it } from 'vitest';
import { messengerText, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// The text above a Send message's reply buttons: WhatsApp's interactive body holds 1,024
// characters; on Messenger our buttons go as quick replies on a text message, whose text holds the
// Send API's 2,000 (lib/workflow/button-body.ts cites Meta's pages). Before, 1,024 was the limit
// whatever the channel: a Page-only workspace could not publish a 1,500-character question with
// buttons Messenger takes, and a run's refusal on Messenger did not say it was about the buttons.
// Publishing refuses only what no connected channel could send, saying what each takes; the send
// checks the channel it goes out on, before Meta is asked. Registered by button-text-limits.test.ts
// and .pg.test.ts.

export function buttonTextLimitsSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });

  const x = (n: number) => 'x'.repeat(n);
  const admin = () => w.server.api(w.server.adminToken);
  const withButtons = (text: string) => [{ id: 'ask', type: 'send_message', config: { kind: 'buttons', text, buttons: [{ title: 'Yes' }, { title: 'No' }] } }];
  const publish = (text: string) => admin().post('/workflows', { name: 'Ask', trigger: { type: 'manual' }, steps: withButtons(text), status: 'published' });
  const disconnect = async (id: string) => expect((await admin().del(`/channels/${id}`)).status).toBe(204);

  it('with only a Facebook Page connected, 1,500 characters publish and reach Messenger whole as quick replies; 2,001 are refused at publish', async () => {
    await disconnect(w.whatsappId);
    await w.deliver(messengerText({ psid: '4871203918', text: 'Hi' }));
    const { contact } = await conversationOf(w.server, 'q=3918');
    const run = await w.fire(await w.tagWorkflow(withButtons(x(1500))), contact.id);
    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(w.graph.sent).toHaveLength(1);
    expect(w.graph.sent[0]!.body.message).toMatchObject({ text: x(1500), quick_replies: [{ content_type: 'text', title: 'Yes' }, { content_type: 'text', title: 'No' }] });

    const refused = await publish(x(2001));
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toContainEqual({
      path: 'body.steps.0.config.text', message: 'Messenger messages with reply buttons (quick replies) can be at most 2,000 characters (step 1 ("ask") has 2,001): shorten it',
    });
  });

  it('on Messenger, a text its variables make too long fails the step naming the quick replies, before Meta is asked', async () => {
    await w.deliver(messengerText({ psid: '4871203918', text: 'Hi' }));
    const { contact } = await conversationOf(w.server, 'q=3918');
    // 1,990 with its variables empty; the contact's placeholder name makes it longer when sent.
    const run = await w.fire(await w.tagWorkflow(withButtons(`${x(1990)}${' {{$contact.firstName}}'.repeat(5)}`)), contact.id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^Not sent: Messenger messages with reply buttons \(quick replies\) can be at most 2,000 characters \(this one has 2,\d{3}\): shorten it$/);
    expect(w.graph.sent).toEqual([]);
  });

  it('with both connected, 1,500 characters publish and WhatsApp fails the step saying its 1,024; 2,001 are refused naming both', async () => {
    await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi' }));
    const { contact } = await conversationOf(w.server, 'phone=%2B14155550123');
    const run = await w.fire(await w.tagWorkflow(withButtons(x(1500))), contact.id);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('Not sent: WhatsApp reply-button messages can be at most 1,024 characters (this one has 1,500): shorten it');
    expect(w.graph.sent).toEqual([]);

    const refused = await publish(x(2001));
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toContainEqual({
      path: 'body.steps.0.config.text',
      message: 'Messages with reply buttons can be at most 1,024 characters on WhatsApp and 2,000 on Messenger (quick replies) (step 1 ("ask") has 2,001): no channel could send it; shorten it',
    });
  });

  it('with only a WhatsApp number connected, 1,025 characters are refused at publish in the words of the send', async () => {
    await disconnect(w.messengerId);
    const refused = await publish(x(1025));
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toContainEqual({
      path: 'body.steps.0.config.text', message: 'WhatsApp reply-button messages can be at most 1,024 characters (step 1 ("ask") has 1,025): shorten it',
    });
    expect((await publish(x(1024))).status).toBe(201);
  });
}
