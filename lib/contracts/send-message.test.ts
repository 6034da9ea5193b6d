import { describe, expect, it } from 'vitest';
import { SendMessageConfig } from './steps';

describe('send_message config', () => {
  it.each([
    ['plain text (the original shape)', { text: 'Hi' }],
    ['media with caption', { kind: 'media', media: { type: 'image', url: 'https://x.test/a.jpg' }, text: 'Look' }],
    ['media without caption', { kind: 'media', media: { type: 'document', url: 'https://x.test/a.pdf', filename: 'a.pdf' } }],
    ['buttons', { kind: 'buttons', text: 'Pick', buttons: [{ title: 'Yes' }, { title: 'No', payload: 'NO' }] }],
    ['a template', { kind: 'template', template: { name: 'order_update', language: 'pt_BR', parameters: ['{{$contact.firstName}}'] } }],
    ['a template with named parameters', { kind: 'template', template: { name: 'order_confirmation', language: 'en_US', parameters: ['{{$contact.firstName}}', 'A-1'], parameterNames: ['customer_name', 'order_number'] } }],
    ['a template with an image header', { kind: 'template', template: { name: 'x', language: 'en_US', header: { type: 'image', url: 'https://cdn.example.com/{{$contact.id}}.jpg' } } }],
    ['a template with a named text header', { kind: 'template', template: { name: 'x', language: 'en_US', header: { type: 'text', text: '{{$contact.firstName}}', parameterName: 'first_name' } } }],
    ['a template with a location header', { kind: 'template', template: { name: 'x', language: 'en_US', header: { type: 'location', latitude: '-33.8688', longitude: '151.2093', name: 'Sydney store', address: '1 George St' } } }],
    ['a location header read from contact fields', { kind: 'template', template: { name: 'x', language: 'en_US', header: { type: 'location', latitude: '{{$contact.fields.lat}}', longitude: '{{$contact.fields.lng}}' } } }],
    ['a template with button values', { kind: 'template', template: { name: 'x', language: 'en_US', buttons: [{ index: 0, type: 'url', value: 'order/{{$contact.id}}' }, { index: 1, type: 'copy_code', value: 'SPRING10' }] } }],
    // Flow buttons: https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/sendingaflow
    ['a flow button with its token and first-screen data', { kind: 'template', template: { name: 'signup', language: 'en_US', buttons: [{ index: 0, type: 'flow', flowToken: 'signup-{{$contact.id}}', flowActionData: '{"name": "{{$contact.firstName}}", "points": {{$contact.fields.points}}, "tier": {"gold": true}}' }] } }],
    ['flow data given whole by a variable', { kind: 'template', template: { name: 'signup', language: 'en_US', buttons: [{ index: 0, type: 'flow', flowActionData: '{{$trigger.body.screen_data}}' }] } }],
    ['a flow button with neither (both optional)', { kind: 'template', template: { name: 'signup', language: 'en_US', buttons: [{ index: 0, type: 'flow' }] } }],
    // Catalog buttons: https://developers.facebook.com/documentation/business-messaging/whatsapp/catalogs/catalog-template-messages
    ['a catalog button with a thumbnail product', { kind: 'template', template: { name: 'intro_catalog_offer', language: 'en_US', parameters: ['100'], buttons: [{ index: 0, type: 'catalog', thumbnailProductRetailerId: '2lc20305pt' }] } }],
    ['a catalog button without one', { kind: 'template', template: { name: 'intro_catalog_offer', language: 'en_US', buttons: [{ index: 0, type: 'catalog' }] } }],
    // Authentication: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/authentication-templates/copy-code-button-authentication-templates
    ['an authentication template\'s code from a variable', { kind: 'template', template: { name: 'verification_code', language: 'en_US', code: '{{$trigger.variables.code}}' } }],
    ['a literal code of 15 characters', { kind: 'template', template: { name: 'verification_code', language: 'en_US', code: 'J$FpnYnP-123456' } }],
    // Limited-time offers: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/limited-time-offer-templates
    ['an offer ending at a date and time', { kind: 'template', template: { name: 'lto', language: 'en_US', limitedTimeOffer: { expiresAt: '2026-12-31T23:59:00-03:00' }, buttons: [{ index: 0, type: 'copy_code', value: 'CARIBE25' }] } }],
    ['an offer ending at a Unix time in milliseconds', { kind: 'template', template: { name: 'lto', language: 'en_US', limitedTimeOffer: { expiresAt: '1698562800000' } } }],
    ['an offer ending when a field says', { kind: 'template', template: { name: 'lto', language: 'en_US', limitedTimeOffer: { expiresAt: '{{$contact.fields.offer_ends}}' } } }],
    // Media card carousels: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/media-card-carousel-templates
    ['a carousel of two cards', { kind: 'template', template: { name: 'carousel_template_media_cards_v1', language: 'en_US', parameters: ['Pablo'], carousel: { cards: [
      { header: { type: 'image', url: 'https://cdn.example.com/a.jpg' }, parameters: [], buttons: [{ index: 0, type: 'quick_reply', payload: 'more-aloes' }, { index: 1, type: 'url', value: 'blue-elf' }] },
      { header: { type: 'video', url: 'https://cdn.example.com/{{$contact.id}}.mp4' }, parameters: ['{{$contact.firstName}}'], buttons: [{ index: 0, type: 'quick_reply' }, { index: 1, type: 'url', value: 'buddha' }] },
    ] } } }],
    ['a tagged Messenger message with a fallback template', { text: 'Hi', messenger: { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }, fallbackTemplate: { name: 'hello', language: 'en' } }],
  ])('accepts %s', (_n, config) => {
    expect(SendMessageConfig.safeParse(config).success).toBe(true);
  });

  it.each([
    ['blank text', { text: ' ' }, 'text'],
    ['no text at all', {}, 'text'],
    ['media without a link', { kind: 'media' }, 'media.url'],
    // Up to 10 buttons of 24 characters: more than WhatsApp's reply buttons hold go as a list (server/channels/button-fit.ts).
    ['eleven buttons', { kind: 'buttons', text: 'x', buttons: Array.from({ length: 11 }, (_, i) => ({ title: `b${i}` })) }, 'buttons'],
    ['a 25-character button', { kind: 'buttons', text: 'x', buttons: [{ title: 'x'.repeat(25) }] }, 'buttons.0.title'],
    ['a 25-character button of emoji with skin tones and letters', { kind: 'buttons', text: 'x', buttons: [{ title: `${'👍🏽'.repeat(5)}${'x'.repeat(20)}` }] }, 'buttons.0.title'],
    ['a template name with spaces', { kind: 'template', template: { name: 'Order Update', language: 'en_US' } }, 'template.name'],
    ['a bad language code', { kind: 'template', template: { name: 'x', language: 'english' } }, 'template.language'],
    ['named parameters without a value each', { kind: 'template', template: { name: 'x', language: 'en_US', parameters: ['a'], parameterNames: ['first', 'second'] } }, 'template.parameterNames'],
    ['a parameter name with capitals', { kind: 'template', template: { name: 'x', language: 'en_US', parameters: ['a'], parameterNames: ['First'] } }, 'template.parameterNames.0'],
    ['a header of an unknown kind', { kind: 'template', template: { name: 'x', language: 'en_US', header: { type: 'sticker', url: 'x' } } }, 'template.header.type'],
    ['a latitude beyond the pole', { kind: 'template', template: { name: 'x', language: 'en_US', header: { type: 'location', latitude: '90.5', longitude: '0' } } }, 'template.header.latitude'],
    ['a longitude in words', { kind: 'template', template: { name: 'x', language: 'en_US', header: { type: 'location', latitude: '0', longitude: 'east' } } }, 'template.header.longitude'],
    ['a location without its longitude', { kind: 'template', template: { name: 'x', language: 'en_US', header: { type: 'location', latitude: '0' } } }, 'template.header.longitude'],
    ['a 61-character header value', { kind: 'template', template: { name: 'x', language: 'en_US', header: { type: 'text', text: 'x'.repeat(61) } } }, 'template.header.text'],
    ['a button value left empty', { kind: 'template', template: { name: 'x', language: 'en_US', buttons: [{ index: 0, type: 'url', value: ' ' }] } }, 'template.buttons.0.value'],
    ['flow data that is a list, not an object', { kind: 'template', template: { name: 'x', language: 'en_US', buttons: [{ index: 0, type: 'flow', flowActionData: '["{{$contact.id}}"]' }] } }, 'template.buttons.0.flowActionData'],
    ['flow data that is not JSON', { kind: 'template', template: { name: 'x', language: 'en_US', buttons: [{ index: 0, type: 'flow', flowActionData: 'name: {{$contact.firstName}}' }] } }, 'template.buttons.0.flowActionData'],
    ['an empty flow token', { kind: 'template', template: { name: 'x', language: 'en_US', buttons: [{ index: 0, type: 'flow', flowToken: ' ' }] } }, 'template.buttons.0.flowToken'],
    ['a button kind the step does not send', { kind: 'template', template: { name: 'x', language: 'en_US', buttons: [{ index: 0, type: 'mpm', value: 'x' }] } }, 'template.buttons.0.type'],
    ['a one-time code of 16 characters', { kind: 'template', template: { name: 'x', language: 'en_US', code: 'J$FpnYnP-1234567' } }, 'template.code'],
    ['an empty one-time code', { kind: 'template', template: { name: 'x', language: 'en_US', code: '' } }, 'template.code'],
    ['a one-time code with other parameters', { kind: 'template', template: { name: 'x', language: 'en_US', code: '{{$trigger.variables.code}}', parameters: ['a'] } }, 'template.parameters'],
    ['an offer ending "next friday"', { kind: 'template', template: { name: 'x', language: 'en_US', limitedTimeOffer: { expiresAt: 'next friday' } } }, 'template.limitedTimeOffer.expiresAt'],
    ['an offer ending on a date without a time', { kind: 'template', template: { name: 'x', language: 'en_US', limitedTimeOffer: { expiresAt: '2026-12-31' } } }, 'template.limitedTimeOffer.expiresAt'],
    ['an offer code of 16 characters', { kind: 'template', template: { name: 'x', language: 'en_US', limitedTimeOffer: { expiresAt: '1698562800000' }, buttons: [{ index: 0, type: 'copy_code', value: 'CARIBE25CARIBE25' }] } }, 'template.buttons.0.value'],
    ['a carousel of one card', { kind: 'template', template: { name: 'x', language: 'en_US', carousel: { cards: [{ header: { type: 'image', url: 'https://cdn.example.com/a.jpg' } }] } } }, 'template.carousel.cards'],
    ['a card without its image link', { kind: 'template', template: { name: 'x', language: 'en_US', carousel: { cards: [{ header: { type: 'image', url: '' } }, { header: { type: 'image', url: 'https://cdn.example.com/b.jpg' } }] } } }, 'template.carousel.cards.0.header.url'],
    ['a card with a document header', { kind: 'template', template: { name: 'x', language: 'en_US', carousel: { cards: [{ header: { type: 'document', url: 'https://x.test/a.pdf' } }, { header: { type: 'image', url: 'https://x.test/b.jpg' } }] } } }, 'template.carousel.cards.0.header.type'],
    ['MESSAGE_TAG without a tag', { text: 'x', messenger: { messagingType: 'MESSAGE_TAG' } }, 'messenger.tag'],
  ])('refuses %s at %s', (_n, config, path) => {
    const r = SendMessageConfig.safeParse(config);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it.each([
    ['a code too long', { code: 'J$FpnYnP-1234567' }, 'A one-time code has at most 15 characters'],
    ['flow data not an object', { buttons: [{ index: 0, type: 'flow', flowActionData: '[1]' }] }, 'The flow data is a JSON object, e.g. {"name": "{{$contact.firstName}}"}, or a {{…}} that gives one'],
    ['an offer end that is no date', { limitedTimeOffer: { expiresAt: 'soon' } }, 'Give when the offer ends as a date and time with its zone (2026-12-31T23:59:00Z) or a Unix time in milliseconds, or a {{…}} that gives one'],
    ['a code beside parameters', { code: '123456', parameters: ['x'] }, 'An authentication template takes only its one-time code: remove the parameters'],
  ])('says what is wrong: %s', (_n, extra, message) => {
    const r = SendMessageConfig.safeParse({ kind: 'template', template: { name: 'x', language: 'en_US', ...extra } });
    expect(r.error!.issues.map((i) => i.message)).toContain(message);
  });
});
