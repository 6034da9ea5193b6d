import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { authenticationTemplate, carouselTemplate, catalogTemplate, flowTemplate, offerTemplate } from '../../fixtures/meta/templates';
import { graphTiming } from '../../../server/channels/graph';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from './support';

// Flow, catalog, authentication, limited-time offer and media carousel templates sent by a workflow
// over HTTP to the Graph stand-in, which checks each send against the template as Meta does
// (test/support/graph-template-check.ts). Send shapes, each kind's page:
//   flows: https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/sendingaflow
//   catalogs: https://developers.facebook.com/documentation/business-messaging/whatsapp/catalogs/catalog-template-messages
//   authentication: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/authentication-templates/copy-code-button-authentication-templates
//   limited-time offers: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/limited-time-offer-templates
//   media card carousels: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/media-card-carousel-templates
// Meta's answers: https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes

let w: ChannelWorld;
beforeEach(async () => {
  graphTiming.baseDelayMs = 5;
  w = await startChannelWorld();
  w.graph.addBusinessAccount({ id: WA.businessAccountId, token: WA.token, templates: [flowTemplate, catalogTemplate, authenticationTemplate, offerTemplate, carouselTemplate] });
});
afterEach(async () => { await w.close(); graphTiming.baseDelayMs = 500; });

const ENDS = '2099-12-31T23:59:00Z';
const card = (image: string, sku: string) => ({
  header: { type: 'image', url: `https://cdn.example.com/${image}` },
  buttons: [{ index: 0, type: 'quick_reply', payload: `more-${sku}` }, { index: 1, type: 'url', value: sku }],
});
const template = (t: Record<string, unknown>) => ({ kind: 'template', template: { language: 'en_US', ...t } });

/** A customer who wrote on WhatsApp, with a one-time code in a contact field (as an app would set it). */
async function customer(code: string) {
  expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Log me in', name: 'Ana Lima' }))).status).toBe(200);
  const { contact, conversation } = await conversationOf(w.server, `phone=${encodeURIComponent('+14155550123')}`);
  const admin = w.server.api(w.server.adminToken);
  expect((await admin.put('/fields/otp', { label: 'One-time code', type: 'text' })).status).toBe(200);
  expect((await admin.patch(`/contacts/${contact.id}`, { fields: { otp: code } })).status).toBe(200);
  return { ...contact, conversationId: conversation.id as string };
}

describe('templates of each kind, sent as Meta documents them', () => {
  it('sends a flow, a catalog, an authentication code, a limited-time offer and a carousel; the stand-in takes each', async () => {
    const contact = await customer('482913');
    const wf = await w.tagWorkflow([
      { id: 'flow', type: 'send_message', config: template({ name: 'flow_signup', parameters: ['{{$contact.firstName}}'], buttons: [{ index: 1, type: 'flow', flowToken: 'signup-{{$contact.id}}', flowActionData: '{"first_name": "{{$contact.firstName}}"}' }] }) },
      { id: 'catalog', type: 'send_message', config: template({ name: 'intro_catalog_offer', parameters: ['100', '400', '3'], buttons: [{ index: 0, type: 'catalog', thumbnailProductRetailerId: '2lc20305pt' }] }) },
      { id: 'otp', type: 'send_message', config: template({ name: 'verification_code', code: '{{$contact.fields.otp}}' }) },
      { id: 'offer', type: 'send_message', config: template({
        name: 'limited_time_offer_caribbean_pkg_2023', parameters: ['{{$contact.firstName}}', 'CARIBE25'], header: { type: 'image', url: 'https://cdn.example.com/caribe.jpg' },
        limitedTimeOffer: { expiresAt: ENDS }, buttons: [{ index: 0, type: 'copy_code', value: 'CARIBE25' }, { index: 1, type: 'url', value: 'n3mtql' }],
      }) },
      { id: 'carousel', type: 'send_message', config: template({
        name: 'carousel_template_media_cards_v1', parameters: ['{{$contact.firstName}}', '20%', '20OFF'],
        carousel: { cards: [card('aloe.jpg', 'blue-elf'), card('crassula.jpg', 'buddhas-temple'), { ...card('echeveria.mp4', 'black-prince'), header: { type: 'video', url: 'https://cdn.example.com/echeveria.mp4' } }] },
      }) },
    ]);
    const run = await w.fire(wf, contact.id);
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    const sent = w.graph.sent.map((s) => s.body.template);
    expect(sent.map((t) => t.name)).toEqual(['flow_signup', 'intro_catalog_offer', 'verification_code', 'limited_time_offer_caribbean_pkg_2023', 'carousel_template_media_cards_v1']);
    const [flow, catalog, otp, offer, carousel] = sent.map((t) => t.components);
    expect(flow).toEqual([
      { type: 'body', parameters: [{ type: 'text', text: 'Ana' }] },
      { type: 'button', sub_type: 'flow', index: '1', parameters: [{ type: 'action', action: { flow_token: `signup-${contact.id}`, flow_action_data: { first_name: 'Ana' } } }] },
    ]);
    expect(catalog).toEqual([
      { type: 'body', parameters: [{ type: 'text', text: '100' }, { type: 'text', text: '400' }, { type: 'text', text: '3' }] },
      { type: 'button', sub_type: 'CATALOG', index: 0, parameters: [{ type: 'action', action: { thumbnail_product_retailer_id: '2lc20305pt' } }] },
    ]);
    // "Note that this value must appear twice in the payload."
    expect(otp).toEqual([
      { type: 'body', parameters: [{ type: 'text', text: '482913' }] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] },
    ]);
    expect(offer).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/caribe.jpg' } }] },
      { type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'CARIBE25' }] },
      { type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: Date.parse(ENDS) } }] },
      { type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: 'CARIBE25' }] },
      { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'n3mtql' }] },
    ]);
    expect(carousel[0]).toEqual({ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '20%' }, { type: 'text', text: '20OFF' }] });
    expect(carousel[1].cards.map((c: { card_index: number; components: unknown[] }) => [c.card_index, c.components[0]])).toEqual([
      [0, { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/aloe.jpg' } }] }],
      [1, { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/crassula.jpg' } }] }],
      [2, { type: 'header', parameters: [{ type: 'video', video: { link: 'https://cdn.example.com/echeveria.mp4' } }] }],
    ]);
    expect(carousel[1].cards[0].components.slice(1)).toEqual([
      { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'more-blue-elf' }] },
      { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'blue-elf' }] },
    ]);
    // The inbox shows that a code went out, not the code.
    const conversation = (await w.server.api(w.server.adminToken).get(`/conversations/${contact.conversationId}`)).body;
    expect(conversation.messages.map((m: { text: string }) => m.text)).toContain('[template verification_code: a one-time code]');
    expect(JSON.stringify(conversation.messages)).not.toContain('482913');
  });

  it('the stand-in refuses what Meta refuses: an offer without its end (131008), a carousel with too few cards (132000), a code sent as a plain parameter (131008)', async () => {
    const contact = await customer('482913');
    const fails = async (config: unknown) => {
      const run = await w.fire(await w.tagWorkflow([{ id: 'send', type: 'send_message', config }]), contact.id);
      expect(run.status).toBe('failed');
      return run.error as string;
    };
    expect(await fails(template({ name: 'limited_time_offer_caribbean_pkg_2023', parameters: ['Ana', 'CARIBE25'], header: { type: 'image', url: 'https://cdn.example.com/caribe.jpg' },
      buttons: [{ index: 0, type: 'copy_code', value: 'CARIBE25' }, { index: 1, type: 'url', value: 'n3mtql' }] })))
      .toBe('Meta did not accept the message: Meta error 131008 (OAuthException): (#131008) Required parameter is missing — limited_time_offer: expiration_time_ms is missing');
    expect(await fails(template({ name: 'carousel_template_media_cards_v1', parameters: ['Ana', '20%', '20OFF'], carousel: { cards: [card('aloe.jpg', 'blue-elf'), card('crassula.jpg', 'buddha')] } })))
      .toBe('Meta did not accept the message: Meta error 132000 (OAuthException): (#132000) Number of parameters does not match the expected number of params — carousel: number of cards (2) does not match the expected number of cards (3)');
    expect(await fails(template({ name: 'verification_code', parameters: ['482913'] })))
      .toBe('Meta did not accept the message: Meta error 131008 (OAuthException): (#131008) Required parameter is missing — button at index 0 of type URL: the one-time password is missing');
  });

  it('values Meta would refuse fail the run before any call, saying what to fix; literal ones are refused when the workflow is saved', async () => {
    const contact = await customer('J$FpnYnP-1234567');
    const admin = w.server.api(w.server.adminToken);
    const tooLong = await w.fire(await w.tagWorkflow([{ id: 'otp', type: 'send_message', config: template({ name: 'verification_code', code: '{{$contact.fields.otp}}' }) }]), contact.id);
    expect(tooLong.status).toBe('failed');
    expect(tooLong.error).toBe('Cannot send template verification_code: its one-time code "J$FpnYnP-1234567" has 16 characters; Meta takes at most 15');
    const ended = await w.fire(await w.tagWorkflow([{ id: 'offer', type: 'send_message', config: template({
      name: 'limited_time_offer_caribbean_pkg_2023', parameters: ['Ana', 'CARIBE25'], header: { type: 'image', url: 'https://cdn.example.com/caribe.jpg' },
      limitedTimeOffer: { expiresAt: '1698562800000' }, buttons: [{ index: 0, type: 'copy_code', value: 'CARIBE25' }, { index: 1, type: 'url', value: 'n3mtql' }],
    }) }]), contact.id);
    expect(ended.error).toBe('Cannot send template limited_time_offer_caribbean_pkg_2023: its offer ended at 2023-10-29T07:00:00.000Z, before this send');
    expect(w.graph.sent).toEqual([]);

    const saved = await admin.post('/workflows', { name: 'Bad values', trigger: { type: 'manual' }, steps: [
      { id: 'otp', type: 'send_message', config: template({ name: 'verification_code', code: '1234567890123456' }) },
      { id: 'flow', type: 'send_message', config: template({ name: 'flow_signup', buttons: [{ index: 1, type: 'flow', flowActionData: '{"first_name": }' }] }) },
      { id: 'offer', type: 'send_message', config: template({ name: 'limited_time_offer_caribbean_pkg_2023', limitedTimeOffer: { expiresAt: 'next week' } }) },
    ] });
    expect(saved.status).toBe(422);
    const said = JSON.stringify(saved.body);
    expect(said).toContain('A one-time code has at most 15 characters');
    expect(said).toContain('The flow data is a JSON object');
    expect(said).toContain('Give when the offer ends as a date and time with its zone');
  });
});
