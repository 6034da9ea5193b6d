import { describe, expect, it } from 'vitest';
import { STEP_TYPES } from '../contracts/steps';
import { makeStep } from '../contracts/workflow.fixtures';
import { stepTemplates } from './step-templates';

describe('stepTemplates', () => {
  it.each(STEP_TYPES.map((type) => [type]))('handles %s', (type) => {
    expect(Array.isArray(stepTemplates(makeStep(type)))).toBe(true);
  });

  it.each<[string, ReturnType<typeof makeStep>, { path: (string | number)[]; template: string; json?: boolean }[]]>([
    ['a message', makeStep('send_message', { text: 'Hi {{$contact.firstName}}' }), [{ path: ['config', 'text'], template: 'Hi {{$contact.firstName}}' }]],
    ['a field value', makeStep('update_contact_field', { value: '{{$trigger.plan}}' }), [{ path: ['config', 'value'], template: '{{$trigger.plan}}' }]],
    ['a close without summary', makeStep('close_conversation'), []],
    ['a close with summary', makeStep('close_conversation', { summary: 'S' }), [{ path: ['config', 'summary'], template: 'S' }]],
    ['a close with a category', makeStep('close_conversation', { category: '{{$trigger.category}}' }), [{ path: ['config', 'category'], template: '{{$trigger.category}}' }]],
    ['tags', makeStep('update_contact_tag', { tags: ['vip', 'order-{{$trigger.orderId}}'] }), [
      { path: ['config', 'tags', 0], template: 'vip' },
      { path: ['config', 'tags', 1], template: 'order-{{$trigger.orderId}}' },
    ]],
    ['a branch', makeStep('branch'), [
      { path: ['config', 'branches', 0, 'conditions', 'rules', 0, 'left'], template: '{{$contact.tags}}' },
      { path: ['config', 'branches', 0, 'conditions', 'rules', 0, 'right'], template: 'vip' },
    ]],
    ['an HTTP request', makeStep('http_request', { method: 'POST', headers: [{ key: 'A', value: 'v' }], body: '{}' }), [
      { path: ['config', 'url'], template: 'https://example.com/orders' },
      { path: ['config', 'headers', 0, 'value'], template: 'v' },
      { path: ['config', 'body'], template: '{}', json: true },
    ]],
    ['mini-app inputs', makeStep('mini_app_action', { inputs: { a: '1', b: '2' } }), [
      { path: ['config', 'inputs', 'a'], template: '1' },
      { path: ['config', 'inputs', 'b'], template: '2' },
    ]],
    ['a WhatsApp template with a header and buttons (names are not templates)', makeStep('send_message', {
      kind: 'template',
      template: { name: 'order', language: 'en_US', parameters: ['{{$trigger.orderId}}'], parameterNames: ['order_id'], header: { type: 'text', text: 'H', parameterName: 'first_name' }, buttons: [{ index: 1, type: 'url', value: 'b' }] },
    }), [
      { path: ['config', 'text'], template: 'Hello {{$contact.firstName}}' },
      { path: ['config', 'template', 'parameters', 0], template: '{{$trigger.orderId}}' },
      { path: ['config', 'template', 'header', 'text'], template: 'H' },
      { path: ['config', 'template', 'buttons', 0, 'value'], template: 'b' },
    ]],
    ['a fallback template with a location header', makeStep('send_message', {
      text: 't',
      fallbackTemplate: { name: 'where', language: 'en', parameters: [], header: { type: 'location', latitude: '1', longitude: '2', address: 'A' } },
    }), [
      { path: ['config', 'text'], template: 't' },
      { path: ['config', 'fallbackTemplate', 'header', 'latitude'], template: '1' },
      { path: ['config', 'fallbackTemplate', 'header', 'longitude'], template: '2' },
      { path: ['config', 'fallbackTemplate', 'header', 'address'], template: 'A' },
    ]],
    ['a flow and a catalog button, an offer\'s end and carousel cards', makeStep('send_message', {
      kind: 'template',
      template: { name: 'kinds', language: 'en_US', parameters: [], limitedTimeOffer: { expiresAt: '{{$contact.fields.ends}}' },
        buttons: [{ index: 0, type: 'flow', flowToken: 'T', flowActionData: '{"a": "{{$contact.id}}"}' }, { index: 1, type: 'catalog', thumbnailProductRetailerId: 'S' }],
        carousel: { cards: [{ header: { type: 'image', url: 'https://x.test/a' }, parameters: ['P'], buttons: [{ index: 0, type: 'quick_reply', payload: 'Q' }, { index: 1, type: 'url', value: 'U' }] }, { header: { type: 'video', url: 'V' } }] } },
    }), [
      { path: ['config', 'text'], template: 'Hello {{$contact.firstName}}' },
      { path: ['config', 'template', 'buttons', 0, 'flowToken'], template: 'T' },
      { path: ['config', 'template', 'buttons', 0, 'flowActionData'], template: '{"a": "{{$contact.id}}"}', json: true },
      { path: ['config', 'template', 'buttons', 1, 'thumbnailProductRetailerId'], template: 'S' },
      { path: ['config', 'template', 'limitedTimeOffer', 'expiresAt'], template: '{{$contact.fields.ends}}' },
      { path: ['config', 'template', 'carousel', 'cards', 0, 'header', 'url'], template: 'https://x.test/a' },
      { path: ['config', 'template', 'carousel', 'cards', 0, 'parameters', 0], template: 'P' },
      { path: ['config', 'template', 'carousel', 'cards', 0, 'buttons', 0, 'payload'], template: 'Q' },
      { path: ['config', 'template', 'carousel', 'cards', 0, 'buttons', 1, 'value'], template: 'U' },
      { path: ['config', 'template', 'carousel', 'cards', 1, 'header', 'url'], template: 'V' },
    ]],
    ['an authentication template\'s code', makeStep('send_message', { kind: 'template', template: { name: 'otp', language: 'en_US', parameters: [], code: '{{$trigger.code}}' } }), [
      { path: ['config', 'text'], template: 'Hello {{$contact.firstName}}' },
      { path: ['config', 'template', 'code'], template: '{{$trigger.code}}' },
    ]],
    ['a wait', makeStep('wait'), []],
  ])('lists the templates of %s', (_, step, expected) => {
    expect(stepTemplates(step)).toEqual(expected);
  });
});
