import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../contracts/contacts';
import { makeStep, makeWorkflowDefinition } from '../contracts/workflow.fixtures';
import { structuralProblems } from './validate-workflow';

const fields: FieldDefinition[] = [
  { key: 'order_total', label: 'Order total', type: 'number', options: [] },
  { key: 'tier', label: 'Tier', type: 'list', options: ['gold', 'silver'] },
];
const set = (field: string, value: string) => structuralProblems(
  makeWorkflowDefinition({ steps: [makeStep('add_comment', {}, 'hello'), makeStep('update_contact_field', { field, value }, 'set')] }),
  { fieldKeys: fields.map((f) => f.key), fields },
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
