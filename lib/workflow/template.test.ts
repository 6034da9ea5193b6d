import { describe, expect, it } from 'vitest';
import {
  type TemplateScope,
  blankReferences,
  renderJsonTemplate,
  renderTemplate,
  resolveTemplateValue,
  rootlessReferences,
  templateReferences,
} from './template';

const scope: TemplateScope = {
  contact: {
    id: 'c_1',
    firstName: 'Ada',
    lastName: null,
    tags: ['vip', 'new'],
    fields: { order_id: 'A-42', 'plan-name': 'Pro' },
  },
  conversation: { id: 'cv_9' },
  trigger: {
    plan: 'pro',
    count: 3,
    paid: false,
    order: { total: 99.5, items: [{ sku: 'X1' }, { sku: 'Y2' }] },
    note: 'say "hi"\nthen \\ leave',
  },
  step: { ticketId: 'T-7' },
  system: { now: '2026-01-01T00:00:00.000Z' },
};

describe('renderTemplate', () => {
  it.each<[string, string, string[]]>([
    ['Hi {{$contact.firstName}}!', 'Hi Ada!', []],
    ['Hi {{ $contact.firstName }}!', 'Hi Ada!', []],
    ['{{$contact.fields.order_id}}', 'A-42', []],
    ['{{$contact.fields.plan-name}}', 'Pro', []],
    ['{{$conversation.id}}/{{$step.ticketId}}', 'cv_9/T-7', []],
    ['{{$system.now}}', '2026-01-01T00:00:00.000Z', []],
    ['{{$trigger.order.total}}', '99.5', []],
    ['{{$trigger.order.items[1].sku}} {{$trigger.order.items.0.sku}}', 'Y2 X1', []],
    ['{{$trigger.count}} {{$trigger.paid}}', '3 false', []],
    ['{{$trigger.order.items}}', '[{"sku":"X1"},{"sku":"Y2"}]', []],
    ['{{$trigger.order}}', '{"total":99.5,"items":[{"sku":"X1"},{"sku":"Y2"}]}', []],
    ['{{$contact.tags}}', 'vip, new', []],
    ['[{{$contact.lastName}}]', '[]', []],
    ['Hi {{$contact.nickname}}.', 'Hi .', ['$contact.nickname']],
    ['{{$trigger.order.missing.deeper}}', '', ['$trigger.order.missing.deeper']],
    ['{{$contcat.firstName}}', '', ['$contcat.firstName']],
    ['{{$contact.constructor}}', '', ['$contact.constructor']],
    ['{{$x}}{{$x}}', '', ['$x']],
    ['{{ plain }} and {{contact.firstName}}', '{{ plain }} and {{contact.firstName}}', []],
    ['no placeholders', 'no placeholders', []],
  ])('%s -> %j', (template, text, unknown) => {
    expect(renderTemplate(template, scope)).toEqual({ text, unknown });
  });

  it('treats a missing conversation as unknown', () => {
    expect(renderTemplate('{{$conversation.id}}', { ...scope, conversation: null }).unknown).toEqual(['$conversation.id']);
  });
});

describe('renderJsonTemplate', () => {
  it.each<[string, unknown]>([
    ['{"name":"{{$contact.firstName}}"}', { name: 'Ada' }],
    ['{"note":"{{$trigger.note}}"}', { note: 'say "hi"\nthen \\ leave' }],
    ['{"note":"{{ $trigger.note }}","n":{{$trigger.count}}}', { note: 'say "hi"\nthen \\ leave', n: 3 }],
    ['{"total":{{$trigger.order.total}},"paid":{{$trigger.paid}}}', { total: 99.5, paid: false }],
    ['{"order":{{$trigger.order}}}', { order: scope.trigger?.order }],
    ['{"tags":{{$contact.tags}}}', { tags: ['vip', 'new'] }],
    ['{"plan":{{$trigger.plan}}}', { plan: 'pro' }],
    ['{"x":{{$trigger.nope}},"y":"{{$trigger.nope}}"}', { x: null, y: '' }],
    ['{"esc":"a\\"{{$contact.firstName}}\\"","b":{{$trigger.count}}}', { esc: 'a"Ada"', b: 3 }],
    ['{"order":"{{$trigger.order}}"}', { order: JSON.stringify(scope.trigger?.order) }],
  ])('%s', (template, expected) => {
    expect(JSON.parse(renderJsonTemplate(template, scope).text)).toEqual(expected);
  });

  it('lists unknown variables', () => {
    expect(renderJsonTemplate('{"a":{{$step.none}}}', scope).unknown).toEqual(['$step.none']);
  });

  // Integers past 2^53 are kept as their digits (exact-json.ts); outside quotes they go back as numbers.
  it.each<[string, Record<string, unknown>, string]>([
    ['an id past 2^53, outside quotes', { id: '820982911946154508' }, '{"id":820982911946154508,"s":"820982911946154508"}'],
    ['a negative one', { id: '-820982911946154508' }, '{"id":-820982911946154508,"s":"-820982911946154508"}'],
    ['a list holding one', { id: ['820982911946154508', 'A1', 7] }, '{"id":[820982911946154508,"A1",7],"s":"820982911946154508, A1, 7"}'],
    ['digits a double holds exactly stay text', { id: '9007199254740991' }, '{"id":"9007199254740991","s":"9007199254740991"}'],
    ['digits with a leading zero stay text', { id: '0820982911946154508' }, '{"id":"0820982911946154508","s":"0820982911946154508"}'],
    ['digits with a sign or spaces stay text', { id: ' 820982911946154508' }, '{"id":" 820982911946154508","s":" 820982911946154508"}'],
  ])('%s', (_, trigger, text) => {
    expect(renderJsonTemplate('{"id":{{$trigger.id}},"s":"{{$trigger.id}}"}', { trigger }).text).toBe(text);
  });
});

describe('resolveTemplateValue', () => {
  it.each<[string, unknown, string[]]>([
    ['{{$contact.tags}}', ['vip', 'new'], []],
    [' {{ $trigger.count }} ', 3, []],
    ['{{$trigger.paid}}', false, []],
    ['{{$trigger.missing}}', undefined, ['$trigger.missing']],
    ['{{$trigger.count}} items', '3 items', []],
    ['{{$trigger.count}}{{$trigger.count}}', '33', []],
    ['plain', 'plain', []],
  ])('%j -> %j', (template, value, unknown) => {
    expect(resolveTemplateValue(template, scope)).toEqual({ value, unknown });
  });
});

describe('blankReferences', () => {
  it.each<[string, string[]]>([
    ['webhook-{{$trigger.plan}}', []],
    ['{{$trigger.count}} {{$trigger.paid}}', []],
    ['webhook-{{$trigger.source}}', ['$trigger.source']],
    ['{{$contact.lastName}}-{{ $trigger.missing }}-{{$trigger.missing}}', ['$contact.lastName', '$trigger.missing']],
    ['{{$trigger.blank}}', ['$trigger.blank']],
    ['{{$trigger.none}}', ['$trigger.none']],
    ['plain', []],
  ])('%j -> %j', (template, blank) => {
    expect(blankReferences(template, { ...scope, trigger: { ...scope.trigger, blank: '  ', none: [] } })).toEqual(blank);
  });
});

describe('templateReferences', () => {
  it('lists every placeholder with its root and path', () => {
    expect(templateReferences('{{$trigger.order.items[0].sku}} {{ $system.now }} {{$foo}}')).toEqual([
      { name: '$trigger.order.items[0].sku', root: 'trigger', path: ['order', 'items', '0', 'sku'] },
      { name: '$system.now', root: 'system', path: ['now'] },
      { name: '$foo', root: 'foo', path: [] },
    ]);
  });
});

describe('rootlessReferences', () => {
  it.each<[string, { written: string; name: string }[]]>([
    ['{{ contact.firstName }} and {{Trigger.items[0]}}', [
      { written: '{{ contact.firstName }}', name: '$contact.firstName' },
      { written: '{{Trigger.items[0]}}', name: '$trigger.items[0]' },
    ]],
    ['{{$contact.firstName}} {{1}} {{first_name}} {{order.id}} {{contact}} {{step}}', []],
  ])('%j', (template, expected) => {
    expect(rootlessReferences(template).map(({ written, name }) => ({ written, name }))).toEqual(expected);
  });

  it('renders such placeholders as written', () => {
    expect(renderTemplate('{{ contact.firstName }}', scope).text).toBe('{{ contact.firstName }}');
  });
});
