import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from './support';

let w: ChannelWorld;
beforeEach(async () => { w = await startChannelWorld({}); });
afterEach(async () => { await w.close(); });

// A "Not sent: …" line stored by an older release may quote a workspace credential no pattern
// recognises (here a webhook URL's token): the inbox's history of earlier conversations must
// show it masked, as the thread of that conversation does.
it('masks stored delivery errors in the contact\'s earlier conversations as in the thread', async () => {
  const admin = w.server.api(w.server.adminToken);
  const hook = await admin.post('/workflows', { name: 'Hook', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' } }, steps: [{ id: 'n', type: 'add_comment', config: { text: 'x' } }] });
  expect(hook.status).toBe(201);
  const urlToken = String(hook.body.trigger.url).split('/').pop()!;
  expect((await w.deliver(whatsappPlainMessage({ waId: '14155550999', text: 'Hello', phoneNumberId: WA.phoneNumberId }))).status).toBe(200);
  const { contact, conversation } = await conversationOf(w.server, 'q=14155550999');
  const messageId = conversation.messages[0].id as string;
  await sql`update messages set delivery_status = 'failed', delivery_error = ${`Not sent: proxy said upstream ${urlToken} refused`} where id = ${messageId}`.execute(w.server.store.db);

  const direct = await admin.get(`/conversations/${conversation.id}`);
  expect(JSON.stringify(direct.body)).not.toContain(urlToken);
  expect((await admin.post(`/conversations/${conversation.id}/close`, {})).status).toBe(200);
  const opened = await admin.post('/conversations', { contactId: contact.id });
  expect(opened.status).toBe(201);

  const withHistory = await admin.get(`/conversations/${opened.body.id}?history=true`);
  expect(withHistory.status).toBe(200);
  const earlier = withHistory.body.history.conversations.find((c: { id: string }) => c.id === conversation.id);
  const line = earlier.messages.find((m: { id: string }) => m.id === messageId);
  expect(line.delivery.error).toContain('Not sent: proxy said upstream');
  expect(line.delivery.error).toContain('[redacted]');
  expect(JSON.stringify(withHistory.body.history)).not.toContain(urlToken);
});
