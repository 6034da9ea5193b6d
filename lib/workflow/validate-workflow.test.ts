import { describe, expect, it } from 'vitest';
import type { Step } from '../contracts/steps';
import type { TriggerInput } from '../contracts/triggers';
import { makeStep, makeTrigger, makeWorkflowDefinition } from '../contracts/workflow.fixtures';
import { type Problem, structuralProblems } from './validate-workflow';

const end = makeStep('close_conversation', {}, 'end');
const say = (text: string, id = 'say') => makeStep('send_message', { text }, id);
const branchTo = (goTo: string, elseGoTo?: string, id = 'check', left = '{{$contact.tags}}') =>
  makeStep(
    'branch',
    {
      branches: [{ name: 'VIP', conditions: { logic: 'and', rules: [{ left, operator: 'has_tag', right: 'vip' }] }, goTo }],
      ...(elseGoTo ? { elseGoTo } : {}),
    },
    id,
  );
const webhook: TriggerInput = {
  type: 'incoming_webhook',
  identifier: { type: 'phone', jsonKey: '$.phone' },
  mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }],
};
const shortcutWithForm: TriggerInput = {
  type: 'shortcut',
  name: 'Refund',
  form: { fields: [{ label: 'Order', type: 'text', variable: 'orderId' }] },
};

const problems = (steps: Step[], trigger?: TriggerInput): Problem[] =>
  structuralProblems(makeWorkflowDefinition({ steps, ...(trigger ? { trigger: makeTrigger(trigger) } : {}) }));

describe('structuralProblems', () => {
  it.each<[string, Step[], TriggerInput | undefined]>([
    ['the default workflow', [say('Hi {{$contact.firstName}}'), end], undefined],
    ['a jump to an existing step', [say('a', 'start'), makeStep('jump_to', { stepId: 'start' }, 'again'), end], undefined],
    ['a branch with else to existing steps', [branchTo('end', 'say'), say('x'), end], undefined],
    ['form variables and launchedBy on a shortcut', [say('{{$trigger.orderId}} by {{$trigger.launchedBy}}')], shortcutWithForm],
    ['a nested webhook variable', [say('{{$trigger.orderId.part}}')], webhook],
    ['any $trigger variable on manual', [say('{{$trigger.anything}}')], { type: 'manual' }],
    ['any $trigger variable on a mini-app', [say('{{$trigger.anything}}')], { type: 'mini_app', appId: 'a', triggerKey: 'k' }],
    ['a $step variable mapped by an HTTP step', [makeStep('http_request', { responseMappings: [{ jsonKey: '$.id', variable: 'ticketId' }] }, 'call'), say('{{$step.ticketId}}')], undefined],
    ['any $step variable when a mini-app action runs', [makeStep('mini_app_action', {}, 'app'), say('{{$step.whatever}}')], undefined],
    ['$system.now', [say('{{$system.now}}')], undefined],
    ['a JSON body with placeholders in and out of strings', [makeStep('http_request', { method: 'POST', body: '{"n":"{{$contact.firstName}}","c":{{$contact.fields.count}}}' })], undefined],
    ['the tag trigger variables', [say('{{$trigger.tag}} {{$trigger.action}}')], { type: 'contact_tag_updated', action: 'added', tags: ['a'] }],
  ])('finds nothing in %s', (_, steps, trigger) => {
    expect(problems(steps, trigger)).toEqual([]);
  });

  it.each<[string, Step[], TriggerInput | undefined, Problem[]]>([
    ['a jump to a missing step', [makeStep('jump_to', { stepId: 'nowhere' }, 'j')], undefined, [
      { path: ['steps', 0, 'config', 'stepId'], message: 'There is no step "nowhere" to go to' },
    ]],
    ['a jump to itself', [makeStep('jump_to', { stepId: 'j' }, 'j')], undefined, [
      { path: ['steps', 0, 'config', 'stepId'], message: 'A step cannot jump to itself' },
    ]],
    ['a branch to a missing step', [branchTo('gone'), end], undefined, [
      { path: ['steps', 0, 'config', 'branches', 0, 'goTo'], message: 'There is no step "gone" to go to' },
    ]],
    ['a branch to itself and else to nowhere', [branchTo('check', 'gone'), end], undefined, [
      { path: ['steps', 0, 'config', 'branches', 0, 'goTo'], message: 'A step cannot jump to itself' },
      { path: ['steps', 0, 'config', 'elseGoTo'], message: 'There is no step "gone" to go to' },
    ]],
    ['a trigger variable the shortcut does not provide', [say('{{$trigger.amount}}')], shortcutWithForm, [
      { path: ['steps', 0, 'config', 'text'], message: '{{$trigger.amount}} is not provided by this trigger (it provides orderId, launchedBy)' },
    ]],
    ['a trigger variable the webhook does not map', [say('{{$trigger.phone}}')], webhook, [
      { path: ['steps', 0, 'config', 'text'], message: expect.stringContaining('{{$trigger.phone}} is not provided by this trigger') },
    ]],
    ['a trigger variable in a branch condition', [branchTo('end', undefined, 'check', '{{$trigger.plan}}'), end], { type: 'conversation_opened' }, [
      { path: ['steps', 0, 'config', 'branches', 0, 'conditions', 'rules', 0, 'left'], message: expect.stringContaining('{{$trigger.plan}} is not provided') },
    ]],
    ['a typo in the root', [say('Hi {{$contcat.firstName}}')], undefined, [
      { path: ['steps', 0, 'config', 'text'], message: expect.stringContaining('Unknown variable {{$contcat.firstName}}') },
    ]],
    ['a bare root', [say('{{$contact}}')], undefined, [
      { path: ['steps', 0, 'config', 'text'], message: expect.stringContaining('needs a name after the dot') },
    ]],
    ['an unknown system variable', [say('{{$system.today}}')], undefined, [
      { path: ['steps', 0, 'config', 'text'], message: expect.stringContaining('Unknown variable {{$system.today}}') },
    ]],
    ['a $step variable nothing sets', [say('{{$step.ticketId}}')], undefined, [
      { path: ['steps', 0, 'config', 'text'], message: expect.stringContaining('{{$step.ticketId}} is not set by any step') },
    ]],
    ['a header template', [makeStep('http_request', { headers: [{ key: 'X-Id', value: '{{$trigger.nope}}' }] }, 'call')], shortcutWithForm, [
      { path: ['steps', 0, 'config', 'headers', 0, 'value'], message: expect.stringContaining('{{$trigger.nope}}') },
    ]],
    ['a body that is not JSON', [makeStep('http_request', { method: 'POST', body: '{"a": }' }, 'call')], undefined, [
      { path: ['steps', 0, 'config', 'body'], message: 'The body is not valid JSON (checked with every variable filled in)' },
    ]],
    ['a mini-app input', [makeStep('mini_app_action', { inputs: { email: '{{$contact.email}} {{$foo.bar}}' } }, 'app')], undefined, [
      { path: ['steps', 0, 'config', 'inputs', 'email'], message: expect.stringContaining('Unknown variable {{$foo.bar}}') },
    ]],
    ['the same unknown variable twice in one text, reported once', [say('{{$x.a}} {{$x.a}}')], undefined, [
      { path: ['steps', 0, 'config', 'text'], message: expect.stringContaining('{{$x.a}}') },
    ]],
  ])('reports %s', (_, steps, trigger, expected) => {
    expect(problems(steps, trigger)).toEqual(expected);
  });

  it('reports every problem at once, in step order', () => {
    const found = problems([makeStep('jump_to', { stepId: 'nowhere' }, 'j'), say('{{$trigger.x}}', 's'), branchTo('gone')], shortcutWithForm);
    expect(found.map((p) => p.path[1])).toEqual([0, 1, 2]);
  });
});
