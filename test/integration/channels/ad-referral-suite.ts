import { afterEach, beforeEach, expect, it } from 'vitest';
import { messengerAdReferral, messengerText, whatsappAdMessage, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { waitForRun } from '../webhooks/support';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// What Meta says about the ad a customer came from (Click-to-WhatsApp `referral`, Click-to-Messenger
// `referral.ads_context_data`): kept on the message, on the conversation it opened, shown to
// Click-to-Chat runs as `$trigger.*` and to every run on the conversation as `$conversation.adReferral.*`.

const waAd = { adAccountId: 'act_1', adId: '120210000000001', name: 'Summer sale (Ads Manager)', channel: 'whatsapp_cloud_api', status: 'ACTIVE', objective: 'OUTCOME_ENGAGEMENT', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP' };
const fbAd = { ...waAd, adId: '120210000000002', name: 'Messenger promo', channel: 'messenger', destinationType: 'MESSENGER' };

/** On SQLite (`databaseUrl` undefined) or PostgreSQL. */
export function adReferralSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });
  const admin = () => w.server.api(w.server.adminToken);

  async function publish(body: Record<string, unknown>): Promise<string> {
    const wf = await admin().post('/workflows', body);
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const pub = await admin().post(`/workflows/${wf.body.id}/publish`);
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    return wf.body.id as string;
  }
  const commentOf = async (runId: string) => {
    const run = await waitForRun(w.server, runId);
    expect(run.status, JSON.stringify(run)).toBe('completed');
    const conversation = (await admin().get(`/conversations/${run.conversationId}`)).body;
    return conversation.messages.filter((m: { kind: string }) => m.kind === 'comment').map((m: { text: string }) => m.text);
  };

  it('a Click-to-WhatsApp lead: the referral is a trigger variable, kept on the message and on the conversation it opened', async () => {
    expect((await admin().post('/ads', waAd)).status).toBe(201);
    await publish({
      name: 'Greet ad leads', trigger: { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds: [waAd.adId] },
      steps: [{ id: 'note', type: 'add_comment', config: { text: '{{$trigger.adName}} | {{$trigger.headline}} | {{$trigger.body}} | {{$trigger.sourceUrl}} | {{$trigger.sourceId}} | {{$trigger.sourceType}} | {{$trigger.mediaType}} | {{$trigger.imageUrl}} | {{$trigger.thumbnailUrl}} | {{$trigger.ctwaClid}} | {{$trigger.channel}}' } }],
    });
    const res = await w.deliver(whatsappAdMessage({ waId: '16505551234', adId: waAd.adId, text: 'Is the sale still on?', ctwaClid: 'clid-42' }));
    expect(res.body.runIds).toHaveLength(1);
    expect(await commentOf(res.body.runIds[0])).toEqual([
      'Summer sale (Ads Manager) | Chat with us | Summer sale: message us for a discount | https://fb.me/2ZnNTUq9D | 120210000000001 | ad | image'
      + ' | https://scontent.xx.fbcdn.net/v/t45.1600-4/image.png | https://scontent.xx.fbcdn.net/v/t45.1600-4/thumb.png | clid-42 | whatsapp',
    ]);
    const { conversation } = await conversationOf(w.server, 'phone=%2B16505551234');
    const referral = {
      channel: 'whatsapp', adId: waAd.adId, adName: 'Summer sale (Ads Manager)', headline: 'Chat with us', body: 'Summer sale: message us for a discount',
      sourceUrl: 'https://fb.me/2ZnNTUq9D', sourceType: 'ad', mediaType: 'image', imageUrl: 'https://scontent.xx.fbcdn.net/v/t45.1600-4/image.png', videoUrl: null,
      thumbnailUrl: 'https://scontent.xx.fbcdn.net/v/t45.1600-4/thumb.png', ctwaClid: 'clid-42', ref: null, postId: null, productId: null,
    };
    expect(conversation.adReferral).toEqual(referral);
    const incoming = conversation.messages.find((m: { direction: string }) => m.direction === 'incoming');
    expect(incoming.data).toEqual({ type: 'ad_referral', ...referral });
    // The list shows it too (an n8n flow polling conversations).
    const list = await admin().get(`/conversations?contactId=${conversation.contactId}`);
    expect(list.body.conversations[0].adReferral).toEqual(referral);
  });

  it('a Conversation Opened workflow for click_to_chat_ads reads which ad opened the conversation; an ad not in the catalog is named by its headline', async () => {
    await publish({
      name: 'Ad opened', trigger: { type: 'conversation_opened', conditions: { logic: 'and', rules: [{ field: 'source', operator: 'is', value: 'click_to_chat_ads' }] } },
      steps: [{ id: 'note', type: 'add_comment', config: { text: 'From {{$conversation.adReferral.adName}} ({{$conversation.adReferral.adId}}), clid {{$conversation.adReferral.ctwaClid}}' } }],
    });
    const res = await w.deliver(whatsappAdMessage({ waId: '16505557777', adId: '999000111', text: 'Hi', ctwaClid: 'clid-9' }));
    expect(res.body.runIds).toHaveLength(1);
    expect(await commentOf(res.body.runIds[0])).toEqual(['From Chat with us (999000111), clid clid-9']);
  });

  it('Click-to-Messenger: ref, ad_title, photo, post and product reach the run; the conversation keeps the first ad it heard of', async () => {
    expect((await admin().post('/ads', fbAd)).status).toBe(201);
    await publish({
      name: 'Messenger leads', trigger: { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds: [fbAd.adId] },
      steps: [{ id: 'note', type: 'add_comment', config: { text: '{{$trigger.adName}} | {{$trigger.headline}} | {{$trigger.ref}} | {{$trigger.imageUrl}} | {{$trigger.postId}} | {{$trigger.sourceId}} | {{$trigger.channel}}' } }],
    });
    // Written first without an ad: the conversation is the customer's, opened by them.
    await w.deliver(messengerText({ psid: '4871203918', text: 'Hello' }));
    const res = await w.deliver(messengerAdReferral({ psid: '4871203918', adId: fbAd.adId, text: 'About the promo', adTitle: 'Promo headline' }));
    expect(res.body.runIds).toHaveLength(1);
    expect(await commentOf(res.body.runIds[0])).toEqual(['Messenger promo | Promo headline | summer-sale | https://example.com/p.png | 123 | 120210000000002 | messenger']);
    const { conversation } = await conversationOf(w.server, 'limit=1');
    expect(conversation.openedBySource).toBe('contact');
    expect(conversation.adReferral).toMatchObject({ channel: 'messenger', adId: fbAd.adId, adName: 'Messenger promo', headline: 'Promo headline', ref: 'summer-sale', imageUrl: 'https://example.com/p.png', postId: '123', ctwaClid: null });
    // Another ad later: on its message, not over the first.
    await w.deliver(messengerAdReferral({ psid: '4871203918', adId: '555', text: 'And this one?', adTitle: 'Other ad' }));
    const after = (await admin().get(`/conversations/${conversation.id}`)).body;
    expect(after.adReferral.adId).toBe(fbAd.adId);
    expect(after.messages.at(-1).data).toMatchObject({ type: 'ad_referral', adId: '555', adName: 'Other ad' });
  });

  it('a message without an ad keeps no referral', async () => {
    await w.deliver(whatsappPlainMessage({ waId: '16505550000', text: 'just saying hi' }));
    const { conversation } = await conversationOf(w.server, 'phone=%2B16505550000');
    expect(conversation.adReferral).toBeNull();
    expect(conversation.messages[0].data).toBeUndefined();
  });
}
