import { describe, expect, it } from 'vitest';
import { WhatsAppTemplateRef } from '../../lib/contracts/steps';
import { renderJsonTemplate, renderTemplate, type TemplateScope } from '../../lib/workflow/template';
import { badTemplate, inboxText, templateSpec, whatsappBody } from './send-spec';

// The template kinds a workflow sends beyond parameters, headers and link / coupon buttons, built
// as Meta's pages show them (each cited beside its case).

const scope: TemplateScope = {
  contact: { id: 'ct_1', firstName: 'Ana', fields: { points: 1200, offer_ends: '2030-01-31T23:59:00Z' } },
  conversation: null, trigger: { variables: { code: '482913', long: 'J$FpnYnP-1234567' } }, step: {}, system: { now: '2029-06-01T00:00:00Z' },
};
const render = (t: string) => renderTemplate(t, scope).text;
const renderJson = (t: string) => renderJsonTemplate(t, scope).text;
/** The spec a step sends for this template (parsed by the contract, then rendered). */
const spec = (template: Record<string, unknown>) => templateSpec(WhatsAppTemplateRef.parse({ language: 'en_US', ...template }), render, renderJson);
const components = (template: Record<string, unknown>) => (whatsappBody('16505551234', spec(template)).template as { components?: unknown[] }).components;
const NOW = Date.parse('2029-06-01T00:00:00Z');

describe('whatsappBody: template components of each kind', () => {
  it.each([
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/sendingaflow
    ['a flow button with its token and first-screen data (a {{…}} outside quotes keeps its type)',
      { name: 'signup', buttons: [{ index: 0, type: 'flow', flowToken: 'signup-{{$contact.id}}', flowActionData: '{"name": "{{$contact.firstName}}", "points": {{$contact.fields.points}}}' }] },
      [{ type: 'button', sub_type: 'flow', index: '0', parameters: [{ type: 'action', action: { flow_token: 'signup-ct_1', flow_action_data: { name: 'Ana', points: 1200 } } }] }]],
    ['a flow button with neither: Meta\'s default token, "unused"',
      { name: 'signup', parameters: ['{{$contact.firstName}}'], buttons: [{ index: 1, type: 'flow' }] },
      [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }, { type: 'button', sub_type: 'flow', index: '1', parameters: [{ type: 'action', action: { flow_token: 'unused' } }] }]],
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/catalogs/catalog-template-messages
    ['a catalog button with its thumbnail product',
      { name: 'intro_catalog_offer', parameters: ['100', '400', '3'], buttons: [{ index: 0, type: 'catalog', thumbnailProductRetailerId: '2lc20305pt' }] },
      [{ type: 'body', parameters: [{ type: 'text', text: '100' }, { type: 'text', text: '400' }, { type: 'text', text: '3' }] },
        { type: 'button', sub_type: 'CATALOG', index: 0, parameters: [{ type: 'action', action: { thumbnail_product_retailer_id: '2lc20305pt' } }] }]],
    ['a catalog button without one: its parameters left out (the catalog\'s first product)',
      { name: 'intro_catalog_offer', buttons: [{ index: 0, type: 'catalog' }] },
      [{ type: 'button', sub_type: 'CATALOG', index: 0 }]],
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/authentication-templates/copy-code-button-authentication-templates
    ['an authentication template: the code in the body and in the button',
      { name: 'verification_code', code: '{{$trigger.variables.code}}' },
      [{ type: 'body', parameters: [{ type: 'text', text: '482913' }] }, { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] }]],
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/limited-time-offer-templates
    ['a limited-time offer: header, body, offer, then the copy-code and link buttons',
      { name: 'limited_time_offer_caribbean_pkg_2023', parameters: ['{{$contact.firstName}}', 'CARIBE25'], header: { type: 'image', url: 'https://cdn.example.com/caribe.jpg' },
        limitedTimeOffer: { expiresAt: '{{$contact.fields.offer_ends}}' }, buttons: [{ index: 0, type: 'copy_code', value: 'CARIBE25' }, { index: 1, type: 'url', value: 'n3mtql' }] },
      [
        { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/caribe.jpg' } }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'CARIBE25' }] },
        { type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: Date.parse('2030-01-31T23:59:00Z') } }] },
        { type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: 'CARIBE25' }] },
        { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'n3mtql' }] },
      ]],
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/media-card-carousel-templates
    ['a media card carousel: the body, then each card (header, body, buttons; a quick reply without payload sends nothing)',
      { name: 'carousel_template_media_cards_v1', parameters: ['Pablo', '20%', '20OFF'], carousel: { cards: [
        { header: { type: 'image', url: 'https://cdn.example.com/aloe.jpg' }, buttons: [{ index: 0, type: 'quick_reply', payload: 'more-aloes' }, { index: 1, type: 'url', value: 'blue-elf' }] },
        { header: { type: 'video', url: 'https://cdn.example.com/{{$contact.id}}.mp4' }, parameters: ['{{$contact.firstName}}'], buttons: [{ index: 0, type: 'quick_reply' }, { index: 1, type: 'url', value: 'buddhas-temple' }] },
      ] } },
      [
        { type: 'body', parameters: [{ type: 'text', text: 'Pablo' }, { type: 'text', text: '20%' }, { type: 'text', text: '20OFF' }] },
        { type: 'carousel', cards: [
          { card_index: 0, components: [
            { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/aloe.jpg' } }] },
            { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'more-aloes' }] },
            { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'blue-elf' }] },
          ] },
          { card_index: 1, components: [
            { type: 'header', parameters: [{ type: 'video', video: { link: 'https://cdn.example.com/ct_1.mp4' } }] },
            { type: 'body', parameters: [{ type: 'text', text: 'Ana' }] },
            { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'buddhas-temple' }] },
          ] },
        ] },
      ]],
  ])('%s', (_n, template, expected) => {
    expect(badTemplate(spec(template), NOW)).toBeNull();
    expect(components(template)).toEqual(expected);
  });
});

describe('badTemplate: what Meta would refuse, said before the call', () => {
  it.each([
    ['a code that rendered empty', { name: 'verification_code', code: '{{$trigger.variables.missing}}' }, 'Cannot send template verification_code: its one-time code rendered empty'],
    ['a code longer than Meta takes', { name: 'verification_code', code: '{{$trigger.variables.long}}' }, 'Cannot send template verification_code: its one-time code "J$FpnYnP-1234567" has 16 characters; Meta takes at most 15'],
    ['flow data from a variable that holds no object', { name: 'signup', buttons: [{ index: 0, type: 'flow', flowActionData: '{{$trigger.variables.code}}' }] },
      'Cannot send template signup: its button 1 (a flow) has first-screen data that is not a JSON object once the variables are filled in: "482913"'],
    ['a flow token that rendered empty', { name: 'signup', buttons: [{ index: 0, type: 'flow', flowToken: '{{$contact.fields.nothing}}' }] },
      'Cannot send template signup: its button 1 (a flow) has a token that rendered empty; leave the token out to send Meta\'s default'],
    ['a thumbnail that rendered empty', { name: 'intro_catalog_offer', buttons: [{ index: 0, type: 'catalog', thumbnailProductRetailerId: '{{$contact.fields.sku}}' }] },
      'Cannot send template intro_catalog_offer: its button 1 (a catalog) has a thumbnail product that rendered empty; leave it out to show the catalog\'s first product'],
    ['an offer end that is no date', { name: 'lto', limitedTimeOffer: { expiresAt: '{{$contact.firstName}}' } },
      'Cannot send template lto: its offer\'s end "Ana" is not a date and time with its zone (2026-12-31T23:59:00Z) or a Unix time in milliseconds'],
    ['an offer that has ended', { name: 'lto', limitedTimeOffer: { expiresAt: '2029-05-31T23:00:00Z' } }, 'Cannot send template lto: its offer ended at 2029-05-31T23:00:00.000Z, before this send'],
    ['an offer code too long', { name: 'lto', limitedTimeOffer: { expiresAt: '2030-01-01T00:00:00Z' }, buttons: [{ index: 0, type: 'copy_code', value: '{{$trigger.variables.long}}' }] },
      'Cannot send template lto: its offer code "J$FpnYnP-1234567" has 16 characters; Meta takes at most 15'],
    ['a card image not on https', { name: 'carousel', carousel: { cards: [{ header: { type: 'image', url: 'http://intranet/a.jpg' } }, { header: { type: 'image', url: 'https://cdn.example.com/b.jpg' } }] } },
      'Cannot send template carousel: its card 1 image link "http://intranet/a.jpg" is not an https:// URL Meta can fetch'],
  ])('%s', (_n, template, message) => {
    expect(badTemplate(spec(template), NOW)).toBe(message);
  });
});

describe('inboxText', () => {
  it('says a one-time code was sent without showing it to agents', () => {
    expect(inboxText(spec({ name: 'verification_code', code: '{{$trigger.variables.code}}' }))).toBe('[template verification_code: a one-time code]');
  });
});
