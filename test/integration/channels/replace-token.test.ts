import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Channel, ChannelList } from '../../../lib/contracts/channels';
import { graphTiming } from '../../../server/channels/graph';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { graphErrors } from '../../support/graph-standin';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from './support';

// A channel's token stops working (Meta's temporary token lasts a day, a user token ~60 days):
// the channel says so, and a new token goes in without detaching its conversations.

let w: ChannelWorld;
beforeEach(async () => { graphTiming.baseDelayMs = 5; w = await startChannelWorld(); });
afterEach(async () => { await w.close(); graphTiming.baseDelayMs = 500; });

const admin = () => w.server.api(w.server.adminToken);
const channel = async () => ChannelList.parse((await admin().get('/channels')).body).channels.find((c) => c.id === w.whatsappId)!;
const NEW_TOKEN = 'EAAGnewToken9876QRST';

async function customerWrites() {
  expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Where is my order?', name: 'Ana Lima' }))).status).toBe(200);
  return conversationOf(w.server, `phone=${encodeURIComponent('+14155550123')}`);
}

describe('replacing a WhatsApp channel’s access token', () => {
  it('an expired token marks the channel; a new one (checked with Meta) fixes it and the same conversations send again', async () => {
    const { contact, conversation } = await customerWrites();
    const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'It ships today' } }]);

    w.graph.expireToken(WA.token);
    const failed = await w.fire(wf, contact.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^Meta did not accept the message: Meta no longer accepts this channel's access token \(Meta error 190.*Session has expired.*\)\. Paste a new one: Channels → Replace token\.$/);
    expect(await channel()).toMatchObject({ status: 'error', lastError: expect.stringMatching(/Session has expired.*Replace token/) });

    // A token Meta refuses is not saved: 422 on the token field, the channel as it was.
    const wrong = await admin().patch(`/channels/${w.whatsappId}`, { accessToken: 'EAAGwrongToken0000' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ code: 'channel_verification_failed', details: [{ path: 'body.accessToken', message: expect.stringMatching(/190/) }] });
    expect(await channel()).toMatchObject({ status: 'error', tokenLastFour: expect.stringMatching(/WXYZ$/) });

    // The admin makes a new token in Meta's Business settings and pastes it.
    w.graph.addPhoneNumber({ id: WA.phoneNumberId, token: NEW_TOKEN });
    const fixed = await admin().patch(`/channels/${w.whatsappId}`, { accessToken: NEW_TOKEN });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(Channel.parse(fixed.body)).toMatchObject({ id: w.whatsappId, status: 'active', lastError: null, tokenLastFour: expect.stringMatching(/QRST$/), displayName: expect.stringContaining('Acme Support') });
    expect(JSON.stringify(fixed.body)).not.toContain(NEW_TOKEN);

    // The conversation is still the WhatsApp one, and the next send goes out with the new token.
    expect((await admin().get(`/conversations/${conversation.id}`)).body.connectionId).toBe(w.whatsappId);
    const ok = await w.fire(wf, contact.id);
    expect(ok.status, ok.error ?? '').toBe('completed');
    expect(w.graph.sent.map((s) => [s.token, s.body.text.body])).toEqual([[NEW_TOKEN, 'It ships today']]);
  });

  it('a permission refusal marks the channel until a send goes through again', async () => {
    const { contact } = await customerWrites();
    const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Hello' } }]);
    w.graph.failNext(graphErrors.permissionDenied());
    expect((await w.fire(wf, contact.id)).status).toBe('failed');
    expect(await channel()).toMatchObject({ status: 'error', lastError: expect.stringMatching(/^This channel's access token lacks a permission Meta requires \(Meta error 10/) });
    // The permission is granted back in Meta: the next send works and the mark goes.
    expect((await w.fire(wf, contact.id)).status).toBe('completed');
    expect(await channel()).toMatchObject({ status: 'active', lastError: null });
  });

  it('renames without calling Meta; an empty or unknown update is a clear 4xx', async () => {
    const before = w.graph.requests.length;
    const renamed = await admin().patch(`/channels/${w.whatsappId}`, { name: 'Sales line' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Sales line', status: 'active' });
    expect(w.graph.requests.length).toBe(before);

    const empty = await admin().patch(`/channels/${w.whatsappId}`, {});
    expect(empty.status).toBe(422);
    expect(JSON.stringify(empty.body)).toMatch(/Send a new name, or a new token in accessToken/);
    expect((await admin().patch('/channels/chn_missing', { name: 'x' })).status).toBe(404);
    expect((await admin().patch(`/channels/${w.whatsappId}`, { accessToken: 'short' })).status).toBe(422);
    const { token } = await w.server.createUser('agent');
    expect((await w.server.api(token).patch(`/channels/${w.whatsappId}`, { name: 'Mine' })).status).toBe(403);
  });

  it('connecting the same number again says to replace the token instead', async () => {
    const again = await admin().post('/channels', { kind: 'whatsapp', name: 'Again', phoneNumberId: WA.phoneNumberId, businessAccountId: WA.businessAccountId, accessToken: NEW_TOKEN });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already connected; to give it a new token, use Replace token/);
  });
});
