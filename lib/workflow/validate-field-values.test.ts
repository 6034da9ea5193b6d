import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../contracts/contacts';
import { makeStep, makeWorkflowDefinition } from '../contracts/workflow.fixtures';
import { structuralProblems } from './validate-workflow';

const fields: FieldDefinition[] = [
  { key: 'order_total', label: 'Order total', type: 'number', options: [] },
  { key: 'tier', label: 'Tier', type: 'list', options: ['gold', 'silver'] },
];
/** `country`: the workspace's default country, none (null), or not known yet. */
const set = (field: string, value: string, country: string | null | 'unknown' = null) => structuralProblems(
  makeWorkflowDefinition({ steps: [makeStep('add_comment', {}, 'hello'), makeStep('update_contact_field', { field, value }, 'set')] }),
  { fieldKeys: fields.map((f) => f.key), fields: [...fields, { key: 'mobile', label: 'Mobile', type: 'phone', options: [] }], ...(country === 'unknown' ? {} : { defaultCountry: country }) },
);

describe('structuralProblems: a value written without variables must fit its field', () => {
  it.each([
    ['order_total', 'abc', 'Step 2 ("set") cannot set "order_total" (number): "abc" is not a number'],
    ['tier', 'platinum', 'Step 2 ("set") cannot set "tier" (list): "platinum": Expected one of: gold, silver'],
    ['email', 'ana@', 'Step 2 ("set") cannot set "email": "ana@": Enter a valid email address'],
    ['phone', '0151 1234 5678', expect.stringMatching(/^Step 2 \("set"\) cannot set "phone": "0151 1234 5678": Start with \+ and the country code/)],
  ])('%s = %j is refused, naming the step and the field', (field, value, message) => {
    expect(set(field, value)).toEqual([{ path: ['steps', 1, 'config', 'value'], message }]);
  });

  it.each([
    ['order_total', '1,250.00'],
    ['tier', 'Gold'],
    ['order_total', '{{$contact.fields.order_total}}'],
    ['tier', 'plat{{$contact.firstName}}'],
    ['email', 'Ana@Example.com'],
    ['phone', '+34 600 11 22 33'],
    ['email', ''],
    ['firstName', 'Ana'],
    ['order_total', ''],
    // Not defined: the server says so (define it first), not this check.
    ['plan', 'anything'],
  ])('%s = %j passes', (field, value) => {
    expect(set(field, value)).toEqual([]);
  });

  it('checks custom fields only when their definitions are given (the editor before they load)', () => {
    const def = makeWorkflowDefinition({ steps: [makeStep('update_contact_field', { field: 'order_total', value: 'abc' }, 'set')] });
    expect(structuralProblems(def)).toEqual([]);
  });
});

describe('structuralProblems: a phone number written without its country code, as runs read it', () => {
  const NOT_FR = (typed: string) => `"${typed}" is not a phone number: it has no country code (+ and the code, e.g. +49 151 1234 5678), and it is not a valid FR number either (the workspace's default country)`;

  it.each([['phone', '06 12 34 56 78'], ['mobile', '0612345678'], ['phone', '+49 151 1234 5678']])('%s = %j passes with the workspace in FR', (field, value) => {
    expect(set(field, value, 'FR')).toEqual([]);
  });

  it.each([
    ['phone', '06 12', 'Step 2 ("set") cannot set "phone": '],
    ['mobile', '0800', 'Step 2 ("set") cannot set "mobile" (phone): '],
  ])('%s = %j is refused with the contacts API\'s words, naming the country', (field, value, head) => {
    expect(set(field, value, 'FR')).toEqual([{ path: ['steps', 1, 'config', 'value'], message: head + NOT_FR(value) }]);
  });

  it('needs + and the country code when none is set; waits for the country while it is not known (the editor before it loads)', () => {
    expect(set('mobile', '0612345678', null)).toEqual([{ path: ['steps', 1, 'config', 'value'], message: expect.stringMatching(/^Step 2 \("set"\) cannot set "mobile" \(phone\): "0612345678": Start with \+ and the country code/) }]);
    expect(set('mobile', '0612345678', 'unknown')).toEqual([]);
    expect(set('mobile', '+33 6', 'unknown')).toHaveLength(1);
  });
});
