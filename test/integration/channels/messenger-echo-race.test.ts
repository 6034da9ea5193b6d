import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConversationDetail } from '../../../lib/contracts/conversations';
import { messengerEcho, messengerText } from '../../fixtures/meta/payloads';
import { APP_SECRET, conversationOf, startChannelWorld, type ChannelWorld } from './support';

// Meta echoes every message a Page sends (message_echoes), ours included, and the echo may reach
// the webhook before the Send API's answer has given us the message's id:
// https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-echoes
// Our sends carry `message.metadata` (Send API: "Custom string that is delivered as a message
// echo", https://developers.facebook.com/docs/messenger-platform/reference/send-api/), which
// names them as ours whenever their echo comes.

let w: ChannelWorld;
beforeEach(async () => {
  w = await startChannelWorld();
  w.graph.messengerEchoes({ webhookUrl: `${w.server.url}/meta/webhook`, appSecret: APP_SECRET, beforeAnswer: true });
});
afterEach(async () => { await w.close(); });

const thread = async (id: string) => ConversationDetail.parse((await w.server.api(w.server.adminToken).get(`/conversations/${id}`)).body).messages
  .filter((m) => m.kind === 'message').map((m) => `${m.direction}:${m.text}`);

it('an agent’s reply whose echo comes before Meta’s answer is in the thread once; a message sent from the Page’s own inbox still shows', async () => {
  expect((await w.deliver(messengerText({ psid: '4871203918', text: 'Do you ship to Lisbon?' }))).status).toBe(200);
  const { conversation } = await conversationOf(w.server, 'q=3918');
  const agent = w.server.api((await w.server.createUser('agent')).token);
  const reply = await agent.post(`/conversations/${conversation.id}/messages`, { text: 'Yes, in 3 days' });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  expect(reply.body.delivery).toMatchObject({ status: 'accepted', externalId: w.graph.sent[0]!.id });
  expect(await thread(conversation.id)).toEqual(['incoming:Do you ship to Lisbon?', 'outgoing:Yes, in 3 days']);

  // Written in Meta Business Suite by a colleague: its echo names no message of ours.
  expect((await w.deliver(messengerEcho({ psid: '4871203918', text: 'Tracking link follows' }))).status).toBe(200);
  expect(await thread(conversation.id)).toEqual(['incoming:Do you ship to Lisbon?', 'outgoing:Yes, in 3 days', 'outgoing:Tracking link follows']);
});

it('a workflow’s image with a caption (two Send API calls, two echoes before the answers) is one message each', async () => {
  expect((await w.deliver(messengerText({ psid: '4871203918', text: 'Send me the menu' }))).status).toBe(200);
  const { contact, conversation } = await conversationOf(w.server, 'q=3918');
  const wf = await w.tagWorkflow([{ id: 'menu', type: 'send_message', config: { kind: 'media', text: 'Today’s menu', media: { type: 'image', url: 'https://cdn.example.com/menu.jpg' } } }]);
  const run = await w.fire(wf, contact.id);
  expect(run.status, JSON.stringify(run.stepLog ?? run)).toBe('completed');
  expect(w.graph.sent).toHaveLength(2);
  const outgoing = (await thread(conversation.id)).filter((m) => m.startsWith('outgoing:'));
  expect(outgoing).toHaveLength(2);
});
