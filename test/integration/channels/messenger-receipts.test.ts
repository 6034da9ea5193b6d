import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messengerText } from '../../fixtures/meta/payloads';
import { conversationOf, PAGE, startChannelWorld, type ChannelWorld } from './support';

// Messenger receipts by watermark: "all messages that were sent before this timestamp were
// delivered" (message_deliveries, where `mids` may be missing) and "… before or at this timestamp
// were read" (message_reads).
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-deliveries
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-reads

let w: ChannelWorld;
beforeEach(async () => { w = await startChannelWorld(); });
afterEach(async () => { await w.close(); });

const LENA = '7200000000001';
const OMAR = '7200000000002';
const receipt = (psid: string, event: { delivery: { watermark: number; mids?: string[] } } | { read: { watermark: number } }) => ({
  object: 'page', entry: [{ id: PAGE.pageId, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: PAGE.pageId }, timestamp: Date.now(), ...event }] }],
});

async function thread(psid: string) {
  expect((await w.deliver(messengerText({ psid, text: 'Hi' }))).status).toBe(200);
  return (await conversationOf(w.server, `q=${psid.slice(-4)}`)).conversation.id as string;
}
async function reply(token: string, conversationId: string, text: string) {
  const res = await w.server.api(token).post(`/conversations/${conversationId}/messages`, { text });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.delivery.status).toBe('accepted');
}
async function statuses(conversationId: string) {
  const c = (await w.server.api(w.server.adminToken).get(`/conversations/${conversationId}`)).body;
  return Object.fromEntries(c.messages.filter((m: { direction: string }) => m.direction === 'outgoing').map((m: { text: string; delivery: { status: string } }) => [m.text, m.delivery.status]));
}
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('Messenger delivery and read watermarks', () => {
  it('mark the Page’s earlier messages to that person, not later ones and not another person’s', async () => {
    const { token } = await w.server.createUser('agent');
    const lena = await thread(LENA);
    const omar = await thread(OMAR);
    await reply(token, lena, 'one');
    await reply(token, lena, 'two');
    await reply(token, omar, 'for Omar');
    await tick();
    const deliveredUntil = Date.now();
    await tick();
    await reply(token, lena, 'three');

    // No mids (older Messenger clients): the watermark alone.
    const delivered = await w.deliver(receipt(LENA, { delivery: { watermark: deliveredUntil } }));
    expect(delivered.body).toMatchObject({ received: 1, skipped: 0 });
    expect(await statuses(lena)).toEqual({ one: 'delivered', two: 'delivered', three: 'accepted' });
    expect(await statuses(omar)).toEqual({ 'for Omar': 'accepted' });

    await tick();
    expect((await w.deliver(receipt(LENA, { read: { watermark: Date.now() } }))).body).toMatchObject({ received: 1 });
    expect(await statuses(lena)).toEqual({ one: 'read', two: 'read', three: 'read' });
    expect(await statuses(omar)).toEqual({ 'for Omar': 'accepted' });

    // A late delivery receipt never moves a read message back; one for a stranger changes nothing.
    expect((await w.deliver(receipt(LENA, { delivery: { watermark: Date.now() } }))).body).toMatchObject({ received: 0, skipped: 1 });
    expect((await w.deliver(receipt('7299999999999', { read: { watermark: Date.now() } }))).body).toMatchObject({ received: 0, skipped: 1 });
    expect(await statuses(lena)).toEqual({ one: 'read', two: 'read', three: 'read' });
    expect(await statuses(omar)).toEqual({ 'for Omar': 'accepted' });
  });
});
