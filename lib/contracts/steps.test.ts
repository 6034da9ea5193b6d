import { describe, expect, it } from 'vitest';
import { STEP_TYPES, Step, StepConfigSchemas } from './steps';

const http = (over: object = {}) => ({ method: 'POST', url: 'https://api.example.com/x', ...over });
const branch = (goTo = 'end') => ({
  name: 'VIP',
  conditions: { logic: 'and', rules: [{ left: '{{$contact.tags}}', operator: 'has_tag', right: 'vip' }] },
  goTo,
});

describe('StepConfigSchemas', () => {
  it('has a schema for every step type', () => {
    expect(Object.keys(StepConfigSchemas).sort()).toEqual([...STEP_TYPES].sort());
  });

  it.each<[string, (typeof STEP_TYPES)[number], unknown]>([
    ['a message', 'send_message', { text: 'Hi {{$contact.firstName}}' }],
    ['a 4096-char message', 'send_message', { text: 'x'.repeat(4096) }],
    ['a comment', 'add_comment', { text: 'note' }],
    ['removing tags', 'update_contact_tag', { action: 'remove', tags: ['a', 'b'] }],
    ['clearing a field', 'update_contact_field', { field: 'plan', value: '' }],
    ['unassigning', 'assign_to', { userId: 'unassign' }],
    ['opening', 'open_conversation', {}],
    ['closing with category and summary', 'close_conversation', { category: 'Resolved', summary: '{{$trigger.note}}' }],
    ['a branch with else', 'branch', { branches: [branch()], elseGoTo: 'other' }],
    ['waiting 90 days', 'wait', { seconds: 90 * 86400 }],
    ['a jump', 'jump_to', { stepId: 'start' }],
    ['a POST with body and mappings', 'http_request', http({ body: '{"a":"{{$contact.id}}"}', responseMappings: [{ jsonKey: '$.id', variable: 'ticketId' }] })],
    ['a templated URL', 'http_request', http({ url: '{{$trigger.callbackUrl}}' })],
    ['a GET with an empty body', 'http_request', http({ method: 'GET', body: '' })],
    ['headers', 'http_request', http({ headers: [{ key: 'X-Api-Key', value: 'k' }] })],
    ['triggering a workflow', 'trigger_workflow', { workflowId: 'wf_1' }],
    ['a mini-app action', 'mini_app_action', { appId: 'a', actionKey: 'k', inputs: { email: '{{$contact.email}}' } }],
  ])('accepts %s', (_, type, config) => {
    expect(StepConfigSchemas[type].safeParse(config).error).toBeUndefined();
  });

  it.each<[string, (typeof STEP_TYPES)[number], unknown, (string | number)[]]>([
    ['an empty message', 'send_message', { text: '  ' }, ['text']],
    ['a 4097-char message', 'send_message', { text: 'x'.repeat(4097) }, ['text']],
    ['no tags', 'update_contact_tag', { action: 'add', tags: [] }, ['tags']],
    ['a tag action "toggle"', 'update_contact_tag', { action: 'toggle', tags: ['a'] }, ['action']],
    ['a value over 1000', 'update_contact_field', { field: 'a', value: 'v'.repeat(1001) }, ['value']],
    ['no user', 'assign_to', { userId: '' }, ['userId']],
    ['a summary over 1000', 'close_conversation', { summary: 's'.repeat(1001) }, ['summary']],
    ['no branches', 'branch', { branches: [] }, ['branches']],
    ['11 branches', 'branch', { branches: Array(11).fill(branch()) }, ['branches']],
    ['a branch to a bad id', 'branch', { branches: [branch('no spaces allowed')] }, ['branches', 0, 'goTo']],
    ['a branch without conditions', 'branch', { branches: [{ ...branch(), conditions: { logic: 'and', rules: [] } }] }, ['branches', 0, 'conditions', 'rules']],
    ['a zero wait', 'wait', { seconds: 0 }, ['seconds']],
    ['a fractional wait', 'wait', { seconds: 1.5 }, ['seconds']],
    ['a wait over 90 days', 'wait', { seconds: 90 * 86400 + 1 }, ['seconds']],
    ['a jump to an id over 40 chars', 'jump_to', { stepId: 'x'.repeat(41) }, ['stepId']],
    ['an ftp URL', 'http_request', http({ url: 'ftp://example.com' }), ['url']],
    ['a URL over 2000', 'http_request', http({ url: 'https://e.com/' + 'a'.repeat(2000) }), ['url']],
    ['method HEAD', 'http_request', http({ method: 'HEAD' }), ['method']],
    ['11 headers', 'http_request', http({ headers: Array(11).fill({ key: 'X-A', value: '1' }) }), ['headers']],
    ['a header name with a space', 'http_request', http({ headers: [{ key: 'X A', value: '1' }] }), ['headers', 0, 'key']],
    ['a GET with a body', 'http_request', http({ method: 'GET', body: '{}' }), ['body']],
    ['a 99 ms timeout', 'http_request', http({ timeoutMs: 99 }), ['timeoutMs']],
    ['a 30001 ms timeout', 'http_request', http({ timeoutMs: 30_001 }), ['timeoutMs']],
    ['a duplicate response variable', 'http_request', http({ responseMappings: [{ jsonKey: '$.a', variable: 'x' }, { jsonKey: '$.b', variable: 'x' }] }), ['responseMappings', 1, 'variable']],
    ['a response key without $', 'http_request', http({ responseMappings: [{ jsonKey: 'a', variable: 'x' }] }), ['responseMappings', 0, 'jsonKey']],
    ['no workflow', 'trigger_workflow', { workflowId: '' }, ['workflowId']],
    ['a non-string input', 'mini_app_action', { appId: 'a', actionKey: 'k', inputs: { n: 1 } }, ['inputs', 'n']],
  ])('rejects %s', (_, type, config, path) => {
    const result = StepConfigSchemas[type].safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toContainEqual(path);
  });

  it('fills http_request defaults', () => {
    expect(StepConfigSchemas.http_request.parse(http())).toEqual({
      ...http(),
      headers: [],
      timeoutMs: 10_000,
      responseMappings: [],
    });
  });
});

describe('Step', () => {
  it.each([
    [{ id: 'step-1_a', type: 'wait', config: { seconds: 5 } }, true],
    [{ id: '', type: 'wait', config: { seconds: 5 } }, false],
    [{ id: 'a b', type: 'wait', config: { seconds: 5 } }, false],
    [{ id: 'x'.repeat(40), type: 'wait', config: { seconds: 5 } }, true],
    [{ id: 'x'.repeat(41), type: 'wait', config: { seconds: 5 } }, false],
    [{ id: 'a', type: 'sleep', config: { seconds: 5 } }, false],
    [{ id: 'a', type: 'wait', config: { text: 'hi' } }, false],
  ])('%j valid: %s', (step, valid) => {
    expect(Step.safeParse(step).success).toBe(valid);
  });
});
