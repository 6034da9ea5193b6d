import { describe, expect, it } from 'vitest';
import type { Step } from '../contracts/steps';
import type { TriggerInput } from '../contracts/triggers';
import { makeStep, makeTrigger, makeWorkflowDefinition } from '../contracts/workflow.fixtures';
import { type Problem, structuralProblems, type WorkspaceFacts } from './validate-workflow';

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
const compare = (operator: 'greater_than' | 'less_than', right: string) => makeStep('branch', {
  branches: [{ name: 'Big', conditions: { logic: 'and', rules: [{ left: '{{$contact.fields.total}}', operator, right }] }, goTo: 'end' }],
}, 'check');
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
    ['a greater than against a formatted amount', [compare('greater_than', '€1,250.00'), end], undefined],
    ['a less than against a variable (read when the run gets there)', [compare('less_than', '{{$contact.fields.limit}}'), end], undefined],
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
      { path: ['steps', 0, 'config', 'text'], message: '{{$trigger.amount}} is not provided by this trigger (it provides orderId, launchedBy, launchedByName)' },
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
    ['a $step variable only a later step sets', [say('{{$step.ticketId}}'), makeStep('http_request', { responseMappings: [{ jsonKey: '$.id', variable: 'ticketId' }] }, 'call')], undefined, [
      { path: ['steps', 0, 'config', 'text'], message: '{{$step.ticketId}} is read before any step sets it: step 2 ("call") sets it, but not before step 1 runs; move this step below it' },
    ]],
    ['a $step variable the step itself maps', [makeStep('http_request', { url: 'https://x.example/{{$step.ticketId}}', responseMappings: [{ jsonKey: '$.id', variable: 'ticketId' }] }, 'call')], undefined, [
      { path: ['steps', 0, 'config', 'url'], message: '{{$step.ticketId}} is read before any step sets it: this step sets it from its own answer, which comes after it is sent; a step reads what steps before it set' },
    ]],
    ['a $step variable misspelt', [makeStep('http_request', { responseMappings: [{ jsonKey: '$.id', variable: 'ticketId' }] }, 'call'), say('{{$step.ticketid}}')], undefined, [
      { path: ['steps', 1, 'config', 'text'], message: '{{$step.ticketid}} is not set by any step: did you mean {{$step.ticketId}}?' },
    ]],
    ['a credential a workflow file left out', [makeStep('http_request', { headers: [{ key: 'Authorization', value: 'Bearer {{credential: Authorization}}' }] }, 'call')], undefined, [
      { path: ['steps', 0, 'config', 'headers', 0, 'value'], message: 'Set the Authorization header again (the workflow file left the credential out; {{credential: Authorization}} holds its place)' },
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
    ['a greater than against a written value that is no number', [compare('greater_than', '1,250'), end], undefined, [
      { path: ['steps', 0, 'config', 'branches', 0, 'conditions', 'rules', 0, 'right'],
        message: '"1,250" could be 1250 or 1.25 depending on the locale: enter a number to compare with, without thousands separators, e.g. 1250 or 1250.50' },
    ]],
    ['a less than against a word', [compare('less_than', 'ten'), end], undefined, [
      { path: ['steps', 0, 'config', 'branches', 0, 'conditions', 'rules', 0, 'right'], message: expect.stringContaining('"ten" is not a number: enter a number') },
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

describe('structuralProblems: template variables against the render scope', () => {
  const manual: TriggerInput = { type: 'manual' };
  const workspace: WorkspaceFacts = { fieldKeys: ['order_id', 'plan', 'callback_date'] };
  const comment = (text: string) => makeStep('add_comment', { text }, 'note');
  const at = ['steps', 0, 'config', 'text'];
  const check = (steps: Step[], facts: WorkspaceFacts = workspace) =>
    structuralProblems(makeWorkflowDefinition({ steps, trigger: makeTrigger(manual) }), facts);

  it.each<[string, string]>([
    ['every contact property', '{{$contact.id}} {{$contact.firstName}} {{$contact.lastName}} {{$contact.phone}} {{$contact.email}} {{$contact.tags}} {{$contact.lifecycle}} {{$contact.createdAt}} {{$contact.fields}}'],
    ['an index into the tags', '{{$contact.tags[0]}}'],
    ['a defined custom field', '{{$contact.fields.order_id}} {{ $contact.fields.plan }}'],
    ['conversation properties', '{{$conversation.id}} {{$conversation.status}} {{$conversation.assigneeId}} {{$conversation.openedAt}} {{$conversation.category}}'],
    ['braces that are not ours', 'Use {{1}}, {{first_name}}, {{order.id}}, {{question}}, {{ contact }} and {{}} as they are'],
    ['a rootless look-alike of a root that is not ours', '{{contacts.firstName}} {{user.name}}'],
  ])('accepts %s', (_, text) => {
    expect(check([comment(text)])).toEqual([]);
  });

  it.each<[string, string, string]>([
    ['a property in the wrong case', '{{$contact.firstname}}', 'Unknown variable {{$contact.firstname}}: did you mean {{$contact.firstName}}?'],
    ['a property written with _', '{{$contact.first_name}}', 'Unknown variable {{$contact.first_name}}: did you mean {{$contact.firstName}}?'],
    ['a misspelt property', '{{$contact.emial}}', 'Unknown variable {{$contact.emial}}: did you mean {{$contact.email}}?'],
    ['a property two names contain', '{{$contact.name}}', 'Unknown variable {{$contact.name}}: did you mean {{$contact.firstName}} or {{$contact.lastName}}?'],
    ['a custom field without fields.', '{{$contact.order_id}}', 'Unknown variable {{$contact.order_id}}: did you mean {{$contact.fields.order_id}}?'],
    ['a property nothing is close to', '{{$contact.nickname}}',
      'Unknown variable {{$contact.nickname}}: a contact has id, firstName, lastName, phone, email, tags, lifecycle, createdAt, and fields.<key> for a custom field'],
    ['a custom field not defined', '{{$contact.fields.nonexistent}}',
      'Unknown variable {{$contact.fields.nonexistent}}: there is no contact field "nonexistent" (the fields are order_id, plan, callback_date)'],
    ['a misspelt custom field', '{{$contact.fields.orderid}}', 'Unknown variable {{$contact.fields.orderid}}: did you mean {{$contact.fields.order_id}}?'],
    ['a standard property under fields', '{{$contact.fields.email}}', 'Unknown variable {{$contact.fields.email}}: did you mean {{$contact.email}}?'],
    ['a conversation property', '{{$conversation.assignee}}', 'Unknown variable {{$conversation.assignee}}: did you mean {{$conversation.assigneeId}}?'],
    ['a conversation property nothing is close to', '{{$conversation.priority}}', expect.stringMatching(/^Unknown variable \{\{\$conversation\.priority\}\}: a conversation has id, contactId, status, /) as unknown as string],
    ['the channel, which a conversation calls channelType', '{{$conversation.channel}}', 'Unknown variable {{$conversation.channel}}: did you mean {{$conversation.channelType}}?'],
    ['the inbox, which a conversation calls inboxName', '{{$conversation.inbox}}', 'Unknown variable {{$conversation.inbox}}: did you mean {{$conversation.inboxName}}?'],
    ['a root in the wrong case', '{{$Contact.firstName}}', 'Unknown variable {{$Contact.firstName}}: did you mean {{$contact.firstName}}?'],
    ['a misspelt root and property', '{{$contcat.firstname}}', 'Unknown variable {{$contcat.firstname}}: did you mean {{$contact.firstName}}?'],
    ['a system variable in the wrong case', '{{$system.NOW}}', 'Unknown variable {{$system.NOW}}: did you mean {{$system.now}}?'],
    ['a placeholder without $', '{{ contact.firstName }}', '{{ contact.firstName }} is sent as written: did you mean {{$contact.firstName}}?'],
    ['a placeholder without $ and in the wrong case', '{{Contact.firstname}}', '{{Contact.firstname}} is sent as written: did you mean {{$contact.firstName}}?'],
    ['a field placeholder without $', '{{contact.fields.plan}}', '{{contact.fields.plan}} is sent as written: did you mean {{$contact.fields.plan}}?'],
    ['a trigger placeholder without $', '{{trigger.orderId}}', '{{trigger.orderId}} is sent as written: did you mean {{$trigger.orderId}}?'],
    ['a placeholder without $ meaning nothing known', '{{conversation.foo}}', '{{conversation.foo}} is sent as written: a variable starts with $, e.g. {{$contact.firstName}}'],
  ])('reports %s', (_, text, message) => {
    expect(check([comment(text)])).toEqual([{ path: at, message }]);
  });

  it('reports each wrong variable of the review once, in the field that holds it', () => {
    const text = 'a={{$contact.firstname}} g={{$contact.name}} c={{$contact.fields.nonexistent}} d={{ contact.firstName }} again {{$contact.firstname}}';
    expect(check([comment(text)]).map((p) => p.message)).toEqual([
      'Unknown variable {{$contact.firstname}}: did you mean {{$contact.firstName}}?',
      'Unknown variable {{$contact.name}}: did you mean {{$contact.firstName}} or {{$contact.lastName}}?',
      expect.stringContaining('there is no contact field "nonexistent"'),
      '{{ contact.firstName }} is sent as written: did you mean {{$contact.firstName}}?',
    ]);
  });

  it.each<[string, Step, (string | number)[]]>([
    ['a message', makeStep('send_message', { text: 'Hi {{$contact.firstname}}' }), ['config', 'text']],
    ['a close summary', makeStep('close_conversation', { summary: '{{$contact.firstname}}' }), ['config', 'summary']],
    ['a field value', makeStep('update_contact_field', { field: 'plan', value: '{{$contact.firstname}}' }), ['config', 'value']],
    ['a question', makeStep('ask_question', { question: 'Hi {{$contact.firstname}}?' }), ['config', 'question']],
    ['a WhatsApp template parameter', makeStep('send_message', { kind: 'template', template: { name: 'hello', language: 'en_US', parameters: ['{{$contact.firstname}}'] } }), ['config', 'template', 'parameters', 0]],
    ['a WhatsApp template text header', makeStep('send_message', { kind: 'template', template: { name: 'hello', language: 'en_US', parameters: [], header: { type: 'text', text: '{{$contact.firstname}}' } } }), ['config', 'template', 'header', 'text']],
    ['a WhatsApp template location header', makeStep('send_message', { kind: 'template', template: { name: 'hello', language: 'en_US', parameters: [], header: { type: 'location', latitude: '{{$contact.fields.plan}}', longitude: '1', name: '{{$contact.firstname}}' } } }), ['config', 'template', 'header', 'name']],
    ['a WhatsApp fallback template button', makeStep('send_message', { text: 'x', fallbackTemplate: { name: 'hello', language: 'en_US', parameters: [], buttons: [{ index: 0, type: 'url', value: '{{$contact.firstname}}' }] } }), ['config', 'fallbackTemplate', 'buttons', 0, 'value']],
    ['a mini-app input', makeStep('mini_app_action', { inputs: { name: '{{contact.firstName}}' } }), ['config', 'inputs', 'name']],
  ])('checks the templates of %s', (_, step, path) => {
    expect(check([step])[0]).toEqual({ path: ['steps', 0, ...path], message: expect.stringContaining('did you mean') });
  });

  it('leaves the braces of an HTTP request to the system it calls, and checks its $ variables', () => {
    const body = '{"greeting":"Hello {{contact.firstName}}","to":"{{$contact.emial}}"}';
    const call = makeStep('http_request', { method: 'POST', url: 'https://example.com/{{ trigger.x }}', headers: [{ key: 'X-Tpl', value: '{{contact.name}}' }], body });
    expect(check([call])).toEqual([{ path: ['steps', 0, 'config', 'body'], message: 'Unknown variable {{$contact.emial}}: did you mean {{$contact.email}}?' }]);
  });

  it('checks $contact.fields.<key> only when the workspace fields are given', () => {
    expect(check([comment('{{$contact.fields.nonexistent}}')], {})).toEqual([]);
    expect(check([comment('{{$contact.fields.nonexistent}}')], { fieldKeys: [] })).toEqual([
      { path: at, message: 'Unknown variable {{$contact.fields.nonexistent}}: there is no contact field "nonexistent" (no custom fields are defined yet)' },
    ]);
  });

  it('suggests close $trigger and $step names', () => {
    const found = structuralProblems(makeWorkflowDefinition({
      trigger: makeTrigger(shortcutWithForm),
      steps: [say('{{$trigger.orderID}} {{$trigger.launchedby}}'), makeStep('http_request', { responseMappings: [{ jsonKey: '$.id', variable: 'ticketId' }] }, 'call'), say('{{$step.ticket_id}}', 'after')],
    }));
    expect(found.map((p) => p.message)).toEqual([
      '{{$trigger.orderID}} is not provided by this trigger: did you mean {{$trigger.orderId}}?',
      '{{$trigger.launchedby}} is not provided by this trigger: did you mean {{$trigger.launchedBy}}?',
      '{{$step.ticket_id}} is not set by any step: did you mean {{$step.ticketId}}?',
    ]);
  });
});

describe('structuralProblems: mini-app action inputs', () => {
  const inputs = [
    { key: 'order_id', label: 'Order', required: true },
    { key: 'reason', label: 'Reason', required: false },
  ];
  const facts: WorkspaceFacts = { actionInputs: (appId, key) => (appId === 'app_1' && key === 'refund' ? inputs : undefined) };
  const action = (given: Record<string, string>, actionKey = 'refund') => makeStep('mini_app_action', { appId: 'app_1', actionKey, inputs: given }, 'app');
  const check = (step: Step, workspace = facts) => structuralProblems(makeWorkflowDefinition({ steps: [step] }), workspace);

  it.each<[string, Record<string, string>, Problem[]]>([
    ['every required input given', { order_id: '{{$contact.fields.order_id}}' }, []],
    ['a required input missing', { reason: 'late' }, [
      { path: ['steps', 0, 'config', 'inputs', 'order_id'], message: '"Order" is a required input of the action "refund": give it a value' },
    ]],
    ['a required input blank', { order_id: '  ' }, [
      { path: ['steps', 0, 'config', 'inputs', 'order_id'], message: '"Order" is a required input of the action "refund": give it a value' },
    ]],
    ['an input the action does not have', { order_id: '1', amount: '5' }, [
      { path: ['steps', 0, 'config', 'inputs', 'amount'], message: 'The action "refund" has no input "amount"' },
    ]],
  ])('%s', (_, given, expected) => {
    expect(check(action(given))).toEqual(expected);
  });

  it('checks nothing when the action is not known (the server says the app or action is missing)', () => {
    expect(check(action({}, 'other'))).toEqual([]);
    expect(check(action({}), {})).toEqual([]);
  });
});
