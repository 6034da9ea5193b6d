import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messengerText, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// A Send message's buttons where WhatsApp's reply buttons cannot hold them (more than 3, or a title
// past 20 characters) go as a list message (up to 10 rows of 24), as respond.io sends them; before,
// the workflow could not even be saved. Characters are counted as Meta counts them, an emoji one:
// before, "👍🏽👍🏽👍🏽👍🏽👍🏽 Excellent!" (16 characters) was refused as a 21-character title (zod counts
// code points, the tone is one), and a reply of 1,500 emoji as a 3,000-character Messenger message
// (String#length counts UTF-16 units). The Graph stand-in checks each interactive
// and quick-reply shape as Meta's pages give it (test/support/graph-standin.ts).

describe('reply buttons that do not fit WhatsApp go as a list; characters counted as Meta counts them', () => {
  let w: ChannelWorld;
  beforeEach(async () => { w = await startChannelWorld(); });
  afterEach(async () => { await w.close(); });

  const admin = () => w.server.api(w.server.adminToken);
  const send = (text: string, titles: string[]) => [{ id: 'offer', type: 'send_message', config: { kind: 'buttons', text, buttons: titles.map((title) => ({ title })) } }];
  const onWhatsApp = async () => {
    await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi' }));
    return conversationOf(w.server, 'phone=%2B14155550123');
  };
  const onMessenger = async () => {
    await w.deliver(messengerText({ psid: '4871203918', text: 'Hi' }));
    return conversationOf(w.server, 'q=3918');
  };
  const lastText = async (conversationId: string) => ((await admin().get(`/conversations/${conversationId}`)).body.messages as { text: string }[]).at(-1)!.text;

  it('five choices, one of 22 characters, reach WhatsApp as a list message with five rows, and the step says why', async () => {
    const { contact, conversation } = await onWhatsApp();
    const titles = ['Monday morning', 'Monday afternoon', 'Tuesday, any time', 'Wednesday after 5 pm', 'Next week, any weekday'];
    const run = await w.fire(await w.tagWorkflow(send('When should we call?', titles)), contact.id);
    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(w.graph.sent).toHaveLength(1);
    const interactive = w.graph.sent[0]!.body.interactive;
    expect(interactive).toMatchObject({ type: 'list', body: { text: 'When should we call?' }, action: { button: 'Choose' } });
    expect(interactive.action.sections[0].rows.map((r: { title: string }) => r.title)).toEqual(titles);
    expect(run.stepLog[0].notes.join(' ')).toMatch(/WhatsApp reply buttons hold at most 3 \(this message has 5\): sent as a list message/);
    expect(await lastText(conversation.id)).toBe(`When should we call?\n[Choose]\n${titles.map((t) => `- ${t}`).join('\n')}`);
  });

  it('three short choices stay reply buttons; an emoji with its skin tone counts as one character in a title', async () => {
    const { contact } = await onWhatsApp();
    const titles = ['👍🏽👍🏽👍🏽👍🏽👍🏽 Excellent!', '👌🏽 Fine', '👎🏽 Poor'];
    const run = await w.fire(await w.tagWorkflow(send('How was your visit?', titles)), contact.id);
    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(w.graph.sent[0]!.body.interactive).toMatchObject({ type: 'button', action: { buttons: titles.map((title) => ({ type: 'reply', reply: { title } })) } });
  });

  it('eleven choices, or a title of 25 characters, are refused when the workflow is saved, naming the limit', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `Option ${i + 1}`);
    const tooMany = await admin().post('/workflows', { name: 'Many', trigger: { type: 'manual' }, steps: send('Pick one', eleven) });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.details).toContainEqual({ path: 'body.steps.0.config.buttons', message: 'At most 10 buttons (more than 3 go as a WhatsApp list)' });
    const long = await admin().post('/workflows', { name: 'Long', trigger: { type: 'manual' }, steps: send('Pick one', ['Delivery to a pickup point']) });
    expect(long.status).toBe(422);
    expect(long.body.error.details).toContainEqual({ path: 'body.steps.0.config.buttons.0.title', message: 'A button title has at most 24 characters' });
  });

  it('on Messenger, ten choices go as quick replies, and a title past 20 characters goes too, the step saying Messenger shows it cut', async () => {
    const { contact } = await onMessenger();
    const titles = ['Delivery to my door', 'Pickup at the store', 'Locker near my office', ...Array.from({ length: 7 }, (_, i) => `Other ${i + 1}`)];
    const run = await w.fire(await w.tagWorkflow(send('How do you want it?', titles)), contact.id);
    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(w.graph.sent[0]!.body.message.quick_replies.map((q: { title: string }) => q.title)).toEqual(titles);
    expect(run.stepLog[0].notes.join(' ')).toMatch(/Messenger quick replies have titles of at most 20 characters \("Locker near my office" has 21\): Messenger shows it cut/);
  });

  it('a reply of 1,500 emoji goes out on Messenger (2,000 characters), and 700 emoji above WhatsApp reply buttons (1,024)', async () => {
    const { conversation } = await onMessenger();
    const reply = await admin().post(`/conversations/${conversation.id}/messages`, { text: '🎉'.repeat(1500) });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(w.graph.sent.at(-1)!.body.message.text).toBe('🎉'.repeat(1500));
    const over = await admin().post(`/conversations/${conversation.id}/messages`, { text: '🎉'.repeat(2001) });
    expect(over.status).toBe(422);
    expect(over.body.error.message).toMatch(/Messenger messages can be at most 2,000 characters \(yours has 2,001\)/);

    const { contact } = await onWhatsApp();
    const run = await w.fire(await w.tagWorkflow(send('🎉'.repeat(700), ['Thanks', 'Stop'])), contact.id);
    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(w.graph.sent.at(-1)!.body.interactive).toMatchObject({ type: 'button', body: { text: '🎉'.repeat(700) } });
  });
});
