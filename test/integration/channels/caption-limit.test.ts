import { afterEach, beforeEach, expect, it } from 'vitest';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// A WhatsApp media message's caption is at most 1,024 characters (a text message's body 4,096):
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/image-messages/
// A Send message step with a longer caption fails saying so, before anything goes to Meta.

let w: ChannelWorld;
beforeEach(async () => { w = await startChannelWorld(); });
afterEach(async () => { await w.close(); });

it('a WhatsApp image whose caption is over 1,024 characters is refused in words, and one of 1,024 goes out', async () => {
  expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Can I see the menu?', name: 'Ana Lima' }))).status).toBe(200);
  const { contact } = await conversationOf(w.server, `phone=${encodeURIComponent('+14155550123')}`);
  const media = { type: 'image', url: 'https://cdn.example.com/menu.jpg' };

  const long = await w.tagWorkflow([{ id: 'menu', type: 'send_message', config: { kind: 'media', text: 'é'.repeat(1100), media } }]);
  const refused = await w.fire(long, contact.id);
  expect(refused.status).toBe('failed');
  expect(refused.stepLog[0].error).toBe('Not sent: WhatsApp captions can be at most 1,024 characters (this one has 1,100)');
  expect(w.graph.requests.filter((r) => r.path.endsWith('/messages'))).toHaveLength(0);

  const fits = await w.tagWorkflow([{ id: 'menu', type: 'send_message', config: { kind: 'media', text: 'é'.repeat(1024), media } }]);
  expect((await w.fire(fits, contact.id)).status).toBe('completed');
  expect(w.graph.sent.at(-1)!.body.image.caption).toHaveLength(1024);
});
