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
    ['a tagged Messenger message with a fallback template', { text: 'Hi', messenger: { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }, fallbackTemplate: { name: 'hello', language: 'en' } }],
  ])('accepts %s', (_n, config) => {
    expect(SendMessageConfig.safeParse(config).success).toBe(true);
  });

  it.each([
    ['blank text', { text: ' ' }, 'text'],
    ['no text at all', {}, 'text'],
    ['media without a link', { kind: 'media' }, 'media.url'],
    ['four buttons', { kind: 'buttons', text: 'x', buttons: [{ title: 'a' }, { title: 'b' }, { title: 'c' }, { title: 'd' }] }, 'buttons'],
    ['a 21-character button', { kind: 'buttons', text: 'x', buttons: [{ title: 'x'.repeat(21) }] }, 'buttons.0.title'],
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
    ['MESSAGE_TAG without a tag', { text: 'x', messenger: { messagingType: 'MESSAGE_TAG' } }, 'messenger.tag'],
  ])('refuses %s at %s', (_n, config, path) => {
    const r = SendMessageConfig.safeParse(config);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
