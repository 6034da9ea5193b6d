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
    trigger: {
      total: 120, count: '7', note: 'Please refund order A-42', list: [], skus: ['IPOD-342'], skus2: ['IPOD-342', 'CASE-9'],
      totalText: '1250.00', zip: '01234', odd: '1,250', bigId: '820982911946154508', totals: [30, 12.5],
    },
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
    // A list is tested value by value: contains is a substring of one of them, is one of them.
    ['contains in a list: one value contains it', one('{{$contact.tags}}', 'contains', 'ne'), true],
    ['contains in a list: not across two values', one('{{$contact.tags}}', 'contains', 'vip, new'), false],
    ['contains in a list of one', one('{{$trigger.skus}}', 'contains', 'ipod'), true],
    ['contains in a list of two', one('{{$trigger.skus2}}', 'contains', 'IPOD'), true],
    ['not_contains in a list', one('{{$trigger.skus2}}', 'not_contains', 'IPOD'), false],
    ['contains in an empty list', one('{{$trigger.list}}', 'contains', 'x'), false],
    ['is in a list: one value is it', one('{{$trigger.skus2}}', 'is', 'case-9'), true],
    ['is in a list: a part is not enough', one('{{$trigger.skus2}}', 'is', 'IPOD'), false],
    ['is_not in a list: none is', one('{{$trigger.skus2}}', 'is_not', 'IPOD'), true],
    ['is on an empty list and empty right', one('{{$trigger.list}}', 'is', ''), true],
    // Numbers by value when both sides read as one.
    ['is: a total with decimals', one('{{$trigger.totalText}}', 'is', '1250'), true],
    ['is: a JSON number and formatted text', one('{{$trigger.total}}', 'is', '120.00'), true],
    ['is: different numbers', one('{{$trigger.totalText}}', 'is', '1250.01'), false],
    ['is_not: a total with decimals', one('{{$trigger.totalText}}', 'is_not', '1250'), false],
    ['is: codes with leading zeros stay text', one('{{$trigger.zip}}', 'is', '1234'), false],
    ['is: an ambiguous amount stays text', one('{{$trigger.odd}}', 'is', '1250'), false],
    ['is: the same ambiguous text', one('{{$trigger.odd}}', 'is', '1,250'), true],
    ['is: ids past 2^53 are compared by their digits', one('{{$trigger.bigId}}', 'is', '820982911946154509'), false],
    ['is: the same big id', one('{{$trigger.bigId}}', 'is', '820982911946154508'), true],
    ['is in a list of numbers', one('{{$trigger.totals}}', 'is', '12.50'), true],
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
  const amounts: TemplateScope = { trigger: {
    us: '1,250.00', de: '1.250,00', euros: '€120', odd: '1,250', text: 'lots', none: '',
    one: ['1,250.00'], several: ['1,250.00', 3], noValues: [], dotted: '1.250', hex: '0x100', rate: 1.125,
  } };
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
    ['a list of one value is that value', one('{{$trigger.one}}', 'greater_than', '1000'), true, []],
    ['a list of several is no number', one('{{$trigger.several}}', 'greater_than', '1000'), false,
      ['{{$trigger.several}} is a list of 2 values ("1,250.00, 3"), not one number, so "{{$trigger.several}} greater than 1000" does not hold']],
    ['an empty list is empty', one('{{$trigger.noValues}}', 'greater_than', '1000'), false, ['{{$trigger.noValues}} is empty, so "{{$trigger.noValues}} greater than 1000" does not hold']],
    ['one dot and three digits is ambiguous', one('{{$trigger.dotted}}', 'greater_than', '1000'), false,
      ['{{$trigger.dotted}} is "1.250", which could be 1250 or 1.25 depending on the locale, so "{{$trigger.dotted}} greater than 1000" does not hold']],
    ['hexadecimal is no number', one('{{$trigger.hex}}', 'greater_than', '100'), false,
      ['{{$trigger.hex}} is "0x100", which is not a number, so "{{$trigger.hex}} greater than 100" does not hold']],
    ['a number on the right stays a number', one('{{$trigger.us}}', 'greater_than', '{{$trigger.rate}}'), true, []],
  ])('%s -> %s, with notes', (_, group, expected, notes) => {
    const heard: string[] = [];
    expect(evaluateVariableConditions(group, amount, (m) => heard.push(m))).toBe(expected);
    expect(heard).toEqual(notes);
  });
});
