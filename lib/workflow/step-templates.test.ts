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
    ['a wait', makeStep('wait'), []],
  ])('lists the templates of %s', (_, step, expected) => {
    expect(stepTemplates(step)).toEqual(expected);
  });
});
