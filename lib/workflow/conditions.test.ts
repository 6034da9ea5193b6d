import { describe, expect, it } from 'vitest';
import type { ConditionGroup, VariableCondition, VariableConditionGroup } from '../contracts/conditions';
import { evaluateVariableConditions, matchConditions } from './conditions';
import { type TemplateScope, resolveTemplateValue } from './template';

const rule = (field: string, operator: 'is' | 'is_not', value: string) => ({ field, operator, value });

describe('matchConditions', () => {
  const facts = { source: 'api', category: 'Spam' };
  it.each<[string, ConditionGroup | undefined, boolean]>([
    ['no group', undefined, true],
    ['no rules', { logic: 'and', rules: [] }, true],
    ['is, matching', { logic: 'and', rules: [rule('source', 'is', 'api')] }, true],
    ['is, not matching', { logic: 'and', rules: [rule('source', 'is', 'user')] }, false],
    ['is_not, matching', { logic: 'and', rules: [rule('source', 'is_not', 'user')] }, true],
    ['is_not, not matching', { logic: 'and', rules: [rule('source', 'is_not', 'api')] }, false],
    ['and, one fails', { logic: 'and', rules: [rule('source', 'is', 'api'), rule('category', 'is', 'Sales')] }, false],
    ['and, all hold', { logic: 'and', rules: [rule('source', 'is', 'api'), rule('category', 'is', 'Spam')] }, true],
    ['or, one holds', { logic: 'or', rules: [rule('source', 'is', 'user'), rule('source', 'is', 'api')] }, true],
    ['or, none holds', { logic: 'or', rules: [rule('source', 'is', 'user'), rule('source', 'is', 'make')] }, false],
    ['a missing fact with is', { logic: 'and', rules: [rule('summary', 'is', 'x')] }, false],
    ['a missing fact with is_not', { logic: 'and', rules: [rule('summary', 'is_not', 'x')] }, true],
    ['case matters for values', { logic: 'and', rules: [rule('category', 'is', 'spam')] }, false],
  ])('%s -> %s', (_, group, expected) => {
    expect(matchConditions(group, facts)).toBe(expected);
  });
});

describe('evaluateVariableConditions', () => {
  const scope: TemplateScope = {
    contact: { firstName: 'Ada', tags: ['VIP', 'new'], fields: { plan: 'Pro', empty: '' } },
    trigger: { total: 120, count: '7', note: 'Please refund order A-42', list: [] },
  };
  const resolve = (template: string) => resolveTemplateValue(template, scope).value;
  const one = (left: string, operator: VariableCondition['operator'], right?: string): VariableConditionGroup => ({
    logic: 'and',
    rules: [{ left, operator, right }],
  });

  it.each<[string, VariableConditionGroup, boolean]>([
    ['is, ignoring case and spaces', one('{{$contact.fields.plan}}', 'is', ' pro '), true],
    ['is, different', one('{{$contact.fields.plan}}', 'is', 'free'), false],
    ['is against a template', one('{{$contact.firstName}}', 'is', '{{$contact.firstName}}'), true],
    ['is on a missing value and empty right', one('{{$contact.nope}}', 'is', ''), true],
    ['is_not', one('{{$contact.fields.plan}}', 'is_not', 'free'), true],
    ['contains in text', one('{{$trigger.note}}', 'contains', 'REFUND'), true],
    ['contains, absent', one('{{$trigger.note}}', 'contains', 'cancel'), false],
    ['contains in a list is membership', one('{{$contact.tags}}', 'contains', 'ne'), false],
    ['not_contains', one('{{$trigger.note}}', 'not_contains', 'cancel'), true],
    ['exists', one('{{$contact.firstName}}', 'exists'), true],
    ['exists on an empty string', one('{{$contact.fields.empty}}', 'exists'), false],
    ['exists on an empty list', one('{{$trigger.list}}', 'exists'), false],
    ['exists on a missing value', one('{{$contact.nope}}', 'exists'), false],
    ['not_exists on a missing value', one('{{$contact.nope}}', 'not_exists'), true],
    ['greater_than a number', one('{{$trigger.total}}', 'greater_than', '100'), true],
    ['greater_than, equal', one('{{$trigger.total}}', 'greater_than', '120'), false],
    ['greater_than on numeric text (not text order)', one('{{$trigger.count}}', 'greater_than', '10'), false],
    ['less_than on numeric text', one('{{$trigger.count}}', 'less_than', '10'), true],
    ['greater_than on text', one('{{$contact.firstName}}', 'greater_than', '1'), false],
    ['less_than on a missing value', one('{{$contact.nope}}', 'less_than', '1'), false],
    ['has_tag, ignoring case', one('{{$contact.tags}}', 'has_tag', 'vip'), true],
    ['has_tag, absent', one('{{$contact.tags}}', 'has_tag', 'gold'), false],
    ['has_tag on a missing list', one('{{$contact.nope}}', 'has_tag', 'vip'), false],
    ['not_has_tag', one('{{$contact.tags}}', 'not_has_tag', 'gold'), true],
    ['and: one fails', { logic: 'and', rules: [...one('{{$contact.tags}}', 'has_tag', 'vip').rules, ...one('{{$trigger.total}}', 'less_than', '5').rules] }, false],
    ['or: one holds', { logic: 'or', rules: [...one('{{$contact.tags}}', 'has_tag', 'gold').rules, ...one('{{$trigger.total}}', 'greater_than', '5').rules] }, true],
  ])('%s -> %s', (_, group, expected) => {
    expect(evaluateVariableConditions(group, resolve)).toBe(expected);
  });

  // Amounts as people and other systems write them; what is no number leaves a note saying so.
  const amounts: TemplateScope = { trigger: { us: '1,250.00', de: '1.250,00', euros: '€120', odd: '1,250', text: 'lots', none: '' } };
  const amount = (template: string) => resolveTemplateValue(template, amounts).value;
  it.each<[string, VariableConditionGroup, boolean, string[]]>([
    ['US formatting', one('{{$trigger.us}}', 'greater_than', '1000'), true, []],
    ['German formatting', one('{{$trigger.de}}', 'less_than', '1300'), true, []],
    ['a currency symbol', one('{{$trigger.euros}}', 'greater_than', '100'), true, []],
    ['a formatted value on the right', one('1300', 'greater_than', '{{$trigger.us}}'), true, []],
    ['an ambiguous value', one('{{$trigger.odd}}', 'greater_than', '1000'), false,
      ['{{$trigger.odd}} is "1,250", which could be 1250 or 1.25 depending on the locale, so "{{$trigger.odd}} greater than 1000" does not hold']],
    ['text', one('{{$trigger.text}}', 'less_than', '5'), false, ['{{$trigger.text}} is "lots", which is not a number, so "{{$trigger.text}} less than 5" does not hold']],
    ['an empty value', one('{{$trigger.none}}', 'less_than', '5'), false, ['{{$trigger.none}} is empty, so "{{$trigger.none}} less than 5" does not hold']],
    ['a written value that is no number', one('{{$trigger.us}}', 'greater_than', 'ten'), false, ['"ten" is not a number, so "{{$trigger.us}} greater than ten" does not hold']],
    ['other operators, silently', one('{{$trigger.text}}', 'is', 'x'), false, []],
  ])('%s -> %s, with notes', (_, group, expected, notes) => {
    const heard: string[] = [];
    expect(evaluateVariableConditions(group, amount, (m) => heard.push(m))).toBe(expected);
    expect(heard).toEqual(notes);
  });
});
