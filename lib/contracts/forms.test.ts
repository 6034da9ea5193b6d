import { describe, expect, it } from 'vitest';
import { FormDefinition, FormField } from './forms';

const text = { label: 'Order', type: 'text', variable: 'order' } as const;

describe('FormField', () => {
  it.each([
    ['a text field', text],
    ['a list with options', { label: 'Plan', type: 'list', variable: 'plan', options: ['Free', 'Pro'] }],
    ['a required checkbox', { label: 'Agree', type: 'checkbox', variable: 'agree', required: true }],
    ['a 30-char variable', { ...text, variable: 'a'.repeat(30) }],
    ['a placeholder', { ...text, placeholder: 'e.g. 1234' }],
    ['an email field', { label: 'Customer email', type: 'email', variable: 'email', required: true }],
  ])('accepts %s', (_, field) => {
    expect(FormField.safeParse(field).success).toBe(true);
  });

  it.each([
    ['an empty label', { ...text, label: '  ' }, ['label']],
    ['a label over 80 chars', { ...text, label: 'x'.repeat(81) }, ['label']],
    ['an unknown type', { ...text, type: 'color' }, ['type']],
    ['a variable starting with a digit', { ...text, variable: '1order' }, ['variable']],
    ['a variable with a dash', { ...text, variable: 'order-id' }, ['variable']],
    ['a variable over 30 chars', { ...text, variable: 'a'.repeat(31) }, ['variable']],
    ['a list without options', { ...text, type: 'list' }, ['options']],
    ['a list with empty options', { ...text, type: 'list', options: [] }, ['options']],
    ['a list with a duplicate option', { ...text, type: 'list', options: ['a', 'b', 'a'] }, ['options', 2]],
    ['an option over 100 chars', { ...text, type: 'list', options: ['x'.repeat(101)] }, ['options', 0]],
    ['51 options', { ...text, type: 'list', options: Array.from({ length: 51 }, (_, i) => `o${i}`) }, ['options']],
    ['a placeholder over 120 chars', { ...text, placeholder: 'x'.repeat(121) }, ['placeholder']],
  ])('rejects %s', (_, field, path) => {
    const result = FormField.safeParse(field);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toContainEqual(path);
  });

  it('defaults required to false', () => {
    expect(FormField.parse(text).required).toBe(false);
  });
});

describe('FormDefinition', () => {
  it('accepts an empty form', () => {
    expect(FormDefinition.parse({ fields: [] })).toEqual({ fields: [] });
  });

  it('reports a duplicate variable on the second field', () => {
    const result = FormDefinition.safeParse({ fields: [text, { ...text, label: 'Other' }] });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['fields', 1, 'variable'], message: 'Variable "order" is used twice' }),
    ]);
  });

  it('rejects more than 20 fields', () => {
    const fields = Array.from({ length: 21 }, (_, i) => ({ ...text, variable: `v${i}` }));
    expect(FormDefinition.safeParse({ fields }).success).toBe(false);
  });
});
