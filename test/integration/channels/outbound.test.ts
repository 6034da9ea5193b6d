import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messengerText, whatsappPlainMessage, whatsappStatus } from '../../fixtures/meta/payloads';
import { graphErrors } from '../../support/graph-standin';
import { graphTiming } from '../../../server/channels/graph';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from './support';

let w: ChannelWorld;
beforeEach(async () => { graphTiming.baseDelayMs = 5; w = await startChannelWorld(); });
afterEach(async () => { await w.close(); graphTiming.baseDelayMs = 500; });

const customerWrites = async (waId = '14155550123', text = 'Hi, where is my order?') => {
  expect((await w.deliver(whatsappPlainMessage({ waId, text, name: 'Ana Lima' }))).status).toBe(200);
  return conversationOf(w.server, `phone=${encodeURIComponent(`+${waId}`)}`);
};
/** The customer's messages were sent `hours` ago (by Meta's clock, sent_at, and ours). */
const ageIncoming = (hours: number, at = new Date(Date.now() - hours * 3600_000).toISOString()) => w.server.store.db.updateTable('messages')
  .set({ created_at: at, sent_at: at }).where('direction', '=', 'incoming').execute();

describe('send_message on a WhatsApp conversation', () => {
  it('delivers text through the Graph API once, keeps Meta’s id, and status webhooks move it forward only', async () => {
    const { contact, conversation } = await customerWrites();
    expect(conversation.connectionId).toBe(w.whatsappId);
    expect(conversation.channel).toMatchObject({ kind: 'whatsapp', open: true });
    const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Hi {{$contact.firstName}}, it ships today' } }]);
    const run = await w.fire(wf, contact.id);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(w.graph.sent).toHaveLength(1);
    const sent = w.graph.sent[0]!;
    expect(sent.token).toBe(WA.token);
    expect(sent.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '14155550123', type: 'text', text: { preview_url: false, body: 'Hi Ana, it ships today' } });
    const step = run.stepLog.find((s: { stepId: string }) => s.stepId === 'say');
    expect(step.output.delivery).toEqual({ status: 'accepted', externalId: sent.id, error: null });

    const status = async (s: 'sent' | 'delivered' | 'read') => w.deliver(whatsappStatus({ wamid: sent.id, status: s, recipient: '14155550123' }));
    await status('read');
    await status('delivered'); // late and out of order: read stays
    const admin = w.server.api(w.server.adminToken);
    const after = (await admin.get(`/conversations/${conversation.id}`)).body;
    const out = after.messages.find((m: { direction: string }) => m.direction === 'outgoing');
    expect(out.text).toBe('Hi Ana, it ships today');
    expect(out.delivery).toMatchObject({ status: 'read', externalId: sent.id, error: null });
  });

  it('sends media by link with caption, reply buttons and an approved template with parameters', async () => {
    const { contact } = await customerWrites();
    const wf = await w.tagWorkflow([
      { id: 'img', type: 'send_message', config: { kind: 'media', media: { type: 'image', url: 'https://cdn.example.com/{{$contact.firstName}}.jpg' }, text: 'Your order' } },
      { id: 'doc', type: 'send_message', config: { kind: 'media', media: { type: 'document', url: 'https://cdn.example.com/invoice.pdf', filename: 'invoice.pdf' } } },
      { id: 'ask', type: 'send_message', config: { kind: 'buttons', text: 'Was it helpful?', buttons: [{ title: 'Yes', payload: 'YES' }, { title: 'No' }] } },
      { id: 'tpl', type: 'send_message', config: { kind: 'template', template: { name: 'order_update', language: 'pt_BR', parameters: ['{{$contact.firstName}}', '42'] } } },
      { id: 'named', type: 'send_message', config: { kind: 'template', template: { name: 'order_confirmation', language: 'en_US', parameters: ['{{$contact.firstName}}', 'A-7'], parameterNames: ['customer_name', 'order_number'] } } },
    ]);
    const run = await w.fire(wf, contact.id);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(w.graph.sent.map((s) => s.body)).toEqual([
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: '14155550123', type: 'image', image: { link: 'https://cdn.example.com/Ana.jpg', caption: 'Your order' } },
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: '14155550123', type: 'document', document: { link: 'https://cdn.example.com/invoice.pdf', filename: 'invoice.pdf' } },
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: '14155550123', type: 'interactive', interactive: { type: 'button', body: { text: 'Was it helpful?' }, action: { buttons: [{ type: 'reply', reply: { id: 'YES', title: 'Yes' } }, { type: 'reply', reply: { id: 'button_2', title: 'No' } }] } } },
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: '14155550123', type: 'template', template: { name: 'order_update', language: { code: 'pt_BR' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '42' }] }] } },
      // Named parameters: Meta's parameter_name (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components).
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: '14155550123', type: 'template', template: { name: 'order_confirmation', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'customer_name', text: 'Ana' }, { type: 'text', parameter_name: 'order_number', text: 'A-7' }] }] } },
    ]);
  });

  it('sends a template\'s header (a text parameter, named or not, or an image by link) and button values; a header link Meta cannot fetch fails before any call', async () => {
    const { contact } = await customerWrites();
    const wf = await w.tagWorkflow([
      { id: 'img', type: 'send_message', config: { kind: 'template', template: { name: 'reservation_confirmation', language: 'en_US', parameters: ['4'], parameterNames: ['number_of_guests'], header: { type: 'image', url: 'https://cdn.example.com/{{$contact.firstName}}.jpg' } } } },
      { id: 'txt', type: 'send_message', config: { kind: 'template', template: { name: 'shipped', language: 'en_US', parameters: ['Z-9'], header: { type: 'text', text: 'for {{$contact.firstName}}' } } } },
      { id: 'named', type: 'send_message', config: { kind: 'template', template: { name: 'sale', language: 'en_US', parameters: [], header: { type: 'text', text: 'Spring', parameterName: 'sale_name' } } } },
      { id: 'btns', type: 'send_message', config: { kind: 'template', template: { name: 'track', language: 'en_US', parameters: [], buttons: [{ index: 0, type: 'url', value: 'order/{{$contact.firstName}}' }, { index: 1, type: 'copy_code', value: 'SPRING10' }] } } },
    ]);
    const run = await w.fire(wf, contact.id);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    // Header, then body: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components
    expect(w.graph.sent.map((s) => s.body.template.components)).toEqual([
      [{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/Ana.jpg' } }] }, { type: 'body', parameters: [{ type: 'text', parameter_name: 'number_of_guests', text: '4' }] }],
      [{ type: 'header', parameters: [{ type: 'text', text: 'for Ana' }] }, { type: 'body', parameters: [{ type: 'text', text: 'Z-9' }] }],
      [{ type: 'header', parameters: [{ type: 'text', parameter_name: 'sale_name', text: 'Spring' }] }],
      // Button parameters: a link's suffix as text, a copy-code button's coupon_code.
      [
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'order/Ana' }] },
        { type: 'button', sub_type: 'copy_code', index: '1', parameters: [{ type: 'coupon_code', coupon_code: 'SPRING10' }] },
      ],
    ]);

    const bad = await w.tagWorkflow([{ id: 'img', type: 'send_message', config: { kind: 'template', template: { name: 'reservation_confirmation', language: 'en_US', parameters: [], header: { type: 'document', url: 'http://intranet/{{$contact.firstName}}.pdf' } } } }]);
    const failed = await w.fire(bad, contact.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('Cannot send template reservation_confirmation: its header document link "http://intranet/Ana.pdf" is not an https:// URL Meta can fetch');
    expect(w.graph.sent.filter((s) => JSON.stringify(s.body).includes('intranet'))).toEqual([]);
  });

  it('sends a location header\'s place (its map); coordinates that do not render as numbers fail before any call', async () => {
    const { contact } = await customerWrites();
    const wf = await w.tagWorkflow([{ id: 'map', type: 'send_message', config: { kind: 'template', template: {
      name: 'order_delivery_update', language: 'en_US', parameters: ['A-7'], parameterNames: ['order_number'],
      header: { type: 'location', latitude: '37.483307', longitude: '-122.148981', name: 'Pickup for {{$contact.firstName}}', address: '1 Hacker Way, Menlo Park, CA 94025' },
    } } }]);
    const run = await w.fire(wf, contact.id);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/utility-templates/location-templates/
    expect(w.graph.sent.map((s) => s.body.template.components)).toEqual([[
      { type: 'header', parameters: [{ type: 'location', location: { latitude: '37.483307', longitude: '-122.148981', name: 'Pickup for Ana', address: '1 Hacker Way, Menlo Park, CA 94025' } }] },
      { type: 'body', parameters: [{ type: 'text', parameter_name: 'order_number', text: 'A-7' }] },
    ]]);

    // A contact field the workflow reads the place from (defined: publishing checks it), left empty for this contact.
    expect((await w.server.api(w.server.adminToken).put('/fields/store_lat', { label: 'Store latitude', type: 'text' })).status).toBe(200);
    const fromField = await w.tagWorkflow([{ id: 'map', type: 'send_message', config: { kind: 'template', template: {
      name: 'order_delivery_update', language: 'en_US', parameters: [], header: { type: 'location', latitude: '{{$contact.fields.store_lat}}', longitude: '2.35' },
    } } }]);
    const failed = await w.fire(fromField, contact.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('Cannot send template order_delivery_update: its header location\'s latitude "" is not a number of degrees from -90 to 90');
    expect(w.graph.sent.filter((s) => JSON.stringify(s.body).includes('2.35'))).toEqual([]);

    // Literal coordinates are checked when the workflow is saved.
    const saved = await w.server.api(w.server.adminToken).post('/workflows', {
      name: 'Bad map', trigger: { type: 'manual' },
      steps: [{ id: 'map', type: 'send_message', config: { kind: 'template', template: { name: 'x', language: 'en_US', parameters: [], header: { type: 'location', latitude: '97.1', longitude: 'east' } } } }],
    });
    expect(saved.status).toBe(422);
    expect(JSON.stringify(saved.body)).toContain('The latitude is a number of degrees from -90 to 90');
    expect(JSON.stringify(saved.body)).toContain('The longitude is a number of degrees from -180 to 180');
  });

  it('an "Open the conversation" step after the agent closed it opens it again on WhatsApp: the next message reaches the customer', async () => {
    const { contact, conversation } = await customerWrites();
    const admin = w.server.api(w.server.adminToken);
    expect((await admin.post(`/conversations/${conversation.id}/close`, {})).status).toBe(200);
    const wf = await w.tagWorkflow([
      { id: 'open', type: 'open_conversation', config: {} },
      { id: 'say', type: 'send_message', config: { text: 'We are back, {{$contact.firstName}}' } },
    ]);
    const run = await w.fire(wf, contact.id);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(w.graph.sent.map((s) => s.body.text?.body)).toEqual(['We are back, Ana']);
    const reopened = (await admin.get(`/conversations?contactId=${contact.id}&status=open`)).body.conversations[0];
    expect(reopened).toMatchObject({ connectionId: w.whatsappId });
    expect(reopened.id).not.toBe(conversation.id);
  });

  it('outside the 24-hour window: fails saying why, or sends the fallback template', async () => {
    const { contact, conversation } = await customerWrites();
    await ageIncoming(25);
    const admin = w.server.api(w.server.adminToken);
    expect((await admin.get(`/conversations/${conversation.id}`)).body.channel).toMatchObject({ open: false, note: expect.stringMatching(/only an approved template/) });
    const plain = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Hello again' } }]);
    const failed = await w.fire(plain, contact.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/24-hour window is closed: WhatsApp accepts only an approved template/);
    expect(w.graph.sent).toHaveLength(0);

    const withFallback = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Hello again', fallbackTemplate: { name: 'we_miss_you', language: 'en_US', parameters: ['{{$contact.firstName}}'] } } }]);
    const ok = await w.fire(withFallback, contact.id);
    expect(ok.status, JSON.stringify(ok.stepLog)).toBe('completed');
    expect(w.graph.sent.map((s) => s.body.template?.name)).toEqual(['we_miss_you']);
    expect(ok.stepLog.find((s: { stepId: string }) => s.stepId === 'say').notes.join(' ')).toMatch(/sent the fallback template we_miss_you/);
  });

  it('retries throttling and 5xx with backoff (one message reaches Meta); a 4xx fails with Meta’s message', async () => {
    const { contact, conversation } = await customerWrites();
    const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'One' } }]);
    w.graph.failNext(graphErrors.waThroughput(), graphErrors.serverError());
    const run = await w.fire(wf, contact.id);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(w.graph.sent).toHaveLength(1);
    expect(run.stepLog.find((s: { stepId: string }) => s.stepId === 'say').notes.join(' ')).toMatch(/130429.*retrying/);

    w.graph.failNext(graphErrors.reEngagement());
    const refused = await w.fire(wf, contact.id);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/^Not sent: WhatsApp says more than 24 hours passed since the customer last wrote: add a fallback template to this step \(Meta error 131047 \(OAuthException\): \(#131047\) Re-engagement message — Message failed to send because more than 24 hours/);
    const msgs = (await w.server.api(w.server.adminToken).get(`/conversations/${conversation.id}`)).body.messages;
    expect(msgs.filter((m: { direction: string; kind: string }) => m.direction === 'outgoing' && m.kind === 'message').map((m: { delivery: { status: string } }) => m.delivery.status)).toEqual(['accepted', 'failed']);
  });

  it('a failed status webhook stores Meta’s error on the message', async () => {
    const { contact, conversation } = await customerWrites();
    const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Hi' } }]);
    await w.fire(wf, contact.id);
    await w.deliver(whatsappStatus({ wamid: w.graph.sent[0]!.id, status: 'failed', recipient: '14155550123' }));
    const out = (await w.server.api(w.server.adminToken).get(`/conversations/${conversation.id}`)).body.messages.find((m: { direction: string }) => m.direction === 'outgoing');
    expect(out.delivery.status).toBe('failed');
    expect(out.delivery.error).toMatch(/131047: Re-engagement message — Message failed to send/);
  });
});

describe('agent replies in the inbox', () => {
  it('go to the customer through the channel; outside the window the API answers 422 and nothing is sent', async () => {
    const { conversation } = await customerWrites();
    const { token } = await w.server.createUser('agent');
    const agent = w.server.api(token);
    const res = await agent.post(`/conversations/${conversation.id}/messages`, { text: 'On its way!' }, { headers: { 'idempotency-key': 'reply-1' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.delivery).toMatchObject({ status: 'accepted', externalId: w.graph.sent[0]!.id });
    // The same request retried (same Idempotency-Key) does not send twice.
    const again = await agent.post(`/conversations/${conversation.id}/messages`, { text: 'On its way!' }, { headers: { 'idempotency-key': 'reply-1' } });
    expect(again.body.id).toBe(res.body.id);
    expect(w.graph.sent.map((s) => s.body.text.body)).toEqual(['On its way!']);
    // An internal note stays internal.
    expect((await agent.post(`/conversations/${conversation.id}/messages`, { text: 'note', kind: 'comment' })).status).toBe(201);
    expect(w.graph.sent).toHaveLength(1);

    await ageIncoming(30);
    const late = await agent.post(`/conversations/${conversation.id}/messages`, { text: 'Hello?' });
    expect(late.status).toBe(422);
    expect(late.body.error.message).toMatch(/24-hour window is closed/);
    expect(w.graph.sent).toHaveLength(1);
  });
});

describe('send_message on a Messenger conversation', () => {
  it('sends text with quick replies; outside the window only with a message tag', async () => {
    expect((await w.deliver(messengerText({ psid: '4871203918', text: 'Do you ship to Lisbon?' }))).status).toBe(200);
    const { contact, conversation } = await conversationOf(w.server, 'q=3918');
    expect(conversation.connectionId).toBe(w.messengerId);
    const wf = await w.tagWorkflow([{ id: 'ask', type: 'send_message', config: { kind: 'buttons', text: 'Which size?', buttons: [{ title: 'S' }, { title: 'M', payload: 'SIZE_M' }] } }]);
    expect((await w.fire(wf, contact.id)).status).toBe('completed');
    expect(w.graph.sent[0]!.body).toEqual({ recipient: { id: '4871203918' }, messaging_type: 'RESPONSE', message: { text: 'Which size?', quick_replies: [{ content_type: 'text', title: 'S', payload: 'button_1' }, { content_type: 'text', title: 'M', payload: 'SIZE_M' }], metadata: expect.stringMatching(/^inbox-companion:msg_/) } });
    expect(w.graph.sent[0]!.accountId).toBe('682498302938465');

    await ageIncoming(48);
    const untagged = await w.fire(wf, contact.id);
    expect(untagged.status).toBe('failed');
    expect(untagged.error).toMatch(/Messenger accepts only a message with a message tag/);
    const tagged = await w.tagWorkflow([{ id: 'upd', type: 'send_message', config: { kind: 'media', media: { type: 'document', url: 'https://cdn.example.com/receipt.pdf' }, messenger: { messagingType: 'MESSAGE_TAG', tag: 'POST_PURCHASE_UPDATE' } } }]);
    expect((await w.fire(tagged, contact.id)).status).toBe('completed');
    expect(w.graph.sent[1]!.body).toEqual({ recipient: { id: '4871203918' }, messaging_type: 'MESSAGE_TAG', tag: 'POST_PURCHASE_UPDATE', message: { attachment: { type: 'file', payload: { url: 'https://cdn.example.com/receipt.pdf', is_reusable: true } }, metadata: expect.stringMatching(/^inbox-companion:msg_/) } });
  });
});
